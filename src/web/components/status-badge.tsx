import type { Auction } from '../api.ts';
import { type DisplayStatus, statusLabel } from '../auction-state.ts';

export function StatusBadge({ auction, status, testId }: { auction: Auction; status: DisplayStatus; testId?: string }) {
  return (
    <span class={`badge badge--${status}`} data-testid={testId}>
      {status === 'open' ? <span class="badge__dot" aria-hidden="true" /> : null}
      {statusLabel(auction, status)}
    </span>
  );
}
