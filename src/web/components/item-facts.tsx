import type { Auction } from '../api.ts';
import { VEHICLE_FIELDS, attributeLabel, categoryLabel, formatAttributeValue, formatLocation } from '../catalogue.ts';

/** Where a known attribute goes in the list (the vehicle fields in their usual order); others follow as given. */
const rank = (key: string) => {
  const i = VEHICLE_FIELDS.findIndex((f) => f.key === key);
  return i === -1 ? VEHICLE_FIELDS.length : i;
};

/** The item's category (a link to browse it), where it is, and its attributes, as a definition list. */
export function ItemFacts({ auction }: { auction: Auction }) {
  const attributes = Object.entries(auction.attributes ?? {}).sort(([a], [b]) => rank(a) - rank(b));
  if (!auction.category && !auction.location && attributes.length === 0) return null;
  return (
    <section class="item-facts" aria-labelledby="item-facts-heading">
      <h2 id="item-facts-heading" class="card__title">
        Item details
      </h2>
      <dl class="details details--item" data-testid="item-attributes">
        {auction.category ? (
          <div>
            <dt>Category</dt>
            <dd>
              <a href={`#/?category=${encodeURIComponent(auction.category)}`}>{categoryLabel(auction.category)}</a>
            </dd>
          </div>
        ) : null}
        {auction.location ? (
          <div>
            <dt>Location</dt>
            <dd data-testid="item-location">{formatLocation(auction.location)}</dd>
          </div>
        ) : null}
        {attributes.map(([key, value]) => (
          <div key={key}>
            <dt>{attributeLabel(key)}</dt>
            <dd>{formatAttributeValue(value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
