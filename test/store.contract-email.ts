/**
 * The Store contract's email part (docs/email.md): verified addresses and one-time links (verification,
 * password reset), notification settings, and the MAIL OUTBOX: notification mails queued by the store itself
 * in the transaction that stores the notification, other mails queued explicitly, handed out under a lease
 * (skipping those no longer to be sent) and settled under that lease. Run against every adapter by
 * store.contract.test.ts. The outbox has no listing in the port: what was queued is observed through claims.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { endingSoonAt } from '../src/domain/index.ts';
import {
  type ClaimedMail,
  type CommitBatch,
  type EmailTokenRecord,
  type MailOutcome,
  type NewMail,
  type QaItemRecord,
  type Store,
  VersionConflictError,
} from '../src/store/index.ts';
import { AuctionBook, type StoreUnderTest, insertScenarioUsers } from './store.contract.ts';
import { T0 } from './support/auction-scenarios.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The lease of these tests' claims: far longer than any test's steps, so only an explicit jump ends it. */
const LEASE = 30 * SECOND;
/** The outbid rule's window (the service's is 15 minutes). */
const OUTBID_WINDOW = 15 * MINUTE;
/** When the helpers verify addresses: a day before the tests' own mails, so their mails never mix in. */
const SETUP = T0 - DAY;

let counter = 0;
const uniqueId = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

function token(userId: string, email: string, overrides: Partial<EmailTokenRecord> = {}): EmailTokenRecord {
  return {
    tokenHash: uniqueId('token-hash'),
    purpose: 'verify_email',
    userId,
    email,
    createdAt: T0,
    expiresAt: T0 + HOUR,
    ...overrides,
  };
}

/** The link's mail of a token: to the token's own address. */
function linkMail(t: EmailTokenRecord, overrides: Partial<NewMail> = {}): NewMail {
  return {
    userId: t.userId,
    kind: t.purpose,
    auctionId: null,
    toAddress: t.email,
    data: JSON.stringify({ link: `https://gavel.example/verify-email?token=${t.tokenHash}` }),
    createdAt: t.createdAt,
    ...overrides,
  };
}

/** A notification as commitBatch stores it; `data` carries the auction (as the engine's do). */
function notification(userId: string, type: string, auctionId: string, createdAt = T0, extra: object = {}) {
  return { userId, type, data: JSON.stringify({ auctionId, ...extra }), createdAt };
}

/** A batch of notifications only (no auction changes). */
const notifications = (list: CommitBatch['notifications']): CommitBatch => ({
  bids: [],
  auctions: [],
  events: [],
  idempotency: [],
  notifications: list,
});

const sent = (m: ClaimedMail, at: number): MailOutcome => ({ id: m.id, leaseUntil: m.leaseUntil, at, outcome: 'sent' });
const failed = (m: ClaimedMail, at: number, error = '550 no such user'): MailOutcome => ({
  id: m.id,
  leaseUntil: m.leaseUntil,
  at,
  outcome: 'failed',
  error,
});
const retry = (m: ClaimedMail, at: number, nextAttemptAt: number, error = '421 try later'): MailOutcome => ({
  id: m.id,
  leaseUntil: m.leaseUntil,
  at,
  outcome: 'retry',
  error,
  nextAttemptAt,
});

/** Claims at `now` with the tests' lease and window. */
const claim = (store: Store, now: number, limit = 100) => store.claimMails(now, now + LEASE, limit, OUTBID_WINDOW);

/** "user kind auction" of claimed mails, sorted: what a claim handed out, readably. */
const keysOf = (claimed: readonly ClaimedMail[]) =>
  claimed.map((m) => `${m.userId} ${m.kind} ${m.auctionId ?? '-'}`).sort();

/**
 * Gives the user a verified address through the port (a token, verifyEmail at SETUP), and sends the link's
 * mail, so that it is not pending when the test starts.
 */
async function verifyAddress(store: Store, userId: string, email: string, mailKey = `key-${userId}`) {
  const t = token(userId, email, { createdAt: SETUP, expiresAt: SETUP + HOUR });
  await store.insertEmailToken(t, linkMail(t));
  const result = await store.verifyEmail(t.tokenHash, SETUP, mailKey);
  assert.equal(result.outcome, 'verified');
  const links = await claim(store, SETUP);
  assert.deepEqual(keysOf(links), [`${userId} verify_email -`]);
  await store.settleMails(links.map((m) => sent(m, SETUP)));
}

function qaItem(id: string, overrides: Partial<QaItemRecord> = {}): QaItemRecord {
  return {
    id,
    kind: 'question',
    auctionId: 'qa-auction',
    questionId: null,
    authorId: 'bob',
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

export function emailContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
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

  describe(`Store contract: ${name}: email`, () => {
    test('verifyEmail: a valid token verifies its address once; used, expired and reset tokens are invalid', async () => {
      await withBook(async (store) => {
        const first = token('alice', 'alice@example.com');
        await store.insertEmailToken(first, linkMail(first));
        assert.deepEqual(await store.verifyEmail('no-such-token', T0 + 1, 'key-1'), { outcome: 'invalid' });
        assert.equal(await store.findUserByEmail('alice@example.com'), null, 'not verified by the sending');

        const verified = await store.verifyEmail(first.tokenHash, T0 + 1, 'key-1');
        assert.equal(verified.outcome, 'verified');
        const user = (verified as { user: unknown }).user;
        assert.deepEqual(user, {
          id: 'alice',
          username: 'alice',
          displayName: 'Display alice',
          passwordHash: 'scrypt$salt$alice',
          createdAt: T0 - HOUR,
          email: 'alice@example.com',
          mailOff: [],
          mailKey: 'key-1',
        });
        assert.deepEqual((await store.findUsersByIds(['alice'])).get('alice'), user);
        assert.deepEqual(await store.findUserByEmail('alice@example.com'), user);
        assert.deepEqual(await store.verifyEmail(first.tokenHash, T0 + 2, 'key-x'), { outcome: 'invalid' }, 'used');

        // A second verification changes the address; the unsubscribe key stays the first one.
        const second = token('alice', 'alice@work.example');
        await store.insertEmailToken(second, linkMail(second));
        const again = await store.verifyEmail(second.tokenHash, T0 + 3, 'key-2');
        assert.equal(again.outcome, 'verified');
        assert.deepEqual(
          [(again as { user: { email: string } }).user.email, (again as { user: { mailKey: string } }).user.mailKey],
          ['alice@work.example', 'key-1'],
        );
        assert.equal(await store.findUserByEmail('alice@example.com'), null, 'the old address is no one’s');
        assert.equal((await store.findUserByEmail('alice@work.example'))?.id, 'alice');

        // Expiry: at expiresAt it is invalid (and not used up by the attempt), just before it is valid.
        const expiring = token('bob', 'bob@example.com', { expiresAt: T0 + HOUR });
        await store.insertEmailToken(expiring, linkMail(expiring));
        assert.deepEqual(await store.verifyEmail(expiring.tokenHash, T0 + HOUR, 'key-b'), { outcome: 'invalid' });
        assert.deepEqual(await store.verifyEmail(expiring.tokenHash, T0 + HOUR + 1, 'key-b'), {
          outcome: 'invalid',
        });
        assert.equal((await store.findUsersByIds(['bob'])).get('bob')?.email, null);
        assert.equal((await store.verifyEmail(expiring.tokenHash, T0 + HOUR - 1, 'key-b')).outcome, 'verified');

        // A password-reset token is not a verification (and stays usable for its own purpose).
        const reset = token('carol', 'carol@example.com', { purpose: 'reset_password' });
        await store.insertEmailToken(reset, linkMail(reset));
        assert.deepEqual(await store.verifyEmail(reset.tokenHash, T0 + 1, 'key-c'), { outcome: 'invalid' });
        assert.equal((await store.findUsersByIds(['carol'])).get('carol')?.email, null);
        assert.equal(await store.findUserByEmail('carol@example.com'), null);
        assert.deepEqual(await store.resetPassword(reset.tokenHash, 'new', T0 + 2), {
          outcome: 'reset',
          userId: 'carol',
        });
      });
    });

    test('verifyEmail: an address another user verified first is `taken`, and the token is used up', async () => {
      await withBook(async (store) => {
        await verifyAddress(store, 'alice', 'shared@example.com');
        const bobs = token('bob', 'shared@example.com');
        await store.insertEmailToken(bobs, linkMail(bobs));
        assert.deepEqual(await store.verifyEmail(bobs.tokenHash, T0 + 1, 'key-b'), { outcome: 'taken' });
        const bob = (await store.findUsersByIds(['bob'])).get('bob')!;
        assert.deepEqual([bob.email, bob.mailKey], [null, null], 'nothing else changed');
        assert.equal((await store.findUserByEmail('shared@example.com'))?.id, 'alice');
        assert.deepEqual(await store.verifyEmail(bobs.tokenHash, T0 + 2, 'key-b'), { outcome: 'invalid' }, 'used up');
        // The owner verifying it again is no conflict with themselves.
        const alices = token('alice', 'shared@example.com');
        await store.insertEmailToken(alices, linkMail(alices));
        assert.equal((await store.verifyEmail(alices.tokenHash, T0 + 3, 'key-a2')).outcome, 'verified');
      });
    });

    test('two users verifying one address at once (two stores on one storage): exactly one is verified', async () => {
      await withBook(async (store, _book, handle) => {
        const other = handle.openAnother ? await handle.openAnother() : store;
        for (let round = 0; round < 5; round++) {
          const address = `race-${round}@example.com`;
          const tokens = ['alice', 'bob', 'carol', 'seller'].map((u) => token(u, address));
          for (const t of tokens) await store.insertEmailToken(t, linkMail(t));
          const results = await Promise.all(
            tokens.map((t, i) => (i % 2 === 0 ? store : other).verifyEmail(t.tokenHash, T0 + round, `key-${i}`)),
          );
          const outcomes = results.map((r) => r.outcome).sort();
          assert.deepEqual(outcomes, ['taken', 'taken', 'taken', 'verified'], `round ${round}`);
          const winner = results.findIndex((r) => r.outcome === 'verified');
          assert.equal((await store.findUserByEmail(address))?.id, tokens[winner]!.userId);
          const holders = [...(await store.findUsersByIds(['alice', 'bob', 'carol', 'seller'])).values()].filter(
            (u) => u.email === address,
          );
          assert.equal(holders.length, 1);
        }
      });
    });

    test('resetPassword sets the hash and ends every session of that user only; single use, expiry, purpose', async () => {
      await withBook(async (store) => {
        const session = (tokenHash: string, userId: string) =>
          store.insertSession({ tokenHash, userId, createdAt: T0, expiresAt: T0 + DAY });
        await session('s-alice-1', 'alice');
        await session('s-alice-2', 'alice');
        await session('s-bob', 'bob');
        const t = token('alice', 'alice@example.com', { purpose: 'reset_password' });
        await store.insertEmailToken(t, linkMail(t));
        assert.deepEqual(await store.resetPassword('no-such-token', 'h', T0 + 1), { outcome: 'invalid' });
        assert.equal((await store.findSession('s-alice-1', T0 + 1))?.userId, 'alice', 'nothing ended');

        assert.deepEqual(await store.resetPassword(t.tokenHash, 'scrypt$new$alice', T0 + 1), {
          outcome: 'reset',
          userId: 'alice',
        });
        assert.equal((await store.findUsersByIds(['alice'])).get('alice')?.passwordHash, 'scrypt$new$alice');
        assert.equal(await store.findSession('s-alice-1', T0 + 2), null);
        assert.equal(await store.findSession('s-alice-2', T0 + 2), null);
        assert.equal((await store.findSession('s-bob', T0 + 2))?.userId, 'bob', 'another user’s session stays');
        assert.equal((await store.findUsersByIds(['bob'])).get('bob')?.passwordHash, 'scrypt$salt$bob');

        assert.deepEqual(await store.resetPassword(t.tokenHash, 'again', T0 + 3), { outcome: 'invalid' }, 'used');
        assert.equal((await store.findUsersByIds(['alice'])).get('alice')?.passwordHash, 'scrypt$new$alice');

        // Expired at expiresAt.
        const late = token('bob', 'bob@example.com', { purpose: 'reset_password', expiresAt: T0 + HOUR });
        await store.insertEmailToken(late, linkMail(late));
        assert.deepEqual(await store.resetPassword(late.tokenHash, 'late', T0 + HOUR), { outcome: 'invalid' });
        assert.equal((await store.findUsersByIds(['bob'])).get('bob')?.passwordHash, 'scrypt$salt$bob');
        assert.equal((await store.findSession('s-bob', T0 + 2))?.userId, 'bob');

        // A verification token is no reset.
        const verify = token('bob', 'bob@example.com');
        await store.insertEmailToken(verify, linkMail(verify));
        assert.deepEqual(await store.resetPassword(verify.tokenHash, 'sneaky', T0 + 1), { outcome: 'invalid' });
        assert.equal((await store.findUsersByIds(['bob'])).get('bob')?.passwordHash, 'scrypt$salt$bob');
        assert.equal((await store.findSession('s-bob', T0 + 2))?.userId, 'bob');
      });
    });

    test('setMailOff stores the kinds a user turned off; false for no such user', async () => {
      await withBook(async (store) => {
        assert.equal(await store.setMailOff('alice', ['outbid', 'ending_soon']), true);
        assert.deepEqual((await store.findUsersByIds(['alice'])).get('alice')?.mailOff, ['outbid', 'ending_soon']);
        assert.equal(await store.setMailOff('alice', []), true);
        assert.deepEqual((await store.findUsersByIds(['alice'])).get('alice')?.mailOff, []);
        assert.equal(await store.setMailOff('nobody', ['won']), false);
        assert.deepEqual((await store.findUsersByIds(['bob'])).get('bob')?.mailOff, [], 'every kind on by default');
      });
    });

    test('commitBatch’s notifications queue the mails of their kinds, for verified users who want them', async () => {
      await withBook(async (store) => {
        await verifyAddress(store, 'alice', 'alice@example.com', 'alice-key');
        await verifyAddress(store, 'bob', 'bob@example.com');
        await verifyAddress(store, 'seller', 'seller@example.com');
        assert.equal(await store.setMailOff('bob', ['won']), true);
        await store.commitBatch(
          notifications([
            notification('alice', 'outbid', 'a1'),
            notification('alice', 'won', 'a2'),
            notification('alice', 'offer_received', 'a3'),
            notification('alice', 'payment_due', 'a4'),
            notification('alice', 'ending_soon', 'a5'),
            notification('alice', 'leading', 'a6'),
            notification('alice', 'payment_lapsed', 'a7'),
            notification('seller', 'auction_closed', 'a8', T0, { result: 'sold' }),
            notification('seller', 'auction_closed', 'a9', T0, { result: 'no_bids' }),
            notification('seller', 'bid_received', 'a10'),
            // The auction given as `auction.id` (as a closed event's view) is found too.
            {
              userId: 'seller',
              type: 'auction_closed',
              data: JSON.stringify({ auction: { id: 'a11' }, result: 'sold' }),
              createdAt: T0,
            },
            notification('bob', 'outbid', 'a1'),
            notification('bob', 'won', 'a12'),
            notification('carol', 'outbid', 'a1'),
            notification('carol', 'won', 'a13'),
          ]),
        );
        assert.deepEqual(await claim(store, T0 - 1), [], 'not due before the notification');
        const claimed = await claim(store, T0);
        assert.deepEqual(keysOf(claimed), [
          'alice ending_soon a5',
          'alice outbid a1',
          'alice payment_due a3',
          'alice payment_due a4',
          'alice won a2',
          'bob outbid a1',
          'seller sold a11',
          'seller sold a8',
        ]);
        const offer = claimed.find((m) => m.auctionId === 'a3')!;
        assert.deepEqual(offer, {
          id: offer.id,
          userId: 'alice',
          kind: 'payment_due',
          auctionId: 'a3',
          to: 'alice@example.com',
          displayName: 'Display alice',
          mailKey: 'alice-key',
          data: JSON.stringify({ auctionId: 'a3' }),
          attempts: 1,
          createdAt: T0,
          leaseUntil: T0 + LEASE,
        });
        assert.equal(new Set(claimed.map((m) => m.id)).size, claimed.length, 'one id per mail');
        for (const m of claimed) assert.equal(m.to, `${m.userId}@example.com`);
      });
    });

    test('a failed batch (VersionConflictError) queues no mail', async () => {
      await withBook(async (store, book) => {
        await verifyAddress(store, 'alice', 'alice@example.com');
        const a = await book.create();
        const now = T0 + SECOND;
        const stale = book.build([{ type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1000, now }]);
        assert.equal(stale.batch.auctions.length, 1, 'the premise: the batch changes the auction');
        await book.commit([{ type: 'bid', auctionId: a.id, bidderId: 'carol', amount: 1000, now }]);
        await assert.rejects(
          store.commitBatch({ ...stale.batch, notifications: [notification('alice', 'outbid', a.id)] }),
          VersionConflictError,
        );
        assert.deepEqual(await claim(store, T0 + HOUR), []);
        // The same notification in a batch that commits is queued (the premise).
        await store.commitBatch(notifications([notification('alice', 'outbid', a.id)]));
        assert.deepEqual(keysOf(await claim(store, T0 + HOUR)), [`alice outbid ${a.id}`]);
      });
    });

    test('ending_soon notifications from deliverEndingSoon and watch queue mails', async () => {
      await withBook(async (store, book) => {
        await verifyAddress(store, 'alice', 'alice@example.com');
        await verifyAddress(store, 'bob', 'bob@example.com');
        const a = await book.create({ sellerId: 'seller' });
        const moment = endingSoonAt(a);
        assert.ok(moment > T0 && moment < a.endDate, 'the premise: a moment to deliver while open');
        await store.watch({ userId: 'alice', auctionId: a.id, at: T0, notice: '{}' });
        await store.watch({ userId: 'carol', auctionId: a.id, at: T0, notice: '{}' });
        const data = JSON.stringify({ auctionId: a.id });
        const delivery = await store.deliverEndingSoon(moment, [{ auctionId: a.id, data }], 100);
        assert.deepEqual(delivery.notifications.map((n) => n.userId).sort(), ['alice', 'carol']);
        assert.deepEqual(keysOf(await claim(store, moment)), [`alice ending_soon ${a.id}`], 'carol has no address');
        // Watching after the moment was handed out sends the notice at once, and its mail.
        const watched = await store.watch({ userId: 'bob', auctionId: a.id, at: moment + 1, notice: data });
        assert.equal(watched.found && watched.notification?.type, 'ending_soon');
        const bobs = await claim(store, moment + 1);
        assert.deepEqual(keysOf(bobs), [`bob ending_soon ${a.id}`]);
        assert.equal(bobs[0]!.data, data);
      });
    });

    test('claimMails: due only, longest due first, at most `limit`, attempts counted, leased until `leaseUntil`', async () => {
      await withBook(async (store) => {
        // Link mails to carol, who has no verified address: they go to their own address.
        const tokens = [0, 1, 2, 3].map((i) => token('carol', `carol+${i}@example.com`, { createdAt: T0 + i }));
        for (const t of [...tokens].reverse()) await store.insertEmailToken(t, linkMail(t));
        assert.deepEqual(await claim(store, T0 - 1), []);
        const first = await claim(store, T0 + 2, 2);
        assert.deepEqual(
          first.map((m) => [m.to, m.attempts, m.leaseUntil, m.mailKey, m.displayName, m.kind, m.userId]),
          [
            ['carol+0@example.com', 1, T0 + 2 + LEASE, null, 'Display carol', 'verify_email', 'carol'],
            ['carol+1@example.com', 1, T0 + 2 + LEASE, null, 'Display carol', 'verify_email', 'carol'],
          ],
          'the longest due first, at most limit',
        );
        assert.equal(first[0]!.data, linkMail(tokens[0]!).data);
        assert.equal(first[0]!.createdAt, T0);
        const second = await claim(store, T0 + 3);
        assert.deepEqual(
          second.map((m) => m.to),
          ['carol+2@example.com', 'carol+3@example.com'],
          'leased ones are not handed out again',
        );
        assert.deepEqual(await claim(store, T0 + 2 + LEASE - 1), [], 'all leased');
        const back = await claim(store, T0 + 2 + LEASE);
        // Both due at one instant (their lease's end): in either order.
        assert.deepEqual(
          back.map((m) => [m.to, m.attempts]).sort(),
          [
            ['carol+0@example.com', 2],
            ['carol+1@example.com', 2],
          ],
          'back once their lease is over',
        );
        assert.deepEqual(back.map((m) => m.id).sort(), first.map((m) => m.id).sort(), 'the same mails');
      });
    });

    test('settleMails: only under the claim’s lease; sent and failed are final, retry comes back when due', async () => {
      await withBook(async (store) => {
        const tokens = [0, 1, 2, 3].map((i) => token('carol', `c${i}@example.com`, { createdAt: T0 + i }));
        for (const t of tokens) await store.insertEmailToken(t, linkMail(t));
        const now = T0 + 10;
        const [m0, m1, m2, m3] = await claim(store, now);
        assert.ok(m0 && m1 && m2 && m3);
        // A stale lease settles nothing: m0 comes back when its lease runs out.
        await store.settleMails([{ ...sent(m0, now), leaseUntil: m0.leaseUntil - 1 }]);
        await store.settleMails([sent(m1, now), failed(m2, now), retry(m3, now, now + HOUR)]);
        const afterLease = now + LEASE;
        const again = await claim(store, afterLease);
        assert.deepEqual(
          again.map((m) => [m.id, m.attempts]),
          [[m0.id, 2]],
        );
        // The first lease no longer settles it: it comes back when its second lease runs out.
        await store.settleMails([sent(m0, afterLease)]);
        const third = await claim(store, afterLease + LEASE);
        assert.deepEqual(
          third.map((m) => [m.id, m.attempts]),
          [[m0.id, 3]],
        );
        await store.settleMails([sent(third[0]!, afterLease + LEASE)]);
        const retried = await claim(store, now + HOUR);
        assert.deepEqual(
          retried.map((m) => [m.id, m.attempts]),
          [[m3.id, 2]],
          'only the retry, at its time',
        );
        await store.settleMails([sent(retried[0]!, now + HOUR)]);
        assert.deepEqual(await claim(store, now + DAY), [], 'sent and failed never come back');
        await store.settleMails([]);
      });
    });

    test('claimMails skips a mail the user no longer wants, or that has no address to go to', async () => {
      await withBook(async (store) => {
        await verifyAddress(store, 'alice', 'alice@example.com');
        await verifyAddress(store, 'bob', 'bob@example.com');
        await store.commitBatch(
          notifications([
            notification('alice', 'won', 'a1'),
            notification('alice', 'ending_soon', 'a2'),
            notification('bob', 'won', 'a3'),
          ]),
        );
        // Turned off after it was queued: skipped, and skipped for good (turning it on again does not revive it).
        assert.equal(await store.setMailOff('alice', ['won']), true);
        const one = await claim(store, T0 + 1, 1);
        assert.deepEqual(keysOf(one), ['alice ending_soon a2'], 'a skip takes no slot');
        assert.equal(await store.setMailOff('alice', []), true);
        const two = await claim(store, T0 + 2);
        assert.deepEqual(keysOf(two), ['bob won a3']);
        await store.settleMails([...one, ...two].map((m) => sent(m, T0 + 3)));
        assert.deepEqual(await claim(store, T0 + DAY), []);

        // A mail without an address of its own to a user without a verified address: skipped. One with its
        // own address to a user who turned everything off: claimed (a link is not a notification).
        const none = token('carol', 'carol@example.com', { createdAt: T0 + 5 });
        await store.insertEmailToken(none, linkMail(none, { toAddress: null }));
        assert.equal(await store.setMailOff('bob', ['outbid', 'won', 'payment_due', 'sold', 'ending_soon']), true);
        const link = token('bob', 'bob@new.example', { createdAt: T0 + 5 });
        await store.insertEmailToken(link, linkMail(link));
        const claimed = await claim(store, T0 + 5);
        assert.deepEqual(
          claimed.map((m) => [m.userId, m.to]),
          [['bob', 'bob@new.example']],
        );
        await store.settleMails(claimed.map((m) => sent(m, T0 + 6)));
        assert.deepEqual(await claim(store, T0 + DAY), []);
      });
    });

    test('a notification mail goes to the user’s current verified address', async () => {
      await withBook(async (store) => {
        await verifyAddress(store, 'alice', 'alice@old.example');
        await store.commitBatch(notifications([notification('alice', 'won', 'a1')]));
        const t = token('alice', 'alice@new.example', { createdAt: T0 - 1 });
        await store.insertEmailToken(t, linkMail(t, { createdAt: T0 + HOUR }));
        assert.equal((await store.verifyEmail(t.tokenHash, T0, 'other-key')).outcome, 'verified');
        const [won, ...rest] = await claim(store, T0);
        assert.deepEqual(rest, []);
        assert.deepEqual([won?.kind, won?.to, won?.mailKey], ['won', 'alice@new.example', 'key-alice']);
      });
    });

    test('outbid rule: one outbid mail per (user, auction) while one is leased or was sent within the window', async () => {
      await withBook(async (store) => {
        await verifyAddress(store, 'alice', 'alice@example.com');
        await verifyAddress(store, 'bob', 'bob@example.com');
        await store.commitBatch(
          notifications([
            notification('alice', 'outbid', 'a', T0),
            notification('alice', 'outbid', 'a', T0 + 1),
            notification('alice', 'outbid', 'b', T0 + 1),
            notification('bob', 'outbid', 'a', T0 + 1),
          ]),
        );
        const now = T0 + 2;
        const first = await claim(store, now);
        assert.deepEqual(keysOf(first), ['alice outbid a', 'alice outbid b', 'bob outbid a']);
        const aliceA = first.find((m) => m.userId === 'alice' && m.auctionId === 'a')!;
        assert.equal(aliceA.createdAt, T0, 'the first of the pair');
        // While it is leased, a new one of the pair is skipped.
        await store.commitBatch(notifications([notification('alice', 'outbid', 'a', now + 1)]));
        assert.deepEqual(await claim(store, now + 1), []);
        // Sent: within the window, new ones are skipped; another kind of the pair is not.
        const sentAt = now + 2;
        await store.settleMails(first.map((m) => sent(m, sentAt)));
        await store.commitBatch(
          notifications([
            notification('alice', 'outbid', 'a', sentAt + MINUTE),
            notification('alice', 'won', 'a', sentAt + MINUTE),
          ]),
        );
        const won = await claim(store, sentAt + MINUTE);
        assert.deepEqual(keysOf(won), ['alice won a']);
        await store.settleMails(won.map((m) => sent(m, sentAt + MINUTE)));
        await store.commitBatch(notifications([notification('alice', 'outbid', 'a', sentAt + OUTBID_WINDOW - 1)]));
        assert.deepEqual(await claim(store, sentAt + OUTBID_WINDOW - 1), [], 'still within the window');
        // After the window, a new one goes out.
        await store.commitBatch(notifications([notification('alice', 'outbid', 'a', sentAt + OUTBID_WINDOW)]));
        const later = await claim(store, sentAt + OUTBID_WINDOW);
        assert.deepEqual(keysOf(later), ['alice outbid a']);
        assert.equal(later[0]!.createdAt, sentAt + OUTBID_WINDOW, 'the new one, not a skipped one revived');
      });
    });

    test('insertQaItem and settleQaItem queue their mail for a verified user who wants it, only when the item changed', async () => {
      await withBook(async (store) => {
        await verifyAddress(store, 'seller', 'seller@example.com');
        await verifyAddress(store, 'alice', 'alice@example.com');
        assert.equal(await store.setMailOff('alice', ['question']), true);
        const mail = (userId: string, questionId: string, createdAt = T0): NewMail => ({
          userId,
          kind: 'question',
          auctionId: 'qa-auction',
          toAddress: null,
          data: JSON.stringify({ questionId }),
          createdAt,
        });
        assert.equal(await store.insertQaItem(qaItem('q1'), undefined, mail('seller', 'q1')), 'inserted');
        assert.equal(await store.insertQaItem(qaItem('q2'), undefined, mail('alice', 'q2')), 'inserted');
        assert.equal(await store.insertQaItem(qaItem('q3'), undefined, mail('carol', 'q3')), 'inserted');
        assert.equal(
          await store.insertQaItem(qaItem('q4', { status: 'pending_review', nextAttemptAt: T0 })),
          'inserted',
        );
        assert.equal(await store.settleQaItem('q4', 'published', undefined, mail('seller', 'q4', T0 + 1)), true);
        assert.equal(await store.settleQaItem('q4', 'published', undefined, mail('seller', 'q4-again')), false);
        assert.equal(await store.settleQaItem('missing', 'published', undefined, mail('seller', 'missing')), false);
        const answer = qaItem('ans1', { kind: 'answer', questionId: 'q1', authorId: 'seller' });
        assert.equal(await store.insertQaItem(answer), 'inserted');
        assert.equal(
          await store.insertQaItem({ ...answer, id: 'ans2' }, undefined, mail('seller', 'ans2')),
          'already_answered',
        );
        const claimed = await claim(store, T0 + 1);
        assert.deepEqual(
          claimed.map((m) => [m.userId, m.kind, m.to, m.data]),
          [
            ['seller', 'question', 'seller@example.com', JSON.stringify({ questionId: 'q1' })],
            ['seller', 'question', 'seller@example.com', JSON.stringify({ questionId: 'q4' })],
          ],
        );
        await store.settleMails(claimed.map((m) => sent(m, T0 + 2)));
        assert.deepEqual(await claim(store, T0 + DAY), []);
      });
    });

    test('deleteSettledOutbox deletes expired tokens and settled mails queued before `settledBefore`, never pending ones', async () => {
      await withBook(async (store) => {
        const expired = token('alice', 'a1@example.com', { createdAt: T0, expiresAt: T0 + 10 });
        const usedExpired = token('alice', 'a2@example.com', { createdAt: T0, expiresAt: T0 + 20 });
        const usedLive = token('bob', 'b@example.com', { createdAt: T0, expiresAt: T0 + HOUR });
        const live = token('carol', 'c@example.com', { createdAt: T0, expiresAt: T0 + HOUR });
        for (const t of [expired, usedExpired, usedLive, live]) await store.insertEmailToken(t, linkMail(t));
        assert.equal((await store.verifyEmail(usedExpired.tokenHash, T0 + 1, 'k')).outcome, 'verified');
        assert.equal((await store.verifyEmail(usedLive.tokenHash, T0 + 1, 'k')).outcome, 'verified');

        const now = T0 + 30;
        const claimed = (await claim(store, now)).sort((p, q) => p.to.localeCompare(q.to));
        assert.deepEqual(
          claimed.map((m) => m.to),
          ['a1@example.com', 'a2@example.com', 'b@example.com', 'c@example.com'],
        );
        const [m1, m2, m3, m4] = claimed as [ClaimedMail, ClaimedMail, ClaimedMail, ClaimedMail];
        // m3 waits for its retry, m4 is still in flight: both pending.
        await store.settleMails([sent(m1, now), failed(m2, now), retry(m3, now, now + HOUR)]);

        const none = await store.deleteSettledOutbox({ now: T0 + 9, settledBefore: T0, limit: 100 });
        assert.deepEqual([none.emailTokens, none.mails], [0, 0], 'nothing expired yet; queued at settledBefore');
        const one = await store.deleteSettledOutbox({ now: T0 + 20, settledBefore: T0 + 1, limit: 1 });
        assert.deepEqual([one.emailTokens, one.mails], [1, 1], 'at most limit');
        const rest = await store.deleteSettledOutbox({ now: T0 + 20, settledBefore: T0 + 1, limit: 100 });
        assert.deepEqual(
          [rest.emailTokens, rest.mails],
          [1, 1],
          'the other expired token (used or not), the other settled mail',
        );
        const after = await store.deleteSettledOutbox({ now: T0 + 20, settledBefore: T0 + DAY, limit: 100 });
        assert.deepEqual([after.emailTokens, after.mails], [0, 0], 'unexpired tokens and pending mails stay');
        // The live token still works; the pending mails still come.
        assert.equal((await store.verifyEmail(live.tokenHash, T0 + 40, 'k')).outcome, 'verified');
        assert.deepEqual((await claim(store, now + HOUR)).map((m) => m.id).sort(), [m3.id, m4.id].sort());
      });
    });

    test('durable: pending and leased mails, tokens and addresses survive a reopen', async (t) => {
      await withBook(async (store, _book, handle) => {
        if (!handle.reopen) return t.skip('the adapter cannot reopen its storage');
        await verifyAddress(store, 'alice', 'alice@example.com');
        await store.commitBatch(
          notifications([notification('alice', 'won', 'a1', T0), notification('alice', 'ending_soon', 'a2', T0 + 1)]),
        );
        const pendingToken = token('bob', 'bob@example.com', { createdAt: T0 + 2 });
        await store.insertEmailToken(pendingToken, linkMail(pendingToken));
        const [leased, ...rest] = await claim(store, T0, 1);
        assert.deepEqual([leased?.kind, rest], ['won', []]);

        const reopened = await handle.reopen();
        assert.equal((await reopened.findUserByEmail('alice@example.com'))?.mailKey, 'key-alice');
        const next = await claim(reopened, T0 + 2);
        assert.deepEqual(keysOf(next), ['alice ending_soon a2', 'bob verify_email -'], 'the leased one stays leased');
        // The lease taken before the restart still settles it.
        await reopened.settleMails([sent(leased!, T0 + 3)]);
        assert.deepEqual(
          await claim(reopened, T0 + DAY, 100).then((m) => m.map((x) => x.id).sort()),
          next.map((x) => x.id).sort(),
        );
        assert.equal((await reopened.verifyEmail(pendingToken.tokenHash, T0 + 3, 'key-b')).outcome, 'verified');
      });
    });
  });
}
