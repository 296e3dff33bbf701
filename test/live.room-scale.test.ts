import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AppProcess, type ServerMemory, startAppProcess } from './support/app-process.ts';
import { call, httpUser } from './support/child-server.ts';
import { testStoreKind } from './support/harness.ts';
import { RoomClient, type RoomMessage, roomUrl } from './support/room-client.ts';

/** Sockets on the one auction; every 20th is signed in (50 users: presence is counted too). */
const SOCKETS = 1_000;
const SIGNED_IN_EVERY = 20;
const BIDDERS = 10;
const BIDS = 200;
const WAVE = 20;
/** Bids sent while the slow socket reads nothing. */
const SLOW_BIDS = 300;
/** The server's high-water mark for a live-room socket (src/http/routes/live.ts). */
const SERVER_HIGH_WATER_BYTES = 256 * 1024;

type User = Awaited<ReturnType<typeof httpUser>>;

/**
 * What a socket keeps of each message: a thousand sockets each holding every whole auction would make the
 * test's own heap the thing measured.
 */
function summary(m: RoomMessage): RoomMessage {
  const auction = m.auction as { version?: number } | undefined;
  return {
    type: m.type,
    ...(auction?.version !== undefined ? { version: auction.version } : {}),
    ...(m.participants !== undefined ? { participants: m.participants } : {}),
  };
}

const versionsOf = (c: RoomClient) => c.messages.filter((m) => m.version !== undefined).map((m) => m.version as number);

function assertIncreasing(versions: number[], who: string): void {
  for (let i = 1; i < versions.length; i++)
    assert.ok(versions[i]! > versions[i - 1]!, `${who}: versions not strictly increasing: ${versions.join(',')}`);
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * The live room under load, with the server in a process of its own (startTestApp there, listening, rate
 * limits off so that a thousand sockets from one address are admitted; everything else as served): its
 * memory is then its own, read after forced collections, while the clients live here.
 */
describe('live room at scale (server in a child process)', { timeout: 120_000 }, () => {
  let server: AppProcess;
  let seller: User;
  let bidders: User[];
  let spectators: User[];
  /** Every client this suite opened: a failed test must not leave the server waiting on a paused socket. */
  const opened: RoomClient[] = [];
  const connect = async (url: string, headers: Record<string, string> = {}) => {
    const client = await RoomClient.connect(url, headers, { record: summary });
    opened.push(client);
    return client;
  };

  before(async () => {
    server = await startAppProcess({ limits: { enabled: false } });
    seller = await httpUser(server.url, `seller_${process.pid}`);
    bidders = await Promise.all(
      Array.from({ length: BIDDERS }, (_, i) => httpUser(server.url, `bidder${i}_${process.pid}`)),
    );
    spectators = await Promise.all(
      Array.from({ length: SOCKETS / SIGNED_IN_EVERY - BIDDERS }, (_, i) =>
        httpUser(server.url, `fan${i}_${process.pid}`),
      ),
    );
  });
  after(async () => {
    for (const client of opened) client.socket.terminate();
    await server?.stop();
  });

  async function createAuction(overrides: Record<string, unknown> = {}): Promise<{ id: string; version: number }> {
    const res = await call(
      `${server.url}/api/v1/auctions`,
      'POST',
      {
        item: { name: 'Signed first edition', description: 'A thing to sell' },
        startingPrice: 1000,
        minIncrement: 5,
        softClose: null,
        endDate: new Date(Date.now() + 3600_000).toISOString(),
        ...overrides,
      },
      seller.auth,
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.auction as { id: string; version: number };
  }

  /** Bids over HTTP in concurrent waves, each bidder in turn, amounts rising (some lose the race: 409). */
  async function bidInWaves(auctionId: string, count: number, wave: number): Promise<void> {
    for (let start = 0; start < count; start += wave) {
      await Promise.all(
        Array.from({ length: Math.min(wave, count - start) }, async (_, i) => {
          const n = start + i;
          const res = await call(
            `${server.url}/api/v1/auctions/${auctionId}/bids`,
            'POST',
            { amount: 1000 + (n + 1) * 10 },
            bidders[n % BIDDERS]!.auth,
          );
          assert.ok(res.status === 201 || res.status === 409, `${res.status} ${JSON.stringify(res.body)}`);
        }),
      );
    }
  }

  async function finalVersion(auctionId: string): Promise<number> {
    const res = await call(`${server.url}/api/v1/auctions/${auctionId}`, 'GET');
    assert.equal(res.status, 200);
    return (res.body.auction as { version: number }).version;
  }

  test('1,000 sockets on one auction, 200 bids over HTTP: every socket ends on the final version, in order', async () => {
    const auction = await createAuction();
    const url = roomUrl(server.url, auction.id);
    const signedIn = [...bidders, ...spectators];
    const headersOf = (i: number): Record<string, string> =>
      i % SIGNED_IN_EVERY === 0 ? { authorization: signedIn[i / SIGNED_IN_EVERY]!.auth.authorization } : {};

    // Warm-up: the first sockets pay for code loaded and compiled once, not per socket.
    const warm = await Promise.all(Array.from({ length: 20 }, () => connect(url)));
    await Promise.all(warm.map((c) => c.waitFor('snapshot', (m) => m.type === 'snapshot')));
    await Promise.all(warm.map((c) => c.close()));
    await waitUntil(async () => (await server.sockets()).open === 0, 'warm-up sockets closed');
    const before = await server.memory();

    const connectStarted = performance.now();
    const clients: RoomClient[] = [];
    // In batches: a thousand handshakes at once would only measure the listen backlog.
    for (let start = 0; start < SOCKETS; start += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, (_, i) => connect(url, headersOf(start + i))));
      clients.push(...batch);
    }
    await Promise.all(clients.map((c) => c.waitFor('snapshot', (m) => m.type === 'snapshot', 20_000)));
    const secondsToConnect = (performance.now() - connectStarted) / 1000;
    const users = SOCKETS / SIGNED_IN_EVERY;
    await Promise.all(clients.map((c) => c.waitFor(`${users} participants`, (m) => m.participants === users, 5_000)));
    const open = await server.sockets();
    assert.equal(open.open, SOCKETS);
    assert.equal(open.members, SOCKETS);
    const withSockets = await server.memory();

    const bidsStarted = performance.now();
    const serverCpuBefore = server.cpuSeconds();
    const clientCpuBefore = process.cpuUsage();
    await bidInWaves(auction.id, BIDS, WAVE);
    const lastAnswer = performance.now();
    const final = await finalVersion(auction.id);
    assert.ok(final > auction.version + BIDS / 4, `most bids accepted (version ${final})`);
    await Promise.all(
      clients.map((c, i) => c.waitFor(`socket ${i}: version ${final}`, (m) => m.version === final, 30_000)),
    );
    const allFinal = performance.now();
    const serverCpu = server.cpuSeconds() - serverCpuBefore;
    const clientCpu = process.cpuUsage(clientCpuBefore);

    const eventCounts: number[] = [];
    clients.forEach((c, i) => {
      const versions = versionsOf(c);
      // First of all messages, presence included (a signed-in socket's own arrival changes the count).
      assert.equal(c.messages[0]!.type, 'snapshot', `socket ${i}: first ${JSON.stringify(c.messages.slice(0, 2))}`);
      assertIncreasing(versions, `socket ${i}`);
      assert.equal(versions.at(-1), final, `socket ${i}: last version`);
      assert.equal(c.closed, null, `socket ${i} still open`);
      eventCounts.push(c.ofType('bid').length);
    });
    eventCounts.sort((a, b) => a - b);
    const afterBids = await server.memory();

    const perSocket = (key: keyof ServerMemory) =>
      kb(((withSockets[key] as number) - (before[key] as number)) / SOCKETS);
    console.log(
      JSON.stringify({
        scenario: 'live-room-1000-sockets',
        store: testStoreKind(),
        sockets: SOCKETS,
        signedInUsers: users,
        bids: BIDS,
        finalVersion: final,
        rssPerSocketKb: perSocket('vmRssBytes'),
        heapPerSocketKb: perSocket('heapUsed'),
        externalPerSocketKb: perSocket('external'),
        memoryAfterForcedGc: withSockets.gc,
        serverRssMb: {
          before: mb(before.vmRssBytes),
          withSockets: mb(withSockets.vmRssBytes),
          afterBids: mb(afterBids.vmRssBytes),
        },
        secondsToConnect: round(secondsToConnect),
        secondsToFinalState: round((allFinal - bidsStarted) / 1000),
        secondsAfterLastBidAnswer: round((allFinal - lastAnswer) / 1000),
        cpuSecondsWhileBidding: { server: round(serverCpu), clients: round((clientCpu.user + clientCpu.system) / 1e6) },
        bidEventsPerSocket: {
          min: eventCounts[0],
          median: eventCounts[eventCounts.length >> 1],
          max: eventCounts.at(-1),
        },
      }),
    );

    await Promise.all(clients.map((c) => c.close()));
    await waitUntil(async () => (await server.sockets()).members === 0, 'every member gone');
  });

  test('a socket that stops reading: the server holds a bounded buffer, and the latest state comes when it reads again', async () => {
    // The longest description (10,000 characters, each three bytes in UTF-8) makes each event ~30 kB: 300
    // of them (~9 MB) are more than the kernel's socket buffers on loopback (up to 4 MB to send, and what
    // the receiver had grown to) and the server's high-water mark together, so the server has to merge.
    const auction = await createAuction({ item: { name: 'Long story', description: '€'.repeat(10_000) } });
    const url = roomUrl(server.url, auction.id);
    const slow = await connect(url);
    const brisk = await connect(url);
    await slow.waitFor('snapshot', (m) => m.type === 'snapshot');
    await brisk.waitFor('snapshot', (m) => m.type === 'snapshot');
    const before = await server.memory();
    slow.socket.pause();
    const seenBeforePause = slow.messages.length;

    await bidInWaves(auction.id, SLOW_BIDS, 10);
    const final = await finalVersion(auction.id);
    assert.ok(final > auction.version + SLOW_BIDS / 4, `most bids accepted (version ${final})`);
    // The socket that reads is not held back by the one that does not.
    await brisk.waitFor('brisk final', (m) => m.version === final, 15_000);
    // Wait until the server has written all it will (its buffer for the slow socket stops changing).
    let sockets = await server.sockets();
    await waitUntil(async () => {
      const previous = sockets.bufferedAmounts[0];
      await new Promise((r) => setTimeout(r, 200));
      sockets = await server.sockets();
      return sockets.bufferedAmounts[0] === previous;
    }, 'the server buffer settles');
    const held = sockets.bufferedAmounts[0] ?? 0;
    const during = await server.memory();
    // An event is the auction's view and the bid: the view as GET answers it is most of it.
    const view = await call(`${server.url}/api/v1/auctions/${auction.id}`, 'GET');
    const eventBytes = Buffer.byteLength(JSON.stringify(view.body)) + 512;
    // One frame past the high-water mark at most: the rest of the events were merged into the newest.
    assert.ok(held <= SERVER_HIGH_WATER_BYTES + 2 * eventBytes, `server holds ${held} bytes for the slow socket`);
    assert.equal(slow.messages.length, seenBeforePause, 'the paused client read nothing');
    // What the server keeps for it, in its heap and its buffers, is a small part of what it was not sent.
    const allEventBytes = eventBytes * (final - auction.version);
    const grown = during.heapUsed + during.external - (before.heapUsed + before.external);
    assert.ok(grown < allEventBytes / 4, `server heap and buffers grew by ${kb(grown)} kB`);

    slow.socket.resume();
    await slow.waitFor('slow final', (m) => m.version === final, 15_000);
    const received = slow.ofType('bid').length;
    const versions = versionsOf(slow);
    assertIncreasing(versions, 'slow socket');
    assert.equal(versions.at(-1), final);
    assert.ok(
      received < final - auction.version,
      `merged: ${received} bid events for ${final - auction.version} versions`,
    );
    assert.equal(slow.closed, null);

    console.log(
      JSON.stringify({
        scenario: 'live-room-slow-consumer',
        store: testStoreKind(),
        bids: SLOW_BIDS,
        versions: final - auction.version,
        eventKb: kb(eventBytes),
        allEventsKb: kb(allEventBytes),
        serverBufferedForSlowSocketKb: kb(held),
        bidEventsReceivedBySlowSocket: received,
        serverGrowthWhilePausedKb: {
          rss: kb(during.vmRssBytes - before.vmRssBytes),
          heapUsed: kb(during.heapUsed - before.heapUsed),
          external: kb(during.external - before.external),
        },
        memoryAfterForcedGc: during.gc,
      }),
    );
    await slow.close();
    await brisk.close();
  });
});

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
