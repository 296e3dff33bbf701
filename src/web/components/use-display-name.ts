import { useEffect, useState } from 'preact/hooks';
import { displayNameOf } from '../api.ts';

/** A user's display name (fetched once per page load, shared by every component that asks). */
export function useDisplayName(userId: string | null | undefined): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    setName(null);
    if (!userId) return;
    let live = true;
    void displayNameOf(userId).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [userId]);
  return name;
}
