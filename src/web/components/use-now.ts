import { useEffect, useState } from 'preact/hooks';
import { serverNow } from '../server-clock.ts';

/** Server time, re-rendering every `everyMs` (countdowns). */
export function useServerNow(everyMs = 250): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(serverNow()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
