/**
 * Examples of the API's named schemas, shown in the OpenAPI document (schemas.ts attaches them). One
 * auction's story: Alice sells a camera, Bob leads it. `npm test` lints the document with examples checked
 * against their schemas (redocly.yaml: no-invalid-schema-examples), so an example cannot drift from its
 * schema unnoticed.
 */

const ALICE = '01936b6a-2c4d-7e5f-8a1b-2c3d4e5f6a7b';
const BOB = '01936b6c-4e6f-7a81-9b2c-3d4e5f6a7b8c';
const AUCTION = '01936b6e-8f3a-7c21-9a4b-5d6e7f809a1b';
const BID = '01936b9f-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const PICTURE = 'https://images.example/leica-m6.jpg';

export const userExample = {
  id: ALICE,
  username: 'alice',
  displayName: 'Alice',
  createdAt: '2026-11-01T08:00:00.000Z',
  email: 'alice@example.com',
  emailVerified: true,
};

export const publicUserExample = {
  id: BOB,
  displayName: 'Bob',
  tag: '7K2Q9D',
  createdAt: '2026-11-02T10:30:00.000Z',
};

export const sessionExample = {
  token: 'q3V0bXkR1c2Vzc2lvbi10b2tlbi1leGFtcGxlLTQzY2hhcnM',
  expiresAt: '2026-12-01T08:00:00.000Z',
  user: userExample,
};

export const bidExample = {
  id: BID,
  auctionId: AUCTION,
  bidderId: BOB,
  amount: 12000,
  kind: 'bid',
  status: 'accepted',
  reason: null,
  createdAt: '2026-11-29T12:59:45.120Z',
  auctionVersion: 9,
};

/** An open auction in its last minute: Bob's bid of 120.00 extended the end by the soft close. */
export const auctionExample = {
  id: AUCTION,
  sellerId: ALICE,
  item: {
    name: 'Leica M6',
    description: 'Boxed, 1986, with the original strap and both caps.',
    imageUrl: PICTURE,
    images: [PICTURE],
  },
  category: 'cameras',
  attributes: { make: 'Leica', year: 1986, boxed: true },
  location: { country: 'DE', region: 'Bavaria', city: 'Munich' },
  watcherCount: 12,
  currency: 'USD',
  startingPrice: 10000,
  minIncrement: 100,
  incrementTable: null,
  proxyBidding: false,
  hasReserve: true,
  reserveMet: false,
  buyNowPrice: 60000,
  buyNowAvailable: false,
  startDate: '2026-11-22T13:00:00.000Z',
  endDate: '2026-11-29T13:00:15.120Z',
  originalEndDate: '2026-11-29T13:00:00.000Z',
  maxEndDate: null,
  softClose: { windowSeconds: 30, extendSeconds: 30 },
  status: 'open',
  currentPrice: 12000,
  highestBid: { id: BID, bidderId: BOB, amount: 12000, createdAt: '2026-11-29T12:59:45.120Z' },
  bidCount: 7,
  minNextBid: 12100,
  version: 9,
  outcome: null,
  closedAt: null,
  paymentWindowSeconds: 345_600,
  offerWindowSeconds: 172_800,
  settlement: null,
  liveStream: null,
  createdAt: '2026-11-20T09:15:00.000Z',
  serverTime: '2026-11-29T12:59:50.000Z',
};

export const auctionSummaryExample = {
  ...auctionExample,
  item: { ...auctionExample.item, descriptionTruncated: false },
};

export const newAuctionExample = {
  item: { name: 'Leica M6', description: 'Boxed, 1986, with the original strap and both caps.', imageUrl: PICTURE },
  category: 'cameras',
  attributes: { make: 'Leica', year: 1986, boxed: true },
  location: { country: 'DE', region: 'Bavaria', city: 'Munich' },
  startingPrice: 10000,
  currency: 'USD',
  startDate: '2026-11-22T13:00:00.000Z',
  endDate: '2026-11-29T13:00:00.000Z',
  minIncrement: 100,
  reservePrice: 25000,
  buyNowPrice: 60000,
  softClose: { windowSeconds: 30, extendSeconds: 30 },
};

export const leaderboardEntryExample = {
  bidderId: BOB,
  displayName: 'Bob',
  bidderTag: '7K2Q9D',
  amount: 12000,
  bidAt: '2026-11-29T12:59:45.120Z',
};

export const myBidExample = {
  auction: auctionExample,
  highestBid: 12000,
  maximum: null,
  standing: 'leading',
  lastBidAt: '2026-11-29T12:59:45.120Z',
};

export const questionExample = {
  id: '01936b80-5b6c-7d8e-9f0a-1b2c3d4e5f60',
  auctionId: AUCTION,
  askerId: BOB,
  text: 'Does the light meter work?',
  status: 'published',
  answer: {
    id: '01936b84-6c7d-7e8f-8a9b-2c3d4e5f6a71',
    text: 'Yes, and it was serviced last year.',
    status: 'published',
    answeredAt: '2026-11-24T18:02:00.000Z',
  },
  createdAt: '2026-11-24T17:40:00.000Z',
};

export const inventoryItemExample = {
  externalId: 'SKU-1986-M6',
  name: 'Leica M6',
  description: 'Boxed, 1986, with the original strap and both caps.',
  imageUrl: PICTURE,
  images: [PICTURE],
  category: 'cameras',
  attributes: { make: 'Leica', year: 1986, boxed: true },
  location: { country: 'DE', region: 'Bavaria', city: 'Munich' },
  revision: 3,
  updatedAt: '2026-11-21T16:20:00.000Z',
};

export const facetsExample = {
  total: 42,
  categories: [
    { value: 'cameras', count: 30 },
    { value: 'lenses', count: 12 },
  ],
  attributes: {
    make: [
      { value: 'Leica', count: 18 },
      { value: 'Nikon', count: 9 },
    ],
    boxed: [{ value: true, count: 21 }],
  },
  price: { min: 2500, max: 240000 },
  exact: true,
};

export const problemExample = {
  type: 'https://gavel.dev/errors/validation-failed',
  title: 'The request is not valid',
  status: 400,
  code: 'VALIDATION_FAILED',
  detail: 'body is not valid',
  errors: [{ in: 'body', path: '/amount', message: 'Too small: expected number to be >=1' }],
};
