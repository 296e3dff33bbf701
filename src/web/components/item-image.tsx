import type { Auction } from '../api.ts';

/** The item's picture, or a tinted placeholder with its initials (stable per auction). */
export function ItemImage({ auction, size }: { auction: Auction; size: 'card' | 'large' }) {
  const url = auction.item.imageUrl;
  if (url)
    return (
      <img class={`item-image item-image--${size}`} src={url} alt={auction.item.name} loading="lazy" decoding="async" />
    );
  let hash = 0;
  for (const c of auction.id) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  const initials = auction.item.name
    .split(/\s+/)
    .filter((w) => /^[\p{L}\p{N}]/u.test(w))
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
  return (
    <div
      class={`item-image item-image--${size} item-image--placeholder hue-${hash % 8}`}
      role="img"
      aria-label={auction.item.name}
    >
      <span aria-hidden="true">{initials || '?'}</span>
    </div>
  );
}
