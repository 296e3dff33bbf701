import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Auction } from '../src/web/api.ts';
import { newer } from '../src/web/auction-state.ts';
import {
  COUNTRIES,
  activeFilterCount,
  apiQueryOf,
  attributeKeyOf,
  attributeLabel,
  attributeValueOf,
  categoryLabel,
  categoryOf,
  filtersOf,
  formatAttributeValue,
  formatLocation,
  isFilterParam,
  toggled,
  without,
} from '../src/web/catalogue.ts';
import { formatRoughly } from '../src/web/format.ts';
import { notificationOf, notificationText } from '../src/web/notifications.ts';

/** The catalogue's pure pieces on the page: the browse page's URL and the API's query, what sellers type. */

test('browse filters: read from the page URL, sent to the API as the contract names them', () => {
  const page = new URLSearchParams(
    'q=camry&status=all&sort=bids_desc&category=vehicles&category=classic-cars&attr.make=Toyota&attr.make=Honda' +
      '&attr.year.min=2015&attr.year.max=2020&currency=EUR&minPrice=100000&country=DE&city=Munich&endsWithin=24h' +
      '&hasBuyNow=true&utm_source=newsletter',
  );
  const filters = filtersOf(page);
  assert.deepEqual(filters.categories, ['vehicles', 'classic-cars']);
  assert.deepEqual([...filters.values], [['make', ['Toyota', 'Honda']]]);
  assert.deepEqual([...filters.ranges], [['year', { min: '2015', max: '2020' }]]);
  assert.equal(filters.minPrice, 100000);
  assert.equal(filters.maxPrice, null);
  assert.equal(activeFilterCount(filters), 11);

  const now = Date.parse('2026-03-01T12:00:00.000Z');
  const api = apiQueryOf(page, now);
  assert.equal(api.get('status'), null, '"all" is no status filter');
  assert.deepEqual(api.getAll('category'), ['vehicles', 'classic-cars']);
  assert.deepEqual(api.getAll('attr.make'), ['Toyota', 'Honda']);
  assert.equal(api.get('attr.year.min'), '2015');
  assert.equal(api.get('endsBefore'), '2026-03-02T12:00:00.000Z', 'ends within 24 h of now');
  assert.equal(api.get('endsWithin'), null, 'the page’s own parameter is not sent');
  assert.equal(api.get('utm_source'), null, 'unknown parameters are not sent (the API refuses them)');
  assert.equal(api.get('sort'), 'bids_desc');
  assert.equal(apiQueryOf(new URLSearchParams(''), now).get('status'), 'open', 'live auctions by default');

  assert.equal(without(api, 'category').getAll('category').length, 0);
  assert.deepEqual(without(api, 'category').getAll('attr.make'), ['Toyota', 'Honda']);
  assert.ok(
    isFilterParam('attr.year.min') && isFilterParam('country') && !isFilterParam('sort') && !isFilterParam('q'),
  );
});

test('toggling a value: on, off ignoring case as the server compares, others kept', () => {
  const page = new URLSearchParams('category=vehicles&attr.make=Toyota');
  assert.deepEqual(toggled(page, 'attr.make', 'Honda').getAll('attr.make'), ['Toyota', 'Honda']);
  assert.deepEqual(toggled(page, 'attr.make', 'toyota').getAll('attr.make'), []);
  assert.deepEqual(toggled(page, 'attr.make', 'toyota').getAll('category'), ['vehicles']);
});

test('what sellers type: categories and detail names become keys the API takes, numbers become numbers', () => {
  assert.equal(categoryOf('Classic cars'), 'classic-cars');
  assert.equal(categoryOf(' vinyl_records '), 'vinyl-records');
  assert.equal(categoryOf('Möbel'), null);
  assert.equal(categoryOf('x'.repeat(41)), null);
  assert.equal(attributeKeyOf('Model year'), 'model_year');
  assert.equal(attributeKeyOf('engine-size'), 'engine_size');
  assert.equal(attributeKeyOf('2nd owner'), null, 'a key starts with a letter');
  assert.equal(attributeKeyOf('Size (mm)'), 'size_mm');
  assert.equal(attributeKeyOf('Année'), 'annee');
  assert.equal(attributeKeyOf('!!!'), null);
  assert.equal(attributeValueOf('2019'), 2019);
  assert.equal(attributeValueOf('2.5'), 2.5);
  assert.equal(attributeValueOf('007'), '007', 'a code, not a quantity');
  assert.equal(attributeValueOf(' blue '), 'blue');
});

test('what buyers read: labels, values and places', () => {
  assert.equal(categoryLabel('home-garden'), 'Home & garden');
  assert.equal(categoryLabel('classic-cars'), 'Classic cars');
  assert.equal(attributeLabel('model_year'), 'Model year');
  assert.equal(attributeLabel('mileage'), 'Mileage (km)');
  assert.equal(formatAttributeValue(2019), '2019', 'a year has no thousands separator');
  assert.equal(formatAttributeValue(true), 'Yes');
  assert.equal(formatAttributeValue('diesel'), 'Diesel');
  assert.equal(formatAttributeValue('iPhone'), 'iPhone', 'capitals of its own are kept');
  assert.equal(COUNTRIES.length, 249, 'every ISO 3166-1 alpha-2 code the server takes');
  assert.match(formatLocation({ country: 'DE', region: 'Bavaria', city: 'Munich' }), /^Munich, Bavaria, \S/);
  assert.match(formatLocation({ country: 'AT', region: null, city: null }), /^\S+$/);
});

test('ending_soon: its { auction } read into the fields every notification has, and told in words', () => {
  const auction = {
    id: 'a9',
    item: { name: 'Clock', description: '', imageUrl: null, images: [] },
    currency: 'USD',
    currentPrice: 1250,
    version: 7,
    endDate: new Date(Date.now() + 14 * 60_000 + 30_000).toISOString(),
  } as unknown as Auction;
  const n = notificationOf('ending_soon', { type: 'ending_soon', auction });
  assert.deepEqual([n.auctionId, n.itemName, n.currentPrice, n.version], ['a9', 'Clock', 1250, 7]);
  const toast = notificationText(n);
  assert.match(toast?.text ?? '', /^Ending soon: “Clock” ends in 15 minutes \(now \$12\.50\)$/);
  assert.equal(notificationOf('outbid', { auctionId: 'b1', itemName: 'Lamp' }).auctionId, 'b1');
  assert.equal(formatRoughly(30_000), 'less than a minute');
  assert.equal(formatRoughly(3 * 3600_000), 'about 3 hours');
});

test('newer(): the watcher count from a read survives events, which never carry it', () => {
  const read = { version: 3, serverTime: '2026-01-01T00:00:00.000Z', watcherCount: 4 } as Auction;
  const event = { version: 4, serverTime: '2026-01-01T00:00:01.000Z' } as Auction;
  assert.equal(newer(read, event).watcherCount, 4);
  assert.equal(newer(read, event).version, 4);
  const reread = { version: 3, serverTime: '2026-01-01T00:00:02.000Z', watcherCount: 5 } as Auction;
  assert.equal(
    newer(newer(read, event), reread).watcherCount,
    5,
    'a later read of an older version still tells the count',
  );
  assert.equal(newer(newer(read, event), reread).version, 4);
});
