/**
 * The Store contract's webhook part (docs/webhooks.md): each seller's subscriptions, and the OUTBOX of their
 * deliveries, written in the transaction of the change they report, handed out one at a time per
 * (webhook, auction) in version order under a lease, and settled under that lease. Run against every adapter
 * by store.contract.test.ts. The events of bids are derived by the engine's own code (webhookEventsOf), so
 * the deliveries point at the stored events exactly as on the bid path.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { webhookEventId, webhookEventsOf } from '../src/engine/webhook-events.ts';
import {
  type ClaimedWebhookDelivery,
  type CommitBatch,
  IdempotencyKeyConflictError,
  InvalidCursorError,
  type QaItemRecord,
  type Store,
  VersionConflictError,
  type WebhookDeliveryOutcome,
  type WebhookDeliveryRecord,
  type WebhookEvent,
  type WebhookRecord,
} from '../src/store/index.ts';
import { AuctionBook, type Command, type StoreUnderTest, insertScenarioUsers } from './store.contract.ts';
import { T0 } from './support/auction-scenarios.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** The lease of these tests' claims: far longer than any test's steps, so only an explicit jump ends it. */
const LEASE = 30 * SECOND;

let counter = 0;
const uniqueId = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

function webhook(ownerId: string, events: string[], createdAt = T0, id = uniqueId('wh')): WebhookRecord {
  return { id, ownerId, url: `https://hooks.example/${id}`, events, secret: `whsec_${id}`, createdAt };
}

/** A hand-built event (for types the commands of these tests do not produce, and for non-null data). */
function hookEvent(
  auctionId: string,
  version: number,
  type: string,
  createdAt: number,
  data: string | null,
  sellerId = 'seller',
): WebhookEvent {
  return { eventId: `${auctionId}.${version}.${type}`, auctionId, sellerId, version, type, data, createdAt };
}

/**
 * Decides `commands` on the book's committed states and builds the batch with the webhook events the engine
 * derives from each auction's change (plus `extra`), without committing.
 */
function buildWithHooks(book: AuctionBook, commands: Command[], extra: WebhookEvent[] = []) {
  const { batch, states } = book.build(commands);
  const now = Math.max(...commands.map((c) => c.now));
  const webhookEvents: WebhookEvent[] = [];
  for (const { after } of batch.auctions)
    webhookEvents.push(
      ...webhookEventsOf(
        book.state(after.id),
        after,
        batch.events.filter((e) => e.auctionId === after.id),
        now,
      ),
    );
  webhookEvents.push(...extra);
  const withHooks: CommitBatch = { ...batch, webhookEvents };
  return { batch: withHooks, states };
}

/** Commits the commands with their webhook events; the book adopts the new states. */
async function commitWithHooks(
  store: Store,
  book: AuctionBook,
  commands: Command[],
  extra: WebhookEvent[] = [],
): Promise<CommitBatch> {
  const { batch, states } = buildWithHooks(book, commands, extra);
  await store.commitBatch(batch);
  book.adopt(batch, states);
  return batch;
}

/** `n` accepted bids on one auction (alternating bidders, each 100 more), all in one batch at `now`. */
function bids(auctionId: string, n: number, now: number, first = 1000, bidders = ['alice', 'bob']): Command[] {
  return Array.from({ length: n }, (_, i) => ({
    type: 'bid' as const,
    auctionId,
    bidderId: bidders[i % bidders.length]!,
    amount: first + 100 * i,
    now,
  }));
}

/** A webhook's whole delivery listing, page by page, checking the page contract on the way. */
async function allDeliveries(store: Store, webhookId: string, limit = 100): Promise<WebhookDeliveryRecord[]> {
  const out: WebhookDeliveryRecord[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1_000; guard++) {
    const page = await store.listWebhookDeliveries(webhookId, limit, cursor);
    assert.ok(page.items.length <= limit, `page of ${page.items.length} > limit ${limit}`);
    if (page.nextCursor !== null) assert.equal(page.items.length, limit, 'a page with a next cursor is full');
    if (cursor !== null) assert.ok(page.items.length > 0, 'a cursor led to an empty page');
    out.push(...page.items);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
  assert.fail('paging did not terminate');
}

/** The one delivery with this id in a webhook's listing. */
async function deliveryOf(store: Store, webhookId: string, id: string): Promise<WebhookDeliveryRecord> {
  const found = (await allDeliveries(store, webhookId)).find((d) => d.id === id);
  assert.ok(found, `delivery ${id} is not listed`);
  return found;
}

/** "webhook auction version" of claimed deliveries, sorted: what a claim handed out, readably. */
const keysOf = (claimed: readonly ClaimedWebhookDelivery[], names: Map<string, string>) =>
  claimed.map((d) => `${names.get(d.webhookId) ?? d.webhookId} ${d.auctionId} v${d.version}`).sort();

const delivered = (d: ClaimedWebhookDelivery, at: number): WebhookDeliveryOutcome => ({
  id: d.id,
  leaseUntil: d.leaseUntil,
  at,
  outcome: 'delivered',
});
const failed = (d: ClaimedWebhookDelivery, at: number, error = 'HTTP 500'): WebhookDeliveryOutcome => ({
  id: d.id,
  leaseUntil: d.leaseUntil,
  at,
  outcome: 'failed',
  error,
});
const retry = (d: ClaimedWebhookDelivery, at: number, nextAttemptAt: number, error = 'HTTP 503') =>
  ({ id: d.id, leaseUntil: d.leaseUntil, at, outcome: 'retry', error, nextAttemptAt }) satisfies WebhookDeliveryOutcome;

function qaItem(id: string, overrides: Partial<QaItemRecord> = {}): QaItemRecord {
  return {
    id,
    kind: 'question',
    auctionId: 'qa-auction',
    questionId: null,
    authorId: 'alice',
    text: `text of ${id}`,
    status: 'published',
    createdAt: T0,
    attempts: 0,
    lastError: null,
    nextAttemptAt: null,
    parked: false,
    ...overrides,
  };
}

export function webhookContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  /** A fresh store with the scenario users (seller, alice, bob, carol) and a book to build batches. */
  async function withBook(fn: (store: Store, book: AuctionBook, handle: StoreUnderTest) => Promise<void>) {
    const handle = await makeStore();
    try {
      await insertScenarioUsers(handle.store);
      await fn(handle.store, new AuctionBook(handle.store), handle);
    } finally {
      await handle.cleanup();
    }
  }

  describe(`Store contract: ${name}: webhooks`, () => {
    test('insertWebhook keeps to `max` per owner; listed oldest first; find and delete are the owner’s alone', async () => {
      await withBook(async (store) => {
        const w1 = webhook('seller', ['bid.accepted', 'auction.closed'], T0);
        const w2 = webhook('seller', ['auction.closed', 'bid.accepted'], T0 + 1);
        const w3 = webhook('seller', ['question.published'], T0 + 2);
        assert.equal(await store.insertWebhook(w1, 2), true);
        assert.equal(await store.insertWebhook(w2, 2), true);
        assert.equal(await store.insertWebhook(w3, 2), false, 'the owner has `max` already');
        assert.equal(await store.findWebhook('seller', w3.id), null, 'nothing written');
        assert.deepEqual(await store.listWebhooks('seller'), [w1, w2], 'oldest first, events in the order given');
        // Another owner counts on their own.
        const theirs = webhook('alice', ['bid.accepted'], T0 + 3);
        assert.equal(await store.insertWebhook(theirs, 2), true);
        assert.equal(await store.insertWebhook(w3, 3), true, 'a higher max lets one more in');
        assert.deepEqual(await store.listWebhooks('seller'), [w1, w2, w3]);
        assert.deepEqual(await store.listWebhooks('alice'), [theirs]);
        assert.deepEqual(await store.listWebhooks('nobody'), []);

        assert.deepEqual(await store.findWebhook('seller', w1.id), w1);
        assert.equal(await store.findWebhook('alice', w1.id), null, 'another owner’s webhook is absent');
        assert.equal(await store.findWebhook('seller', 'no-such-webhook'), null);
        assert.equal(await store.deleteWebhook('alice', w1.id), false, 'another owner cannot delete it');
        assert.deepEqual(await store.findWebhook('seller', w1.id), w1, 'still there');
        assert.equal(await store.deleteWebhook('seller', w1.id), true);
        assert.equal(await store.deleteWebhook('seller', w1.id), false, 'gone already');
        assert.equal(await store.findWebhook('seller', w1.id), null);
        assert.deepEqual(await store.listWebhooks('seller'), [w2, w3]);
        assert.deepEqual(await store.listWebhooks('alice'), [theirs]);
        // Deleting made room under the same max.
        const w4 = webhook('seller', ['auction.cancelled'], T0 + 4);
        assert.equal(await store.insertWebhook(w4, 3), true);
        assert.deepEqual(await store.listWebhooks('seller'), [w2, w3, w4]);
      });
    });

    test('deleting a webhook deletes its deliveries: pending ones are never handed out', async () => {
      await withBook(async (store, book) => {
        const gone = webhook('seller', ['bid.accepted']);
        const kept = webhook('seller', ['bid.accepted'], T0 + 1);
        for (const w of [gone, kept]) assert.equal(await store.insertWebhook(w, 20), true);
        const a = await book.create();
        await commitWithHooks(store, book, bids(a.id, 2, T0 + SECOND));
        assert.equal((await allDeliveries(store, gone.id)).length, 2);
        assert.equal(await store.deleteWebhook('seller', gone.id), true);
        assert.deepEqual(await allDeliveries(store, gone.id), []);
        assert.equal((await allDeliveries(store, kept.id)).length, 2);
        const claimed = await store.claimWebhookDeliveries(T0 + MINUTE, T0 + MINUTE + LEASE, 100);
        assert.deepEqual(
          claimed.map((d) => [d.webhookId, d.version]),
          [[kept.id, 2]],
          'only the kept webhook’s first one (its second waits behind it)',
        );
      });
    });

    test('commitBatch writes one delivery per subscribed webhook of the seller, with the change', async () => {
      await withBook(async (store, book) => {
        const onBids = webhook('seller', ['bid.accepted'], T0);
        const onClose = webhook('seller', ['auction.closed', 'auction.cancelled'], T0 + 1);
        const onBoth = webhook('seller', ['auction.closed', 'auction.extended', 'bid.accepted'], T0 + 2);
        const alices = webhook('alice', ['bid.accepted', 'auction.extended'], T0 + 3);
        for (const w of [onBids, onClose, onBoth, alices]) assert.equal(await store.insertWebhook(w, 20), true);
        const names = new Map([
          [onBids.id, 'onBids'],
          [onClose.id, 'onClose'],
          [onBoth.id, 'onBoth'],
          [alices.id, 'alices'],
        ]);
        const a = await book.create({ sellerId: 'seller' });
        const b = await book.create({ sellerId: 'alice' });
        const now = T0 + 5 * SECOND;
        // The engine's events (bid.accepted, data null), and one given with its own data: claimed as given,
        // although a stored event exists at that version.
        const given = hookEvent(a.id, 2, 'auction.extended', now, '{"given":true}');
        const batch = await commitWithHooks(
          store,
          book,
          [
            { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1000, now },
            { type: 'bid', auctionId: b.id, bidderId: 'carol', amount: 1000, now },
          ],
          [given],
        );
        assert.deepEqual(
          batch.webhookEvents!.map((e) => [e.auctionId, e.type, e.version, e.data]),
          [
            [a.id, 'bid.accepted', 2, null],
            [b.id, 'bid.accepted', 2, null],
            [a.id, 'auction.extended', 2, '{"given":true}'],
          ],
          'the test’s premise: the engine reports the bids by reference to their stored events',
        );

        const listed = async (w: WebhookRecord) =>
          (await allDeliveries(store, w.id)).map((d) => [d.auctionId, d.type, d.version]);
        assert.deepEqual(await listed(onBids), [[a.id, 'bid.accepted', 2]]);
        assert.deepEqual(await listed(onClose), [], 'no delivery of a type it does not subscribe to');
        assert.deepEqual(
          await listed(onBoth),
          [
            [a.id, 'auction.extended', 2],
            [a.id, 'bid.accepted', 2],
          ],
          'newest first',
        );
        assert.deepEqual(await listed(alices), [[b.id, 'bid.accepted', 2]], 'only the auctions its owner sells');

        const [record] = await allDeliveries(store, onBids.id);
        assert.deepEqual(
          { ...record!, id: '' },
          {
            id: '',
            webhookId: onBids.id,
            eventId: webhookEventId(a.id, 2, 'bid.accepted'),
            type: 'bid.accepted',
            auctionId: a.id,
            version: 2,
            status: 'pending',
            attempts: 0,
            lastError: null,
            createdAt: now,
            nextAttemptAt: now,
            lastAttemptAt: null,
            deliveredAt: null,
            manual: false,
          },
          'pending, due at once',
        );
        assert.ok(record!.id.length > 0);

        // Not due before the event's time; then each comes with its webhook and the event's data. onBoth has
        // two of auction a: the older (the bid) first, the other once it is settled.
        assert.deepEqual(await store.claimWebhookDeliveries(now - 1, now + LEASE, 100), []);
        const claimed = await store.claimWebhookDeliveries(now, now + LEASE, 100);
        assert.deepEqual(
          keysOf(claimed, names),
          [`alices ${b.id} v2`, `onBids ${a.id} v2`, `onBoth ${a.id} v2`].sort(),
        );
        const storedA = (await store.eventsAfter(a.id, 1, 1))[0]!;
        const storedB = (await store.eventsAfter(b.id, 1, 1))[0]!;
        assert.equal(storedA.version, 2);
        for (const d of claimed) {
          const w = [onBids, onBoth, alices].find((x) => x.id === d.webhookId)!;
          assert.equal(d.url, w.url);
          assert.equal(d.secret, w.secret);
          assert.equal(d.attempts, 1);
          assert.equal(d.leaseUntil, now + LEASE);
          assert.equal(d.type, 'bid.accepted');
          assert.equal(d.data, d.auctionId === a.id ? storedA.data : storedB.data, 'the stored event’s data');
        }
        const bothBid = claimed.find((d) => d.webhookId === onBoth.id)!;
        assert.equal(bothBid.eventId, claimed.find((d) => d.webhookId === onBids.id)!.eventId, 'one id per event');
        await store.settleWebhookDeliveries([delivered(bothBid, now + 1)]);
        const [extended, ...more] = await store.claimWebhookDeliveries(now + 1, now + 1 + LEASE, 100);
        assert.deepEqual(more, []);
        assert.deepEqual(
          [extended?.webhookId, extended?.type, extended?.eventId, extended?.data],
          [onBoth.id, 'auction.extended', given.eventId, '{"given":true}'],
          'non-null data as given',
        );
      });
    });

    test('a batch that fails (VersionConflictError, IdempotencyKeyConflictError) writes no delivery', async () => {
      await withBook(async (store, book) => {
        const w = webhook('seller', ['bid.accepted']);
        assert.equal(await store.insertWebhook(w, 20), true);
        const a = await book.create();
        const b = await book.create();
        await commitWithHooks(store, book, [
          { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000, now: T0 + 1, idempotencyKey: 'dup' },
        ]);
        const before = await allDeliveries(store, w.id);
        assert.equal(before.length, 1);

        // Decided from a version another writer has moved on from; the fresh auction b comes first, so a
        // partial write would show there.
        const rival = new AuctionBook(store);
        for (const id of [a.id, b.id]) rival.states.set(id, book.state(id));
        await commitWithHooks(store, book, [
          { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1100, now: T0 + 2 },
        ]);
        const afterWinner = await allDeliveries(store, w.id);
        assert.equal(afterWinner.length, 2);
        const { batch: stale } = buildWithHooks(rival, [
          { type: 'bid', auctionId: b.id, bidderId: 'carol', amount: 1000, now: T0 + 3 },
          { type: 'bid', auctionId: a.id, bidderId: 'carol', amount: 1100, now: T0 + 3 },
        ]);
        assert.equal(stale.webhookEvents!.length, 2, 'the test’s premise: the failing batch reports two events');
        await assert.rejects(store.commitBatch(stale), VersionConflictError);
        assert.deepEqual(await allDeliveries(store, w.id), afterWinner);

        // A key another request stored first.
        const { batch: duplicate } = buildWithHooks(book, [
          { type: 'bid', auctionId: b.id, bidderId: 'bob', amount: 1000, now: T0 + 4, idempotencyKey: 'fine' },
          { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1300, now: T0 + 4, idempotencyKey: 'dup' },
        ]);
        assert.equal(duplicate.webhookEvents!.length, 2);
        await assert.rejects(store.commitBatch(duplicate), IdempotencyKeyConflictError);
        assert.deepEqual(await allDeliveries(store, w.id), afterWinner);
        const claimed = await store.claimWebhookDeliveries(T0 + MINUTE, T0 + MINUTE + LEASE, 100);
        assert.deepEqual(
          claimed.map((d) => [d.auctionId, d.version]),
          [[a.id, 2]],
        );
      });
    });

    test('claim: only due deliveries, longest due first, at most `limit`, attempts + 1, leased until leaseUntil', async () => {
      await withBook(async (store) => {
        const w = webhook('seller', ['auction.closed']);
        assert.equal(await store.insertWebhook(w, 20), true);
        // One delivery on each of five auctions (no order between them), due a second apart, written in
        // another order than they fall due.
        const dueAt = [4, 1, 3, 0, 2].map((s) => T0 + s * SECOND);
        for (const [i, at] of dueAt.entries())
          await store.commitBatch({
            bids: [],
            auctions: [],
            events: [],
            idempotency: [],
            notifications: [],
            webhookEvents: [hookEvent(`auction-${i}`, 3, 'auction.closed', at, `{"n":${i}}`)],
          });
        const auctionsDueFirst = [3, 1, 4, 2, 0].map((i) => `auction-${i}`);

        assert.deepEqual(await store.claimWebhookDeliveries(T0 - 1, T0 + LEASE, 10), [], 'none due yet');
        const now = T0 + 10 * SECOND;
        const lease = now + LEASE;
        const first = await store.claimWebhookDeliveries(now, lease, 2);
        assert.deepEqual(
          first.map((d) => d.auctionId).sort(),
          auctionsDueFirst.slice(0, 2).sort(),
          'the longest due first',
        );
        const second = await store.claimWebhookDeliveries(now, lease, 2);
        assert.deepEqual(second.map((d) => d.auctionId).sort(), auctionsDueFirst.slice(2, 4).sort());
        const third = await store.claimWebhookDeliveries(now, lease, 2);
        assert.deepEqual(
          third.map((d) => d.auctionId),
          auctionsDueFirst.slice(4),
        );
        for (const d of [...first, ...second, ...third]) {
          assert.equal(d.attempts, 1);
          assert.equal(d.leaseUntil, lease);
          assert.equal(d.status, 'pending');
          assert.equal(d.data, `{"n":${d.auctionId.slice('auction-'.length)}}`);
        }
        const listed = await allDeliveries(store, w.id);
        assert.ok(
          listed.every((d) => d.attempts === 1 && d.lastAttemptAt === now && d.status === 'pending'),
          'the attempt is recorded',
        );

        // Leased: nobody takes them until the lease runs out.
        assert.deepEqual(await store.claimWebhookDeliveries(now, lease, 10), []);
        assert.deepEqual(await store.claimWebhookDeliveries(lease - 1, lease + LEASE, 10), []);
        // The claimer died: after the lease they come back, each with a second attempt.
        const again = await store.claimWebhookDeliveries(lease + 1, lease + 1 + LEASE, 10);
        assert.deepEqual(again.map((d) => d.auctionId).sort(), [...auctionsDueFirst].sort());
        assert.ok(again.every((d) => d.attempts === 2 && d.leaseUntil === lease + 1 + LEASE));
        assert.deepEqual(
          new Set(again.map((d) => d.id)),
          new Set(listed.map((d) => d.id)),
          'the same deliveries, not copies',
        );
      });
    });

    test('per (webhook, auction) one at a time in version order; the next is due as soon as the earlier is settled', async () => {
      await withBook(async (store, book) => {
        const w = webhook('seller', ['bid.accepted']);
        const w2 = webhook('seller', ['bid.accepted'], T0 + 1);
        for (const x of [w, w2]) assert.equal(await store.insertWebhook(x, 20), true);
        const names = new Map([
          [w.id, 'w'],
          [w2.id, 'w2'],
        ]);
        const a = await book.create();
        const b = await book.create();
        // Versions 2, 3, 4 of a (one batch) and 2 of b.
        await commitWithHooks(store, book, [...bids(a.id, 3, T0 + SECOND), ...bids(b.id, 1, T0 + SECOND)]);

        let now = T0 + 10 * SECOND;
        const claim = async (at: number) => {
          const claimed = await store.claimWebhookDeliveries(at, at + LEASE, 100);
          return { claimed, keys: keysOf(claimed, names) };
        };
        const byKey = (claimed: ClaimedWebhookDelivery[], key: string) =>
          claimed.find((d) => `${names.get(d.webhookId)} ${d.auctionId} v${d.version}` === key)!;
        // Different auctions and different webhooks do not wait for each other; a's later ones do.
        const round1 = await claim(now);
        assert.deepEqual(round1.keys, [`w ${a.id} v2`, `w ${b.id} v2`, `w2 ${a.id} v2`, `w2 ${b.id} v2`].sort());
        // While the first is in flight (even long after the later ones fell due), nothing else comes.
        assert.deepEqual((await claim(now)).keys, []);
        assert.deepEqual((await claim(now + 5 * SECOND)).keys, []);
        assert.deepEqual((await claim(now + LEASE - 1)).keys, []);

        // Delivered: the next one of that (webhook, auction) is due at the settle's own time.
        now += SECOND;
        await store.settleWebhookDeliveries([delivered(byKey(round1.claimed, `w ${a.id} v2`), now)]);
        const round2 = await claim(now);
        assert.deepEqual(round2.keys, [`w ${a.id} v3`], 'w2’s a v2 is still in flight');
        // Failed: the later ones go on, just as promptly.
        now += SECOND;
        await store.settleWebhookDeliveries([failed(round2.claimed[0]!, now)]);
        const round3 = await claim(now);
        assert.deepEqual(round3.keys, [`w ${a.id} v4`]);

        // A retry keeps the later ones waiting, also once the retry is due and taken again.
        now += SECOND;
        const w2a2 = byKey(round1.claimed, `w2 ${a.id} v2`);
        await store.settleWebhookDeliveries([retry(w2a2, now, now + 10 * SECOND)]);
        assert.deepEqual((await claim(now)).keys, []);
        assert.deepEqual((await claim(now + 10 * SECOND - 1)).keys, []);
        now += 10 * SECOND;
        const round4 = await claim(now);
        assert.deepEqual(round4.keys, [`w2 ${a.id} v2`]);
        assert.equal(round4.claimed[0]!.attempts, 2);
        assert.equal(round4.claimed[0]!.id, w2a2.id);
        assert.deepEqual((await claim(now + 2 * SECOND)).keys, []);
        now += 3 * SECOND;
        await store.settleWebhookDeliveries([delivered(round4.claimed[0]!, now)]);
        assert.deepEqual((await claim(now)).keys, [`w2 ${a.id} v3`]);

        const statuses = (await allDeliveries(store, w.id))
          .filter((d) => d.auctionId === a.id)
          .map((d) => [d.version, d.status]);
        assert.deepEqual(statuses, [
          [4, 'pending'],
          [3, 'failed'],
          [2, 'delivered'],
        ]);
      });
    });

    test('draining many queues: each delivery once, per (webhook, auction) never two in flight, in version order', async () => {
      await withBook(async (store, book) => {
        const hooks = [webhook('seller', ['bid.accepted']), webhook('seller', ['bid.accepted'], T0 + 1)];
        for (const x of hooks) assert.equal(await store.insertWebhook(x, 20), true);
        const auctions = [await book.create(), await book.create(), await book.create()];
        // Four versions per auction, in two batches of interleaved auctions.
        for (const at of [T0 + SECOND, T0 + 2 * SECOND])
          await commitWithHooks(
            store,
            book,
            auctions.flatMap((x) => bids(x.id, 2, at, at === T0 + SECOND ? 1000 : 1200)),
          );
        const total = hooks.length * auctions.length * 4;
        const seen = new Map<string, number[]>();
        const ids = new Set<string>();
        let now = T0 + MINUTE;
        for (let round = 0; ids.size < total; round++) {
          assert.ok(round < 100, `not drained after 100 rounds (${ids.size} of ${total})`);
          const claimed = await store.claimWebhookDeliveries(now, now + LEASE, 4);
          // Every round makes progress: settling makes the next one due at the same instant.
          assert.ok(claimed.length > 0, `round ${round}: nothing claimed with ${total - ids.size} pending`);
          const inFlight = claimed.map((d) => `${d.webhookId} ${d.auctionId}`);
          assert.equal(new Set(inFlight).size, inFlight.length, 'two of one (webhook, auction) in flight');
          for (const d of claimed) {
            assert.ok(!ids.has(d.id), `${d.id} handed out again`);
            ids.add(d.id);
            const key = `${d.webhookId} ${d.auctionId}`;
            seen.set(key, [...(seen.get(key) ?? []), d.version]);
          }
          // Alternate delivered and failed: both let the next one go.
          await store.settleWebhookDeliveries(
            claimed.map((d, i) => ((round + i) % 2 === 0 ? delivered(d, now) : failed(d, now))),
          );
          now += 10;
        }
        assert.equal(seen.size, hooks.length * auctions.length);
        for (const [key, versions] of seen) assert.deepEqual(versions, [2, 3, 4, 5], key);
        assert.deepEqual(await store.claimWebhookDeliveries(now + 10 * MINUTE, now + 11 * MINUTE, 100), []);
      });
    });

    test('settle is guarded by the lease: a stale one changes nothing; delivered, failed and retry as listed', async () => {
      await withBook(async (store) => {
        const w = webhook('seller', ['auction.closed']);
        assert.equal(await store.insertWebhook(w, 20), true);
        const ev = (auction: string, version: number) => hookEvent(auction, version, 'auction.closed', T0, '{}');
        await store.commitBatch({
          bids: [],
          auctions: [],
          events: [],
          idempotency: [],
          notifications: [],
          webhookEvents: [ev('x', 2), ev('x', 3), ev('y', 2), ev('z', 2)],
        });
        const byAuction = (p: ClaimedWebhookDelivery, q: ClaimedWebhookDelivery) =>
          p.auctionId.localeCompare(q.auctionId);
        const fields = (d: WebhookDeliveryRecord) => [
          d.status,
          d.attempts,
          d.lastError,
          d.nextAttemptAt,
          d.deliveredAt,
        ];
        let now = T0 + SECOND;
        const [x2, y2, z2, ...none] = (await store.claimWebhookDeliveries(now, now + LEASE, 10)).sort(byAuction);
        assert.deepEqual([x2?.auctionId, x2?.version, y2?.auctionId, z2?.auctionId, none], ['x', 2, 'y', 'z', []]);

        // Failed under its lease: no next attempt, the error kept.
        await store.settleWebhookDeliveries([failed(y2!, now, 'connect ECONNREFUSED 127.0.0.1:9')]);
        assert.deepEqual(fields(await deliveryOf(store, w.id, y2!.id)), [
          'failed',
          1,
          'connect ECONNREFUSED 127.0.0.1:9',
          null,
          null,
        ]);

        // x v2's and z's leases run out and another node takes them over.
        now += LEASE + 1;
        const [x2again, z2again, ...none2] = (await store.claimWebhookDeliveries(now, now + LEASE, 10)).sort(byAuction);
        assert.deepEqual(none2, [], 'x v3 still waits for x v2');
        assert.deepEqual([x2again?.id, x2again?.attempts, z2again?.id, z2again?.attempts], [x2!.id, 2, z2!.id, 2]);
        assert.notEqual(x2again!.leaseUntil, x2!.leaseUntil);
        // The first node's late outcome, whatever it says, changes nothing (nor lets x v3 go).
        for (const stale of [delivered(x2!, now), failed(x2!, now), retry(x2!, now, now + 1)]) {
          await store.settleWebhookDeliveries([stale]);
          assert.deepEqual(
            fields(await deliveryOf(store, w.id, x2!.id)),
            ['pending', 2, null, x2again!.leaseUntil, null],
            `a stale ${stale.outcome} changed the delivery`,
          );
        }
        assert.deepEqual(await store.claimWebhookDeliveries(now + 1, now + 1 + LEASE, 10), []);

        // The current lease holder: retry, listed with its error and next attempt, still pending.
        now += SECOND;
        await store.settleWebhookDeliveries([retry(x2again!, now, now + 7 * SECOND, 'HTTP 502')]);
        assert.deepEqual(fields(await deliveryOf(store, w.id, x2!.id)), [
          'pending',
          2,
          'HTTP 502',
          now + 7 * SECOND,
          null,
        ]);
        assert.deepEqual(await store.claimWebhookDeliveries(now + 7 * SECOND - 1, now + LEASE, 10), []);
        now += 7 * SECOND;
        const [x2third, ...none3] = await store.claimWebhookDeliveries(now, now + LEASE, 10);
        assert.deepEqual([x2third?.id, x2third?.attempts, none3], [x2!.id, 3, []]);
        now += SECOND;
        await store.settleWebhookDeliveries([delivered(x2third!, now)]);
        const deliveredAt = now;
        assert.deepEqual(fields(await deliveryOf(store, w.id, x2!.id)), ['delivered', 3, null, null, deliveredAt]);
        // Settled once: the same lease again changes nothing.
        await store.settleWebhookDeliveries([failed(x2third!, now + 1)]);
        assert.deepEqual(fields(await deliveryOf(store, w.id, x2!.id)), ['delivered', 3, null, null, deliveredAt]);

        // Several outcomes in one call (and an unknown id, skipped).
        const [x3, ...none4] = await store.claimWebhookDeliveries(now, now + LEASE, 10);
        assert.deepEqual([x3?.auctionId, x3?.version, none4], ['x', 3, []]);
        await store.settleWebhookDeliveries([
          failed(x3!, now + 1, 'HTTP 410'),
          { id: 'no-such-delivery', leaseUntil: x3!.leaseUntil, at: now, outcome: 'delivered' },
          delivered(z2again!, now + 2),
        ]);
        assert.deepEqual(
          (await allDeliveries(store, w.id)).map((d) => [d.auctionId, d.version, d.status, d.lastError, d.deliveredAt]),
          [
            ['z', 2, 'delivered', null, now + 2],
            ['y', 2, 'failed', 'connect ECONNREFUSED 127.0.0.1:9', null],
            ['x', 3, 'failed', 'HTTP 410', null],
            ['x', 2, 'delivered', null, deliveredAt],
          ],
        );
        assert.deepEqual(await store.claimWebhookDeliveries(now + 2 * LEASE, now + 3 * LEASE, 10), []);
      });
    });

    test('listWebhookDeliveries: newest first, keyset pages without gaps or repeats, a cursor tied to its webhook', async () => {
      await withBook(async (store, book) => {
        const w = webhook('seller', ['bid.accepted']);
        const other = webhook('seller', ['bid.accepted'], T0 + 1);
        for (const x of [w, other]) assert.equal(await store.insertWebhook(x, 20), true);
        const a = await book.create();
        const b = await book.create();
        // Written one batch after another: a v2..v4, b v2..v3, a v5..v6.
        await commitWithHooks(store, book, bids(a.id, 3, T0 + 1));
        await commitWithHooks(store, book, bids(b.id, 2, T0 + 2));
        await commitWithHooks(store, book, bids(a.id, 2, T0 + 3, 1300, ['bob', 'alice']));
        const expected = [
          [a.id, 6],
          [a.id, 5],
          [b.id, 3],
          [b.id, 2],
          [a.id, 4],
          [a.id, 3],
          [a.id, 2],
        ];
        for (const limit of [1, 2, 3, 7, 100])
          assert.deepEqual(
            (await allDeliveries(store, w.id, limit)).map((d) => [d.auctionId, d.version]),
            expected,
            `limit ${limit}`,
          );
        assert.equal((await allDeliveries(store, other.id)).length, 7);

        // A delivery written while paging is newer than the first page: later pages neither repeat nor skip.
        const first = await store.listWebhookDeliveries(w.id, 3, null);
        await commitWithHooks(store, book, bids(b.id, 1, T0 + 4, 1200));
        const rest: WebhookDeliveryRecord[] = [];
        for (let cursor = first.nextCursor, guard = 0; cursor !== null && guard < 10; guard++) {
          const page = await store.listWebhookDeliveries(w.id, 3, cursor);
          rest.push(...page.items);
          cursor = page.nextCursor;
        }
        assert.deepEqual(
          [...first.items, ...rest].map((d) => [d.auctionId, d.version]),
          expected,
        );
        assert.deepEqual(
          (await store.listWebhookDeliveries(w.id, 1, null)).items.map((d) => [d.auctionId, d.version]),
          [[b.id, 4]],
        );

        await assert.rejects(store.listWebhookDeliveries(other.id, 3, first.nextCursor), InvalidCursorError);
        await assert.rejects(store.listWebhookDeliveries(w.id, 3, 'not-a-cursor'), InvalidCursorError);
        assert.deepEqual(await store.listWebhookDeliveries('no-such-webhook', 10, null), {
          items: [],
          nextCursor: null,
        });
      });
    });

    test('retryWebhookDelivery: a failed one is sent again out of order (manual); others are not_failed or not_found', async () => {
      await withBook(async (store, book) => {
        const w = webhook('seller', ['bid.accepted']);
        const other = webhook('seller', ['bid.accepted'], T0 + 1);
        for (const x of [w, other]) assert.equal(await store.insertWebhook(x, 20), true);
        const a = await book.create();
        await commitWithHooks(store, book, bids(a.id, 5, T0 + 1)); // a v2 … v6
        let now = T0 + SECOND;
        /** What a claim at `at` hands out of w's deliveries (other's are claimed too, and ignored). */
        const claimW = async (at = now) =>
          (await store.claimWebhookDeliveries(at, at + LEASE, 10)).filter((d) => d.webhookId === w.id);
        // v2 and v3 fail; v4 is then taken and put off by a retry.
        const [v2] = await claimW();
        await store.settleWebhookDeliveries([failed(v2!, now)]);
        const [v3] = await claimW();
        await store.settleWebhookDeliveries([failed(v3!, now)]);
        const [v4] = await claimW();
        assert.deepEqual([v2?.version, v3?.version, v4?.version], [2, 3, 4]);
        const v4Due = now + 10 * SECOND;
        await store.settleWebhookDeliveries([retry(v4!, now, v4Due)]);
        const otherV2 = (await allDeliveries(store, other.id)).find((d) => d.version === 2)!;

        const before = await allDeliveries(store, w.id);
        assert.equal(await store.retryWebhookDelivery(w.id, v4!.id, now), 'not_failed', 'pending');
        assert.equal(await store.retryWebhookDelivery(w.id, 'no-such-delivery', now), 'not_found');
        assert.equal(await store.retryWebhookDelivery(w.id, otherV2.id, now), 'not_found', 'another webhook’s');
        assert.equal(await store.retryWebhookDelivery(other.id, v2!.id, now), 'not_found', 'through another webhook');
        assert.deepEqual(await allDeliveries(store, w.id), before, 'nothing written');

        now += SECOND;
        assert.equal(await store.retryWebhookDelivery(w.id, v2!.id, now), 'retried');
        const listed = await deliveryOf(store, w.id, v2!.id);
        assert.deepEqual([listed.status, listed.manual, listed.nextAttemptAt], ['pending', true, now]);
        assert.deepEqual(await claimW(now - 1), [], 'due at `now`, not before');
        // Taken although v4, the auction's queue head, is pending (waiting for its retry).
        const [manual2, ...none] = await claimW();
        assert.deepEqual([manual2?.id, manual2?.attempts, manual2?.manual, none], [v2!.id, 2, true, []]);
        // v3 is sent again while the older v2 is still pending (in flight): a manual one waits for nothing.
        assert.equal(await store.retryWebhookDelivery(w.id, v3!.id, now), 'retried');
        const [manual3, ...none2] = await claimW();
        assert.deepEqual([manual3?.id, manual3?.manual, none2], [v3!.id, true, []]);
        assert.equal(await store.retryWebhookDelivery(w.id, v3!.id, now), 'not_failed', 'pending again');

        // Nor does a manual one hold back the queue or move it on: settling one does not let v5 overtake v4,
        // and v4 goes when its retry is due although the older v2 is still pending (in flight).
        now += SECOND;
        await store.settleWebhookDeliveries([failed(manual3!, now, 'HTTP 404')]);
        assert.deepEqual(await claimW(), [], 'v5 still waits for v4');
        assert.deepEqual(await claimW(v4Due - 1), []);
        now = v4Due;
        const [v4again, ...none3] = await claimW();
        assert.deepEqual([v4again?.id, v4again?.manual, none3], [v4!.id, false, []]);
        now += SECOND;
        await store.settleWebhookDeliveries([delivered(manual2!, now)]);
        assert.deepEqual(await claimW(), [], 'v5 waits for v4, in flight');
        await store.settleWebhookDeliveries([delivered(v4again!, now)]);
        const [v5, ...none4] = await claimW();
        assert.deepEqual([v5?.version, none4], [5, []]);
        assert.equal(await store.retryWebhookDelivery(w.id, v2!.id, now), 'not_failed', 'delivered');
        assert.deepEqual(
          (await allDeliveries(store, w.id)).map((d) => [d.version, d.status, d.manual]),
          [
            [6, 'pending', false],
            [5, 'pending', false],
            [4, 'delivered', false],
            [3, 'failed', true],
            [2, 'delivered', true],
          ],
        );
        // A manual one that failed again can be sent again.
        assert.equal(await store.retryWebhookDelivery(w.id, v3!.id, now), 'retried');
        const [manual3again] = await claimW();
        assert.deepEqual([manual3again?.id, manual3again?.attempts], [v3!.id, 3]);
      });
    });

    test('insertQaItem and settleQaItem write the deliveries with the item, and only when it changed', async () => {
      await withBook(async (store) => {
        const w = webhook('seller', ['question.published']);
        const onBids = webhook('seller', ['bid.accepted'], T0 + 1);
        const alices = webhook('alice', ['question.published'], T0 + 2);
        for (const x of [w, onBids, alices]) assert.equal(await store.insertWebhook(x, 20), true);
        const published = (questionId: string, at: number): WebhookEvent => ({
          eventId: webhookEventId('qa-auction', questionId, 'question.published'),
          auctionId: 'qa-auction',
          sellerId: 'seller',
          version: 1,
          type: 'question.published',
          data: JSON.stringify({ question: { id: questionId } }),
          createdAt: at,
        });

        // Published at once: the delivery comes with the item.
        assert.equal(await store.insertQaItem(qaItem('q1'), published('q1', T0)), 'inserted');
        // Held for moderation, then published: the delivery comes with the verdict, once.
        assert.equal(
          await store.insertQaItem(qaItem('q2', { status: 'pending_review', nextAttemptAt: T0 })),
          'inserted',
        );
        assert.equal((await allDeliveries(store, w.id)).length, 1);
        assert.equal(await store.settleQaItem('q2', 'published', published('q2', T0 + 1)), true);
        assert.equal(await store.settleQaItem('q2', 'published', published('q2', T0 + 2)), false, 'decided');
        assert.equal(await store.settleQaItem('q2', 'rejected', published('q2', T0 + 2)), false);
        assert.equal(await store.settleQaItem('missing', 'published', published('missing', T0 + 2)), false);
        // A second answer to one question is refused: nothing stored, no delivery either.
        const answer = qaItem('a1', { kind: 'answer', questionId: 'q1', authorId: 'seller' });
        assert.equal(await store.insertQaItem(answer), 'inserted');
        assert.equal(await store.insertQaItem({ ...answer, id: 'a2' }, published('a2', T0 + 3)), 'already_answered');

        assert.deepEqual(
          (await allDeliveries(store, w.id)).map((d) => [d.eventId, d.createdAt]),
          [
            [webhookEventId('qa-auction', 'q2', 'question.published'), T0 + 1],
            [webhookEventId('qa-auction', 'q1', 'question.published'), T0],
          ],
        );
        assert.deepEqual(await allDeliveries(store, onBids.id), [], 'another type');
        assert.deepEqual(await allDeliveries(store, alices.id), [], 'another seller');
        const claimed = await store.claimWebhookDeliveries(T0 + SECOND, T0 + SECOND + LEASE, 10);
        // Both on one auction: the older first, the other after it.
        assert.deepEqual(
          claimed.map((d) => d.data),
          [JSON.stringify({ question: { id: 'q1' } })],
        );
        await store.settleWebhookDeliveries([delivered(claimed[0]!, T0 + SECOND)]);
        assert.deepEqual(
          (await store.claimWebhookDeliveries(T0 + SECOND, T0 + SECOND + LEASE, 10)).map((d) => d.data),
          [JSON.stringify({ question: { id: 'q2' } })],
        );
      });
    });

    test('two stores on one storage claiming at once never hand out one delivery twice', async () => {
      await withBook(async (store, book, handle) => {
        const other = handle.openAnother ? await handle.openAnother() : store;
        const hooks = [webhook('seller', ['bid.accepted']), webhook('seller', ['bid.accepted'], T0 + 1)];
        for (const x of hooks) assert.equal(await store.insertWebhook(x, 20), true);
        const auctions = [];
        for (let i = 0; i < 12; i++) auctions.push(await book.create());
        // Three versions per auction: 12 × 3 × 2 webhooks = 72 deliveries, 24 queues.
        await commitWithHooks(
          store,
          book,
          auctions.flatMap((x) => bids(x.id, 3, T0 + 1)),
        );
        const total = 72;
        const taken = new Map<string, number>();
        const order = new Map<string, number[]>();
        let now = T0 + SECOND;
        for (let round = 0; taken.size < total; round++) {
          assert.ok(round < 60, `not drained after 60 rounds (${taken.size} of ${total})`);
          const claims = await Promise.all(
            Array.from({ length: 6 }, (_, i) =>
              (i % 2 === 0 ? store : other).claimWebhookDeliveries(now, now + LEASE, 5),
            ),
          );
          const claimed = claims.flat();
          for (const d of claimed) {
            taken.set(d.id, (taken.get(d.id) ?? 0) + 1);
            const key = `${d.webhookId} ${d.auctionId}`;
            order.set(key, [...(order.get(key) ?? []), d.version]);
          }
          const twice = [...taken].filter(([, n]) => n > 1);
          assert.deepEqual(twice, [], 'a delivery was handed to two claimers');
          const inFlight = claimed.map((d) => `${d.webhookId} ${d.auctionId}`);
          assert.equal(new Set(inFlight).size, inFlight.length, 'two of one (webhook, auction) in flight');
          // Each store settles what it claimed.
          await Promise.all(
            claims.map((c, i) =>
              (i % 2 === 0 ? store : other).settleWebhookDeliveries(c.map((d) => delivered(d, now))),
            ),
          );
          // Claims may skip rows another claim is looking at; time moves on, never past a lease.
          now += 10;
        }
        for (const [key, versions] of order) assert.deepEqual(versions, [2, 3, 4], key);
        assert.equal(order.size, 24);
      });
    });

    test('two stores registering at once never go over `max`', async () => {
      await withBook(async (store, _book, handle) => {
        const other = handle.openAnother ? await handle.openAnother() : store;
        for (let round = 0; round < 3; round++) {
          const owner = ['seller', 'alice', 'bob'][round]!;
          const results = await Promise.all(
            Array.from({ length: 10 }, (_, i) =>
              (i % 2 === 0 ? store : other).insertWebhook(webhook(owner, ['bid.accepted'], T0 + i), 3),
            ),
          );
          assert.equal(results.filter(Boolean).length, 3, `${owner}: ${results.join(',')}`);
          assert.equal((await store.listWebhooks(owner)).length, 3);
        }
      });
    });

    test('durable: webhooks and deliveries, pending, leased and settled, survive a reopen', async (t) => {
      await withBook(async (store, book, handle) => {
        if (!handle.reopen) return t.skip('the adapter cannot reopen its storage');
        const w = webhook('seller', ['bid.accepted']);
        assert.equal(await store.insertWebhook(w, 20), true);
        const a = await book.create();
        const b = await book.create();
        await commitWithHooks(store, book, [...bids(a.id, 2, T0 + 1), ...bids(b.id, 1, T0 + 1)]);
        const now = T0 + SECOND;
        const claimed = await store.claimWebhookDeliveries(now, now + LEASE, 10);
        assert.equal(claimed.length, 2);
        const ofA = claimed.find((d) => d.auctionId === a.id)!;
        const ofB = claimed.find((d) => d.auctionId === b.id)!;
        await store.settleWebhookDeliveries([delivered(ofA, now)]);
        const before = await allDeliveries(store, w.id);

        const reopened = await handle.reopen();
        assert.deepEqual(await reopened.listWebhooks('seller'), [w]);
        assert.deepEqual(await allDeliveries(reopened, w.id), before);
        // a v3 is due (a v2 was delivered); b v2 is still leased.
        const next = await reopened.claimWebhookDeliveries(now, now + LEASE, 10);
        assert.deepEqual(
          next.map((d) => [d.auctionId, d.version]),
          [[a.id, 3]],
        );
        // The lease taken before the restart still settles it.
        await reopened.settleWebhookDeliveries([delivered(ofB, now + 1)]);
        assert.equal((await deliveryOf(reopened, w.id, ofB.id)).status, 'delivered');
      });
    });

    test('retention (deleteSettledOutbox) deletes settled deliveries queued before `settledBefore`, never pending ones', async () => {
      await withBook(async (store) => {
        const w = webhook('seller', ['auction.closed']);
        assert.equal(await store.insertWebhook(w, 20), true);
        await store.commitBatch({
          bids: [],
          auctions: [],
          events: [],
          idempotency: [],
          notifications: [],
          webhookEvents: ['p', 'q', 'r', 's'].map((x) => hookEvent(x, 2, 'auction.closed', T0, '{}')),
        });
        const now = T0 + SECOND;
        const claimed = (await store.claimWebhookDeliveries(now, now + LEASE, 10)).sort((p, q) =>
          p.auctionId.localeCompare(q.auctionId),
        );
        await store.settleWebhookDeliveries([
          delivered(claimed[0]!, now),
          failed(claimed[1]!, now),
          retry(claimed[2]!, now, now + HOUR),
        ]);
        // s is still in flight, r waits for its retry: both pending.
        const kept = await store.deleteSettledOutbox({ now: T0 + 2 * HOUR, settledBefore: T0, limit: 100 });
        assert.equal(kept.webhookDeliveries, 0, 'queued at settledBefore: not before it');
        const swept = await store.deleteSettledOutbox({ now: T0 + 2 * HOUR, settledBefore: T0 + 1, limit: 1 });
        assert.equal(swept.webhookDeliveries, 1, 'at most limit');
        const rest = await store.deleteSettledOutbox({ now: T0 + 2 * HOUR, settledBefore: T0 + 1, limit: 100 });
        assert.equal(rest.webhookDeliveries, 1);
        assert.deepEqual((await allDeliveries(store, w.id)).map((d) => [d.auctionId, d.status]).sort(), [
          ['r', 'pending'],
          ['s', 'pending'],
        ]);
      });
    });
  });
}

const HOUR = 60 * MINUTE;
