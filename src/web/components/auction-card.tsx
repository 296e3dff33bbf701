import type { Auction } from '../api.ts';
import { displayStatus, priceOf } from '../auction-state.ts';
import { auctionHref } from '../router.ts';
import { Countdown } from './countdown.tsx';
import { ItemImage } from './item-image.tsx';
import { StatusBadge } from './status-badge.tsx';

/** One auction in a grid: picture, name, live price, bids and time left. */
export function AuctionCard({ auction, now, flash }: { auction: Auction; now: number; flash: boolean }) {
  const status = displayStatus(auction, now);
  const price = priceOf(auction);
  return (
    <li class={`auction-card${flash ? ' auction-card--flash' : ''}`} data-auction-id={auction.id}>
      <a class="auction-card__link" href={auctionHref(auction.id)}>
        <div class="auction-card__media">
          <ItemImage auction={auction} size="card" />
          <StatusBadge auction={auction} status={status} />
        </div>
        <div class="auction-card__body">
          <h2 class="auction-card__title">{auction.item.name}</h2>
          <div class="auction-card__price">
            <span class="muted small">{price.label}</span>
            <strong class="price" data-testid="card-price">
              {price.text}
            </strong>
          </div>
          <div class="auction-card__meta small">
            <span>
              {auction.bidCount} {auction.bidCount === 1 ? 'bid' : 'bids'}
            </span>
            <Countdown auction={auction} now={now} />
          </div>
          {auction.buyNowAvailable && auction.buyNowPrice !== null && status === 'open' ? (
            <span class="tag">Buy now available</span>
          ) : null}
        </div>
      </a>
    </li>
  );
}
