import { useEffect, useState } from 'preact/hooks';
import { type PublicName, publicNameOf } from '../api.ts';

/** A user's display name and tag (fetched once per page load, shared by every component that asks). */
export function usePublicName(userId: string | null | undefined): PublicName | null {
  const [name, setName] = useState<PublicName | null>(null);
  useEffect(() => {
    setName(null);
    if (!userId) return;
    let live = true;
    void publicNameOf(userId).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [userId]);
  return name;
}
