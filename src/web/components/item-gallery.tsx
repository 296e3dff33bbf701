import { useEffect, useState } from 'preact/hooks';
import type { Auction } from '../api.ts';
import { ItemImage } from './item-image.tsx';

/**
 * The item's pictures: the one chosen large (the cover, first, to begin with), and a row of thumbnails to
 * choose another when there are several. No pictures: the placeholder with the item's initials.
 */
export function ItemGallery({ auction }: { auction: Auction }) {
  const images = auction.item.images?.length
    ? auction.item.images
    : auction.item.imageUrl
      ? [auction.item.imageUrl]
      : [];
  const [chosen, setChosen] = useState(0);
  const imagesKey = images.join('\n');
  // Another auction, or the seller changed the pictures: back to the cover.
  useEffect(() => setChosen(0), [auction.id, imagesKey]);
  if (images.length === 0) return <ItemImage auction={auction} size="large" />;
  const index = Math.min(chosen, images.length - 1);
  const many = images.length > 1;
  return (
    <div class="gallery">
      <img
        class="item-image item-image--large"
        src={images[index]}
        alt={many ? `${auction.item.name} (picture ${index + 1} of ${images.length})` : auction.item.name}
        decoding="async"
      />
      {many ? (
        <ul class="gallery__thumbs" aria-label="Pictures">
          {images.map((url, i) => (
            <li key={url}>
              <button
                type="button"
                class={`gallery__thumb${i === index ? ' gallery__thumb--current' : ''}`}
                aria-label={`Show picture ${i + 1} of ${images.length}${i === 0 ? ' (cover)' : ''}`}
                aria-current={i === index ? 'true' : undefined}
                onClick={() => setChosen(i)}
              >
                <img src={url} alt="" loading="lazy" decoding="async" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
