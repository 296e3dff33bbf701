import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Auction } from '../src/web/api.ts';
import { displayStatus, newer, priceOf } from '../src/web/auction-state.ts';
import { formatPublicName, formatRemaining } from '../src/web/format.ts';
import { fractionDigits, parseMoney, toMajorInput } from '../src/web/money.ts';
import { parseRoute } from '../src/web/router.ts';

/** The web app's pure pieces: money typed by people, what an auction shows at an instant, routes. */

test('money: what a person types becomes exact minor units, per currency', () => {
  assert.equal(parseMoney('12.50', 'USD'), 1250);
  assert.equal(parseMoney('12.5', 'USD'), 1250);
  assert.equal(parseMoney('12', 'USD'), 1200);
  assert.equal(parseMoney(' $1,234.56 ', 'USD'), 123456);
  assert.equal(parseMoney('12,50', 'EUR'), 1250, 'a decimal comma');
  assert.equal(parseMoney('1,200', 'EUR'), 120000, 'a thousands comma');
  assert.equal(parseMoney('1 200.50', 'USD'), 120050, 'a space between thousands');
  assert.equal(parseMoney('0.1', 'USD'), 10);
  assert.equal(parseMoney('19.99', 'USD'), 1999, 'no floating-point rounding (19.99 * 100 = 1998.9999…)');
  assert.equal(parseMoney('1250', 'JPY'), 1250);
  assert.equal(parseMoney('12.5', 'JPY'), null, 'yen has no minor unit');
  assert.equal(parseMoney('1.234', 'USD'), null, 'too many decimals');
  assert.equal(parseMoney('12.345', 'BHD'), 12345, 'three decimals');
  for (const bad of ['', 'abc', '1e3', '-5', '1.2.3', '12 50', 'Infinity', '0x10'])
    assert.equal(parseMoney(bad, 'USD'), null, bad);
  assert.equal(parseMoney('99999999999999999999', 'USD'), null, 'beyond safe integers');
});

test('money: the input shown for an amount reads back as the same amount', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1_000_000_000_000 }),
      fc.constantFrom('USD', 'EUR', 'JPY', 'BHD', 'GBP'),
      (minor, currency) => parseMoney(toMajorInput(minor, currency), currency) === minor,
    ),
  );
  assert.equal(toMajorInput(5, 'USD'), '0.05');
  assert.equal(fractionDigits('JPY'), 0);
});

test('countdown text: precise near the end, short far from it, never negative', () => {
  assert.equal(formatRemaining(7_000), '7s');
  assert.equal(formatRemaining(6_001), '7s', 'rounded up: it ends when it says 0');
  assert.equal(formatRemaining(245_000), '4m 05s');
  assert.equal(formatRemaining(3 * 3600_000 + 4 * 60_000 + 5_000), '3h 04m 05s');
  assert.equal(formatRemaining(2 * 86_400_000 + 3 * 3600_000), '2d 3h');
  assert.equal(formatRemaining(-5_000), '0s');
});

const base: Auction = {
  id: 'a1',
  sellerId: 's',
  item: { name: 'Lamp', description: '', imageUrl: null, images: [] },
  category: null,
  attributes: {},
  location: null,
  currency: 'USD',
  startingPrice: 1000,
  minIncrement: 100,
  incrementTable: null,
  proxyBidding: false,
  hasReserve: false,
  reserveMet: true,
  buyNowPrice: null,
  buyNowAvailable: false,
  startDate: '2026-12-01T10:00:00.000Z',
  endDate: '2026-12-01T11:00:00.000Z',
  originalEndDate: '2026-12-01T11:00:00.000Z',
  maxEndDate: null,
  softClose: { windowSeconds: 30, extendSeconds: 30 },
  status: 'open',
  currentPrice: null,
  highestBid: null,
  bidCount: 0,
  minNextBid: 1000,
  version: 1,
  outcome: null,
  closedAt: null,
  paymentWindowSeconds: 345_600,
  offerWindowSeconds: 172_800,
  settlement: null,
  liveStream: null,
  createdAt: '2026-12-01T09:00:00.000Z',
  serverTime: '2026-12-01T10:30:00.000Z',
};
const at = (iso: string) => Date.parse(iso);

test('display status: the clock rule between answers (past its end an auction is never shown open)', () => {
  assert.equal(displayStatus(base, at('2026-12-01T10:59:59.999Z')), 'open');
  assert.equal(displayStatus(base, at('2026-12-01T11:00:00.000Z')), 'ending');
  const scheduled = { ...base, status: 'scheduled' as const };
  assert.equal(displayStatus(scheduled, at('2026-12-01T09:59:59.000Z')), 'scheduled');
  assert.equal(displayStatus(scheduled, at('2026-12-01T10:00:00.000Z')), 'open');
  assert.equal(displayStatus({ ...base, status: 'closed' }, at('2026-12-01T10:00:00.000Z')), 'closed');
  assert.equal(displayStatus({ ...base, status: 'cancelled' }, at('2026-12-01T12:00:00.000Z')), 'cancelled');
});

test('price line: starting price, then the current bid, then the sale price', () => {
  assert.deepEqual(priceOf(base), { label: 'Starting price', text: '$10.00' });
  assert.equal(priceOf({ ...base, currentPrice: 1500 }).text, '$15.00');
  const sold = { ...base, status: 'closed' as const, currentPrice: 1500 };
  assert.equal(priceOf({ ...sold, outcome: { result: 'sold', winnerId: 'b', finalPrice: 1500 } }).label, 'Sold for');
});

test('newer(): a view never replaces a newer one, whatever order stream and reads arrive in', () => {
  const v2 = { ...base, version: 2, currentPrice: 1000 };
  const v3 = { ...base, version: 3, currentPrice: 1100 };
  assert.equal(newer(v3, v2), v3);
  assert.equal(newer(v2, v3), v3);
  assert.equal(newer(null, v2), v2);
  // Same version, later verdict: the fresher status wins and the seller-only reserve is kept.
  const mine = { ...v3, reservePrice: 5000 };
  const later = { ...v3, status: 'closed' as const, serverTime: '2026-12-01T11:00:01.000Z' };
  const merged = newer(mine, later);
  assert.equal(merged.status, 'closed');
  assert.equal(merged.reservePrice, 5000);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 30 }), (versions) => {
      let shown: Auction | null = null;
      for (const version of versions) shown = newer(shown, { ...base, version });
      return shown!.version === Math.max(...versions);
    }),
  );
});

test('routes: hash routes, with encoded ids and queries', () => {
  assert.deepEqual(parseRoute('#/auction/abc-123'), { name: 'auction', id: 'abc-123' });
  assert.equal(parseRoute('').name, 'browse');
  const browse = parseRoute('#/?q=leica&status=closed');
  assert.equal(browse.name === 'browse' && browse.query.get('q'), 'leica');
  assert.deepEqual(parseRoute('#/login?next=%23%2Fsell'), { name: 'login', next: '#/sell' });
  assert.deepEqual(parseRoute('#/account/selling'), { name: 'account', tab: 'selling' });
  assert.deepEqual(parseRoute('#/moderation'), { name: 'moderation' });
  assert.deepEqual(parseRoute('#/forgot-password'), { name: 'forgot_password' });
  assert.deepEqual(parseRoute('#/verify-email'), { name: 'verify_email' });
  assert.deepEqual(parseRoute('#/reset-password'), { name: 'reset_password' });
  assert.equal(parseRoute('#/nope/x/y').name, 'not_found');
});

test('other users: the display name with the tag that tells same names apart', () => {
  assert.equal(formatPublicName({ displayName: 'alice', tag: 'K3F9QZ' }), 'alice #K3F9QZ');
  assert.notEqual(
    formatPublicName({ displayName: 'alice', tag: 'K3F9QZ' }),
    formatPublicName({ displayName: 'alice', tag: '7RW2ME' }),
    'an impersonator with the same display name reads differently',
  );
  // Not known (the profile could not be read): the name alone, never a dangling "#".
  assert.equal(formatPublicName({ displayName: 'a bidder', tag: null }), 'a bidder');
});
