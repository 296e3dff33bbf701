/**
 * The Store contract of the watchlist and the ending-soon notices (api.md "Watchlist"), run against each
 * adapter by store.contract.test.ts next to the main contract. Bids are decided by the sequencer's own code
 * (decideBatch, commitBatchOf) inside `transact`, so the ending_soon candidates a batch carries are the real
 * ones.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type Auction,
  ENDING_SOON_LEAD_MS,
  type NewAuctionInput,
  endingSoonAt,
  placeBid,
} from '../src/domain/index.ts';
import type { EngineCommand } from '../src/engine/commands.ts';
import { commitBatchOf, decideBatch } from '../src/engine/decide-batch.ts';
import {
  type CommitResult,
  type EndingSoonNotice,
  InvalidCursorError,
  type Page,
  type Store,
  type UserEvent,
} from '../src/store/index.ts';
import type { StoreUnderTest } from './store.contract.ts';
import { BIDDERS, T0, makeAuction } from './support/auction-scenarios.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The users of these tests besides the scenario's (seller, alice, bob, carol). */
const MORE_USERS = ['dave', 'erin', 'frank', 'grace', 'heidi'] as const;

let counter = 0;
const uniqueId = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

async function insertUsers(store: Store): Promise<void> {
  for (const id of [...BIDDERS, ...MORE_USERS])
    assert.equal(
      await store.insertUser({
        id,
        username: id,
        displayName: `Display ${id}`,
        passwordHash: 'x',
        createdAt: T0 - HOUR,
      }),
      'inserted',
    );
}

/** A new auction (seller `seller`, one hour from T0 unless told), stored. */
async function createAuction(store: Store, overrides: Partial<NewAuctionInput> = {}, now = T0): Promise<Auction> {
  const auction = makeAuction({ id: uniqueId('auction'), ...overrides }, now);
  await store.insertAuctions([auction]);
  return auction;
}

/** A bid, decided and written as the sequencer does on a store with concurrent writers. */
function bid(store: Store, auctionId: string, bidderId: string, amount: number, now: number): Promise<CommitResult> {
  const command = {
    seq: 0,
    type: 'bid',
    auctionId,
    bidderId,
    amount,
    idempotencyKey: null,
    bidId: uniqueId('bid'),
    proxyBidId: uniqueId('proxy'),
    requestHash: `amount:${amount}`,
    enqueuedAt: 0,
    resolve: () => {},
    reject: () => {},
  } satisfies EngineCommand;
  return store.transact([auctionId], async (locked) => commitBatchOf(decideBatch([command], locked, now, new Map())));
}

const watch = (store: Store, userId: string, auctionId: string, at: number, notice = `{"watch":"${userId}"}`) =>
  store.watch({ userId, auctionId, at, notice });

/** The ending_soon notifications a user has, oldest first. */
async function endingSoonOf(store: Store, userId: string): Promise<UserEvent[]> {
  return (await store.userEventsAfter(userId, 0, 1_000)).filter((e) => e.type === 'ending_soon');
}

/** What the closer does in a round: the due moments' notices (rendered as `data:<id>`), handed out. */
async function deliverDue(store: Store, now: number, limit = 1_000) {
  const due = await store.dueEndingSoon(now, 100);
  const notices: EndingSoonNotice[] = due.map((a) => ({ auctionId: a.id, data: `{"auction":"${a.id}"}` }));
  return store.deliverEndingSoon(now, notices, limit);
}

/** Every page of a watchlist, checking the page contract on the way. */
async function wholeWatchlist(store: Store, userId: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const page: Page<Auction> = await store.listWatchlist(userId, limit, cursor);
    assert.ok(page.items.length <= limit);
    if (page.nextCursor !== null) assert.equal(page.items.length, limit, 'a page with a next cursor is full');
    ids.push(...page.items.map((a) => a.id));
    if (page.nextCursor === null) return ids;
    cursor = page.nextCursor;
  }
  assert.fail('paging did not terminate');
}

export function watchlistContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  async function withStore(fn: (store: Store, handle: StoreUnderTest) => Promise<void>): Promise<void> {
    const handle = await makeStore();
    try {
      await insertUsers(handle.store);
      await fn(handle.store, handle);
    } finally {
      await handle.cleanup();
    }
  }

  describe(`Store contract (watchlist): ${name}`, () => {
    test('watch / unwatch are idempotent, count each user once, and an unknown auction is not found', async () => {
      await withStore(async (store) => {
        const a = await createAuction(store);
        const b = await createAuction(store);
        assert.deepEqual(await watch(store, 'alice', a.id, T0), { found: true, notification: null });
        assert.deepEqual(await watch(store, 'alice', a.id, T0 + 1), { found: true, notification: null });
        await watch(store, 'bob', a.id, T0 + 2);
        await watch(store, 'bob', b.id, T0 + 3);
        assert.deepEqual(
          await store.watcherCounts([a.id, b.id, 'no-such-auction']),
          new Map([
            [a.id, 2],
            [b.id, 1],
          ]),
        );
        await store.unwatch('alice', a.id);
        await store.unwatch('alice', a.id);
        await store.unwatch('carol', a.id);
        await store.unwatch('carol', 'no-such-auction');
        assert.deepEqual(
          await store.watcherCounts([a.id, b.id]),
          new Map([
            [a.id, 1],
            [b.id, 1],
          ]),
        );
        await store.unwatch('bob', b.id);
        assert.deepEqual(await store.watcherCounts([b.id]), new Map());
        assert.deepEqual(await store.watcherCounts([]), new Map());

        assert.deepEqual(await watch(store, 'alice', 'no-such-auction', T0), { found: false });
        assert.deepEqual(await store.listWatchlist('alice', 10, null), { items: [], nextCursor: null });
        // Watching is no state change of the auction.
        assert.deepEqual((await store.loadAuctions([a.id])).get(a.id), a);
      });
    });

    test('listWatchlist: soonest end first, insertion order on ties, any status, pages without gaps or repeats', async () => {
      await withStore(async (store) => {
        const ends = [50, 10, 30, 10, 90, 30, 70].map((m) => T0 + m * MINUTE);
        const auctions: Auction[] = [];
        for (const endDate of ends) auctions.push(await createAuction(store, { endDate }));
        // One that ended (any status is listed), created earlier so that its end is in the past of T0.
        const ended = await createAuction(store, { endDate: T0 - HOUR }, T0 - 2 * HOUR);
        const watched = [...auctions, ended];
        for (const i of [4, 0, 6, 2, 1, 5, 3, 7]) await watch(store, 'alice', watched[i]!.id, T0);
        await watch(store, 'bob', auctions[0]!.id, T0);
        const expected = [...watched]
          .map((a, insertion) => ({ a, insertion }))
          .sort((x, y) => x.a.endDate - y.a.endDate || x.insertion - y.insertion)
          .map((x) => x.a.id);
        for (const limit of [1, 2, 3, 8, 100]) assert.deepEqual(await wholeWatchlist(store, 'alice', limit), expected);
        const first = await store.listWatchlist('alice', 2, null);
        assert.deepEqual(first.items[0], ended, 'the stored state');
        assert.deepEqual(await wholeWatchlist(store, 'bob', 2), [auctions[0]!.id]);
        await assert.rejects(store.listWatchlist('bob', 2, first.nextCursor), InvalidCursorError);
        await assert.rejects(store.listWatchlist('alice', 2, 'not-a-cursor'), InvalidCursorError);
        await store.unwatch('alice', auctions[1]!.id);
        assert.deepEqual(
          await wholeWatchlist(store, 'alice', 3),
          expected.filter((id) => id !== auctions[1]!.id),
        );
      });
    });

    test('the ending-soon index: each active auction 15 minutes before its end (its start when shorter), earliest first', async () => {
      await withStore(async (store) => {
        assert.equal(await store.nextEndingSoonTime(), null);
        assert.deepEqual(await store.dueEndingSoon(T0 + 100 * HOUR, 10), []);
        const hour = await createAuction(store, { endDate: T0 + HOUR });
        const short = await createAuction(store, { endDate: T0 + 10 * MINUTE });
        const later = await createAuction(store, { startDate: T0 + 2 * HOUR, endDate: T0 + 2 * HOUR + 5 * MINUTE });
        assert.equal(endingSoonAt(hour), T0 + HOUR - ENDING_SOON_LEAD_MS);
        assert.equal(await store.nextEndingSoonTime(), T0);
        assert.deepEqual(await store.dueEndingSoon(T0 - 1, 10), []);
        assert.deepEqual(await store.dueEndingSoon(T0, 10), [short]);
        assert.deepEqual(
          (await store.dueEndingSoon(T0 + 3 * HOUR, 10)).map((a) => a.id),
          [short.id, hour.id, later.id],
        );
        assert.deepEqual(
          (await store.dueEndingSoon(T0 + 3 * HOUR, 2)).map((a) => a.id),
          [short.id, hour.id],
        );
      });
    });

    test('deliverEndingSoon tells every watcher and bidder once; later watchers and bidders hear it at once, once', async () => {
      await withStore(async (store) => {
        const a = await createAuction(store, { endDate: T0 + HOUR, startingPrice: 100, minIncrement: 10 });
        const other = await createAuction(store, { endDate: T0 + 2 * HOUR });
        await watch(store, 'alice', a.id, T0);
        await watch(store, 'carol', a.id, T0);
        await watch(store, 'dave', other.id, T0);
        assert.deepEqual((await bid(store, a.id, 'bob', 100, T0 + 1)).endingSoon ?? [], [], 'not before the moment');
        await bid(store, a.id, 'carol', 200, T0 + 2);

        // Before the moment nothing is due.
        const moment = T0 + HOUR - ENDING_SOON_LEAD_MS;
        assert.deepEqual(await deliverDue(store, moment - 1), { notifications: [], settled: 0 });
        const delivery = await deliverDue(store, moment);
        assert.equal(delivery.settled, 1);
        const data = `{"auction":"${a.id}"}`;
        assert.deepEqual(
          delivery.notifications.map((n) => [n.userId, n.type, n.data, n.createdAt]).sort(),
          [
            ['alice', 'ending_soon', data, moment],
            ['bob', 'ending_soon', data, moment],
            ['carol', 'ending_soon', data, moment],
          ],
          'watchers and bidders, each once (carol both watches and bids), not the seller nor other watchers',
        );
        const seqs = delivery.notifications.map((n) => n.seq);
        assert.deepEqual(
          seqs,
          [...seqs].sort((x, y) => x - y),
          'in seq order',
        );
        for (const n of delivery.notifications) assert.deepEqual(await endingSoonOf(store, n.userId), [n]);
        assert.equal(await store.lastUserEventSeq(), Math.max(...seqs));
        // The moment left the index: handed out once.
        assert.equal(await store.nextEndingSoonTime(), endingSoonAt(other));
        assert.deepEqual(await deliverDue(store, moment + MINUTE), { notifications: [], settled: 0 });
        assert.deepEqual(
          await store.deliverEndingSoon(moment + MINUTE, [{ auctionId: a.id, data }], 100),
          { notifications: [], settled: 0 },
          'a moment already handed out is skipped',
        );

        // Past the moment: a new watcher hears it at once, once; those who had it never again.
        const late = await watch(store, 'dave', a.id, moment + 2 * MINUTE, '{"late":true}');
        assert.ok(late.found && late.notification);
        assert.deepEqual(
          [late.notification.userId, late.notification.type, late.notification.data, late.notification.createdAt],
          ['dave', 'ending_soon', '{"late":true}', moment + 2 * MINUTE],
        );
        assert.ok(late.notification.seq > Math.max(...seqs));
        assert.deepEqual(await endingSoonOf(store, 'dave'), [late.notification]);
        assert.deepEqual(await watch(store, 'dave', a.id, moment + 3 * MINUTE), { found: true, notification: null });
        await store.unwatch('dave', a.id);
        assert.deepEqual(await watch(store, 'dave', a.id, moment + 4 * MINUTE), { found: true, notification: null });
        assert.deepEqual(await watch(store, 'alice', a.id, moment + 4 * MINUTE), { found: true, notification: null });

        // A new bidder hears it with their bid's commit, once; one who had it (as a watcher) not again.
        const first = await bid(store, a.id, 'erin', 300, moment + 5 * MINUTE);
        assert.equal(first.endingSoon?.length, 1);
        const [notice] = first.endingSoon!;
        assert.deepEqual(
          [notice!.userId, notice!.type, notice!.createdAt],
          ['erin', 'ending_soon', moment + 5 * MINUTE],
        );
        assert.equal((JSON.parse(notice!.data) as { auction: { id: string } }).auction.id, a.id);
        assert.deepEqual(await endingSoonOf(store, 'erin'), [notice]);
        assert.deepEqual((await bid(store, a.id, 'erin', 400, moment + 6 * MINUTE)).endingSoon ?? [], []);
        assert.deepEqual((await bid(store, a.id, 'dave', 500, moment + 7 * MINUTE)).endingSoon ?? [], []);
        assert.equal((await endingSoonOf(store, 'dave')).length, 1);
        // A watch of an auction that ended, or of one whose moment is still to come, tells nobody.
        assert.deepEqual(await watch(store, 'frank', a.id, T0 + HOUR), { found: true, notification: null });
        assert.deepEqual(await watch(store, 'frank', other.id, moment), { found: true, notification: null });
        assert.deepEqual(await endingSoonOf(store, 'frank'), []);
      });
    });

    test('a watch or a bid inside the window before the moment is handed out is told by the delivery, once', async () => {
      await withStore(async (store) => {
        const a = await createAuction(store, { endDate: T0 + HOUR, startingPrice: 100 });
        const moment = endingSoonAt(a);
        // The closer is late: the moment is due but not handed out yet.
        assert.deepEqual(await watch(store, 'alice', a.id, moment + 1), { found: true, notification: null });
        assert.deepEqual((await bid(store, a.id, 'bob', 100, moment + 2)).endingSoon ?? [], []);
        const delivery = await deliverDue(store, moment + 3);
        assert.deepEqual(delivery.notifications.map((n) => n.userId).sort(), ['alice', 'bob']);
        for (const user of ['alice', 'bob']) assert.equal((await endingSoonOf(store, user)).length, 1);
      });
    });

    test('judged on the stored end: an extension moves the moment (nobody told early); a cancelled or ended auction tells nobody', async () => {
      await withStore(async (store) => {
        const softClose = { windowSeconds: 3600, extendSeconds: 3600 };
        const a = await createAuction(store, { endDate: T0 + HOUR, startingPrice: 100, softClose });
        await watch(store, 'alice', a.id, T0);
        const moment = endingSoonAt(a);
        // The notice is rendered from a state read before a bid extended the auction by an hour (a batch
        // written without the engine's moved moment: the store must judge on its own columns).
        const [rendered] = await store.dueEndingSoon(moment + 1, 10);
        assert.equal(rendered?.id, a.id);
        const state = (await store.loadAuctions([a.id])).get(a.id)!;
        const decided = placeBid(state, { id: uniqueId('bid'), bidderId: 'bob', amount: 100 }, moment + 1);
        assert.ok(decided.accepted && decided.auction.endDate === moment + 1 + HOUR);
        await store.commitBatch({
          bids: [
            {
              id: uniqueId('bid'),
              auctionId: a.id,
              bidderId: 'bob',
              amount: 100,
              kind: 'bid',
              maxAmount: null,
              status: 'accepted',
              reason: null,
              createdAt: moment + 1,
              auctionVersion: decided.auction.version,
            },
          ],
          auctions: [{ before: state.version, after: decided.auction }],
          events: [],
          idempotency: [],
          notifications: [],
        });
        const notices = [{ auctionId: a.id, data: '{}' }];
        assert.deepEqual(await store.deliverEndingSoon(moment + 2, notices, 100), { notifications: [], settled: 1 });
        const moved = endingSoonAt(decided.auction);
        assert.equal(await store.nextEndingSoonTime(), moved);
        assert.deepEqual(await store.dueEndingSoon(moved - 1, 10), []);
        const delivery = await deliverDue(store, moved);
        assert.deepEqual(delivery.notifications.map((n) => n.userId).sort(), ['alice', 'bob']);

        // The engine's own batches move the moment with the extension (CommitBatch.endingSoonDue).
        const b = await createAuction(store, { endDate: T0 + HOUR, startingPrice: 100, softClose });
        await bid(store, b.id, 'carol', 100, endingSoonAt(b) - 1);
        const bState = (await store.loadAuctions([b.id])).get(b.id)!;
        assert.equal(bState.endDate, endingSoonAt(b) - 1 + HOUR);
        assert.equal(await store.nextEndingSoonTime(), endingSoonAt(bState));

        // Cancelled before its moment: the moment goes, nobody hears it.
        const c = await createAuction(store, { endDate: T0 + 3 * HOUR });
        await watch(store, 'dave', c.id, T0);
        const cState = (await store.loadAuctions([c.id])).get(c.id)!;
        await store.commitBatch({
          bids: [],
          auctions: [
            { before: cState.version, after: { ...cState, lifecycle: 'cancelled', version: cState.version + 1 } },
          ],
          events: [],
          idempotency: [],
          notifications: [],
        });
        // Ended by the time the closer comes round: nobody hears it either.
        const d = await createAuction(store, { endDate: T0 + 10 * MINUTE });
        await watch(store, 'erin', d.id, T0 - 1);
        const notices2 = [c, d].map((x) => ({ auctionId: x.id, data: '{}' }));
        assert.deepEqual(await store.deliverEndingSoon(T0 + 3 * HOUR, notices2, 100), {
          notifications: [],
          settled: 2,
        });
        assert.deepEqual(await endingSoonOf(store, 'dave'), []);
        assert.deepEqual(await endingSoonOf(store, 'erin'), []);
        assert.equal(await store.nextEndingSoonTime(), endingSoonAt(bState));
        // Nor does watching them afterwards.
        assert.deepEqual(await watch(store, 'dave', c.id, T0 + 3 * HOUR), { found: true, notification: null });
      });
    });

    test('at most `limit` notifications per call: the moment stays due and the rest come next, none twice', async () => {
      await withStore(async (store) => {
        const a = await createAuction(store, { endDate: T0 + HOUR });
        const watchers = ['alice', 'bob', 'carol', ...MORE_USERS];
        for (const user of watchers) await watch(store, user, a.id, T0);
        const moment = endingSoonAt(a);
        const told: string[] = [];
        for (const expected of [3, 3, 2]) {
          const delivery = await deliverDue(store, moment, 3);
          assert.equal(delivery.notifications.length, expected);
          told.push(...delivery.notifications.map((n) => n.userId));
        }
        assert.equal(await store.nextEndingSoonTime(), null);
        assert.deepEqual(told.sort(), [...watchers].sort());
      });
    });

    test('deliveries, watches and bids racing on one moment (from two stores when the adapter can) tell each user once', async () => {
      await withStore(async (store, handle) => {
        const other = handle.openAnother ? await handle.openAnother() : store;
        const a = await createAuction(store, { endDate: T0 + HOUR });
        const b = await createAuction(store, { endDate: T0 + HOUR });
        const c = await createAuction(store, { endDate: T0 + HOUR, startingPrice: 100, minIncrement: 10 });
        const early = ['alice', 'bob', 'carol'];
        const racing = [...MORE_USERS];
        for (const user of early) for (const x of [a, b]) await watch(store, user, x.id, T0);
        const moment = endingSoonAt(a);
        const notices = [a, b, c].map((x) => ({ auctionId: x.id, data: JSON.stringify({ auction: x.id }) }));
        const storeOf = (i: number) => (i % 2 === 0 ? store : other);
        await Promise.all([
          store.deliverEndingSoon(moment, notices, 1_000),
          other.deliverEndingSoon(moment, notices, 1_000),
          ...racing.flatMap((user, i) =>
            [a, b].map((x, j) =>
              storeOf(i + j).watch({
                userId: user,
                auctionId: x.id,
                at: moment + 1,
                notice: JSON.stringify({ auction: x.id }),
              }),
            ),
          ),
          // Bidders on an auction nobody watches: told by the delivery or by their bid's commit.
          ...racing.map((user, i) => bid(storeOf(i + 1), c.id, user, 100 + 10 * i, moment + 1)),
        ]);
        // A moment a racing watch or bid held may have been skipped: the closer's next round hands it out.
        for (let round = 0; round < 5 && (await store.nextEndingSoonTime()) !== null; round++)
          await store.deliverEndingSoon(moment + 2, notices, 1_000);
        assert.equal(await store.nextEndingSoonTime(), null);
        const bidders = new Set(
          (await store.listBids({ auctionId: c.id, status: 'accepted', limit: 100, cursor: null })).items.map(
            (x) => x.bidderId,
          ),
        );
        assert.ok(bidders.size > 0);
        for (const user of [...early, ...racing]) {
          const told = (await endingSoonOf(store, user)).map((e) => {
            const data = JSON.parse(e.data) as { auction: string | { id: string } };
            return typeof data.auction === 'string' ? data.auction : data.auction.id;
          });
          const expected = [a.id, b.id, ...(bidders.has(user) ? [c.id] : [])].sort();
          assert.deepEqual(told.sort(), expected, `${user} hears about each auction once`);
        }
      });
    });

    test('who was told survives a restart: nothing is sent again', async (t) => {
      await withStore(async (store, handle) => {
        if (!handle.reopen) return t.skip('the adapter cannot reopen its storage');
        const a = await createAuction(store, { endDate: T0 + HOUR });
        await watch(store, 'alice', a.id, T0);
        await watch(store, 'bob', a.id, T0);
        const moment = endingSoonAt(a);
        assert.equal((await deliverDue(store, moment)).notifications.length, 2);
        const reopened = await handle.reopen();
        assert.equal(await reopened.nextEndingSoonTime(), null);
        assert.deepEqual(await deliverDue(reopened, moment + 1), { notifications: [], settled: 0 });
        assert.deepEqual(await watch(reopened, 'alice', a.id, moment + 2), { found: true, notification: null });
        assert.deepEqual(await reopened.watcherCounts([a.id]), new Map([[a.id, 2]]));
        assert.equal((await endingSoonOf(reopened, 'alice')).length, 1);
      });
    });
  });
}
