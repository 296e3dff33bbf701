/**
 * `npm run demo`: the real service on a fresh demo data directory, a handful of
 * realistic auctions, and simulated bidders bidding through the public HTTP
 * API, so a newcomer sees live bidding within seconds. Ctrl-C stops it.
 *
 * Each auction gets its picture from scripts/demo-images/ (rendered from the
 * SVGs there by scripts/demo-images/render.ts), uploaded like the web app does.
 *
 * Knobs: PORT (default 3000), GAVEL_DATA_DIR (default a fresh temporary directory, removed when the demo
 * ends).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';

const dataDir = process.env.GAVEL_DATA_DIR || mkdtempSync(join(tmpdir(), 'gavel-demo-'));
if (!process.env.GAVEL_DATA_DIR) {
  // The demo's own data goes with it. 'exit' runs however the process ends, except when a signal that
  // nothing handles kills it: the server ends through process.exit() after SIGINT or SIGTERM (graceful
  // shutdown), a failure ends the process, and the signals below are handled. A directory the user
  // named is theirs, and kept.
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
}
const exitOnSignal = (signal: NodeJS.Signals) => process.exit(signal === 'SIGINT' ? 130 : 143);
// Until the server takes SIGINT and SIGTERM over, they end the demo at once, through process.exit().
process.once('SIGINT', exitOnSignal).once('SIGTERM', exitOnSignal);
// The terminal closing: no graceful shutdown is waited for (nobody is watching), but the data goes.
process.once('SIGHUP', () => process.exit(129));
const config = loadConfig({ ...process.env, GAVEL_DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL || 'warn' });
const { url } = await startServer(config);
process.off('SIGINT', exitOnSignal).off('SIGTERM', exitOnSignal);
const api = `${url}/api/v1`;
const PASSWORD = 'demo-password';

async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function user(username: string, displayName: string): Promise<{ id: string; token: string }> {
  await call('POST', '/users', { username, password: PASSWORD, displayName });
  const session = await call<{ token: string; user: { id: string } }>('POST', '/sessions', {
    username,
    password: PASSWORD,
  });
  return { id: session.body.user.id, token: session.body.token };
}

const IMAGES_DIR = fileURLToPath(new URL('demo-images/', import.meta.url));
const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};

/** Uploads scripts/demo-images/<file> as `token`'s user: its /uploads/… url, or null (with a warning) if it cannot. */
async function uploadImage(file: string, token: string): Promise<string | null> {
  const type = IMAGE_TYPES[extname(file).toLowerCase()];
  let bytes: Buffer;
  try {
    if (!type) throw new Error('not a .png, .webp or .jpg file');
    bytes = await readFile(join(IMAGES_DIR, file));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (error as Error).message;
    console.warn(`demo: no picture from scripts/demo-images/${file} (${reason}); that auction shows a placeholder.`);
    return null;
  }
  const res = await fetch(`${api}/uploads`, {
    method: 'POST',
    headers: { 'content-type': type, authorization: `Bearer ${token}` },
    body: new Uint8Array(bytes),
  });
  if (res.status !== 201) {
    console.warn(
      `demo: uploading scripts/demo-images/${file} failed (${res.status}); that auction shows a placeholder.`,
    );
    return null;
  }
  return ((await res.json()) as { url: string }).url;
}

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
const seller = await user('demo_seller', 'Vintage & Co.');
const items = [
  {
    name: 'Leica M6 (1986), boxed',
    description: 'Black chrome, recently serviced.\nComes with strap and papers.',
    image: 'leica-m6.webp',
    category: 'cameras',
    attributes: { brand: 'Leica', year: 1986, film: true, condition: 'very good' },
    location: { country: 'DE', region: 'Hesse', city: 'Wetzlar' },
    startingPrice: 45_000,
    minIncrement: 1_000,
    endDate: minutes(3),
  },
  {
    name: 'Eames lounge chair',
    description: 'Rosewood veneer, black leather. Minor wear on the ottoman.',
    image: 'eames-lounge-chair.webp',
    category: 'furniture',
    attributes: { designer: 'Charles & Ray Eames', maker: 'Herman Miller', material: 'rosewood' },
    location: { country: 'US', region: 'Michigan', city: 'Zeeland' },
    startingPrice: 120_000,
    reservePrice: 250_000,
    proxyBidding: true,
    incrementTable: 'standard',
    endDate: minutes(10),
  },
  {
    name: 'First-edition "Dune" (1965)',
    description: 'Chilton hardcover, dust jacket in good condition.',
    image: 'dune-first-edition.webp',
    category: 'books',
    attributes: { author: 'Frank Herbert', year: 1965, binding: 'hardcover', signed: false },
    location: { country: 'US', region: 'Pennsylvania', city: 'Philadelphia' },
    startingPrice: 80_000,
    buyNowPrice: 400_000,
    minIncrement: 2_500,
    endDate: minutes(20),
  },
  {
    name: 'Fender Stratocaster 1974',
    description: 'Sunburst, original pickups, hard case.',
    image: 'fender-stratocaster.webp',
    category: 'instruments',
    attributes: { brand: 'Fender', model: 'Stratocaster', year: 1974, finish: 'sunburst' },
    location: { country: 'GB', region: 'England', city: 'London' },
    startingPrice: 150_000,
    proxyBidding: true,
    incrementTable: 'standard',
    endDate: minutes(60),
  },
  {
    name: 'Charity gala: dinner with the chef',
    description: 'A five-course dinner for four. All proceeds go to the food bank.',
    image: 'chef-dinner.webp',
    category: 'experiences',
    attributes: { guests: 4, courses: 5 },
    location: { country: 'FR', region: 'Île-de-France', city: 'Paris' },
    startingPrice: 20_000,
    minIncrement: 500,
    softClose: { windowSeconds: 60, extendSeconds: 60 },
    endDate: minutes(5),
  },
  {
    name: 'Polaroid SX-70 Land Camera',
    description: 'Folding SLR, leather in great shape. Opens for bidding shortly.',
    image: 'polaroid-sx70.webp',
    category: 'cameras',
    attributes: { brand: 'Polaroid', year: 1972, film: true, condition: 'good' },
    location: { country: 'US', region: 'Massachusetts', city: 'Cambridge' },
    startingPrice: 15_000,
    minIncrement: 500,
    startDate: minutes(2),
    endDate: minutes(30),
  },
  {
    name: 'Omega Speedmaster Professional',
    description: 'Hesalite, 2019, full set.',
    image: 'omega-speedmaster.webp',
    category: 'watches',
    attributes: { brand: 'Omega', model: 'Speedmaster Professional', year: 2019, movement: 'manual', case_mm: 42 },
    location: { country: 'CH', region: 'Bern', city: 'Biel' },
    startingPrice: 300_000,
    minIncrement: 5_000,
    endDate: minutes(24 * 60),
  },
];
const imageUrls = await Promise.all(items.map((item) => uploadImage(item.image, seller.token)));
const auctions: string[] = [];
for (const [i, item] of items.entries()) {
  const { name, description, image: _image, ...rest } = item;
  const res = await call<{ auction: { id: string } }>(
    'POST',
    '/auctions',
    { item: { name, description, imageUrl: imageUrls[i] }, ...rest },
    seller.token,
  );
  auctions.push(res.body.auction.id);
}
// The simulated bidders. The visitor's account (below) is never one of them.
const bidders = await Promise.all(
  ['alice', 'bob', 'carol', 'dave', 'erin'].map((n) => user(`demo_${n}`, n[0]!.toUpperCase() + n.slice(1))),
);
// For the person trying the demo: no simulation bids as them, so every "you were outbid" they see is true.
const VISITOR = 'demo_visitor';
await user(VISITOR, 'Visitor');

/**
 * A bid a person would type: `amount` (cents) rounded up to a step that reads naturally at its size (whole
 * dollars below $100, then $5 below $500, $10 below $2,000, $50 below $10,000, else $100). Rounding up
 * keeps it at or above the minimum next bid it started from.
 */
function roundBid(amount: number): number {
  const step =
    amount < 10_000 ? 100 : amount < 50_000 ? 500 : amount < 200_000 ? 1_000 : amount < 1_000_000 ? 5_000 : 10_000;
  return Math.ceil(amount / step) * step;
}

// A little history first, so every open auction already has a price and a leader when the page opens.
for (const id of auctions) {
  for (let i = 0; i < 3; i++) {
    const { body } = await call<{ auction: { status: string; minNextBid: number } }>('GET', `/auctions/${id}`);
    if (body.auction.status !== 'open') break;
    const bidder = bidders[(auctions.indexOf(id) + i) % bidders.length]!;
    await call('POST', `/auctions/${id}/bids`, { amount: roundBid(body.auction.minNextBid) }, bidder.token);
  }
}

console.log(`\nGavel demo: ${url}\n`);
console.log(`  ${auctions.length} auctions, ${bidders.length} simulated bidders placing bids every second or two.`);
console.log(
  `  Log in as ${VISITOR}, password "${PASSWORD}", to bid yourself (no simulated bidder uses it), or sign up.`,
);
console.log(
  `  demo_seller (same password) sells every demo auction; demo_alice … demo_erin are the simulated bidders.`,
);
console.log(`  Data: ${dataDir}   (Ctrl-C to stop)\n`);

// Simulated bidders: a round bid a little above the minimum, on a random open auction, every 0.7–2.5 s.
const tick = async () => {
  const id = auctions[Math.floor(Math.random() * auctions.length)]!;
  const bidder = bidders[Math.floor(Math.random() * bidders.length)]!;
  const { body } = await call<{ auction: { status: string; minNextBid: number; proxyBidding: boolean } }>(
    'GET',
    `/auctions/${id}`,
  );
  if (body.auction.status === 'open') {
    // Proxy auctions take a maximum, which people set well above the minimum.
    const extra = body.auction.proxyBidding ? Math.floor(Math.random() * 20_000) : Math.floor(Math.random() * 3) * 500;
    await call('POST', `/auctions/${id}/bids`, { amount: roundBid(body.auction.minNextBid + extra) }, bidder.token);
  }
  setTimeout(() => void tick().catch(() => undefined), 700 + Math.random() * 1800).unref();
};
void tick();
