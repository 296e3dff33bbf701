import { useEffect, useRef, useState } from 'preact/hooks';
import type { Auction } from '../api.ts';
import { displayStatus } from '../auction-state.ts';
import { formatDateTime, formatRemaining } from '../format.ts';

/**
 * "Ends in 4m 05s", counted on the server's clock. When a late bid pushes the
 * end back, the countdown jumps and flashes so nobody misses the extension.
 */
export function Countdown({ auction, now, testId }: { auction: Auction; now: number; testId?: string }) {
  const end = Date.parse(auction.endDate);
  const [extended, setExtended] = useState(false);
  const lastEnd = useRef(end);
  useEffect(() => {
    if (end > lastEnd.current) {
      setExtended(true);
      const timer = setTimeout(() => setExtended(false), 2500);
      lastEnd.current = end;
      return () => clearTimeout(timer);
    }
    lastEnd.current = end;
  }, [end]);

  const status = displayStatus(auction, now);
  let text: string;
  let urgent = false;
  if (status === 'scheduled') text = `Starts in ${formatRemaining(Date.parse(auction.startDate) - now)}`;
  else if (status === 'open') {
    const left = end - now;
    urgent = left < 60_000;
    text = `Ends in ${formatRemaining(left)}`;
  } else if (status === 'ending') text = 'Ended, closing…';
  else if (status === 'cancelled') text = 'Cancelled';
  else text = `Ended ${formatDateTime(auction.closedAt ?? auction.endDate)}`;

  return (
    <span
      class={`countdown${urgent ? ' countdown--urgent' : ''}${extended ? ' countdown--extended' : ''}`}
      data-testid={testId}
      title={`Ends ${formatDateTime(auction.endDate)}`}
    >
      <time dateTime={auction.endDate}>{text}</time>
      {extended && status === 'open' ? <span class="countdown__note"> · extended by a late bid</span> : null}
    </span>
  );
}
