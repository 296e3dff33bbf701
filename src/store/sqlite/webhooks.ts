import type Database from 'better-sqlite3';
import { decodeCursor, keysetPage } from '../cursor.ts';
import { type Row, toClaimedWebhookDelivery, toWebhook, toWebhookDelivery } from '../rows.ts';
import type {
  ClaimedWebhookDelivery,
  Page,
  WebhookDeliveryOutcome,
  WebhookDeliveryRecord,
  WebhookEvent,
  WebhookRecord,
} from '../store.ts';

/** How many due rows one claim looks at per delivery it may hand out (the others are deferred, see below). */
const CLAIM_SCAN_FACTOR = 4;

/**
 * Webhooks on SQLite (migration 011): the statements, the writes (run on the writer thread, like every
 * write) and the reads (on the store's own connection). One named statement per operation.
 */
export const webhookSql = {
  countWebhooks: 'SELECT count(*) FROM webhooks WHERE owner_id = ?',
  insertWebhook: `INSERT INTO webhooks (id, owner_id, url, events, secret, created_at)
    VALUES (@id, @ownerId, @url, @events, @secret, @createdAt)`,
  findWebhook: 'SELECT * FROM webhooks WHERE owner_id = ? AND id = ?',
  listWebhooks: 'SELECT * FROM webhooks WHERE owner_id = ? ORDER BY seq',
  deleteWebhook: 'DELETE FROM webhooks WHERE owner_id = ? AND id = ?',
  deleteDeliveriesOf: 'DELETE FROM webhook_deliveries WHERE webhook_id = ?',
  /**
   * One event's deliveries: one row per webhook of the seller that subscribes to its type (usually none:
   * then this is one probe of webhooks_by_owner).
   */
  insertDeliveries: `INSERT INTO webhook_deliveries (id, webhook_id, event_id, type, auction_id, version, data, created_at, next_attempt_at)
    SELECT lower(hex(randomblob(16))), w.id, @eventId, @type, @auctionId, @version, @data, @createdAt, @createdAt
    FROM webhooks w WHERE w.owner_id = @sellerId AND instr(w.events, '"' || @type || '"') > 0
    ORDER BY w.seq`,
  listDeliveries: `SELECT * FROM webhook_deliveries WHERE webhook_id = @webhookId AND seq < @before
    ORDER BY seq DESC LIMIT @limit`,
  retryDelivery: `UPDATE webhook_deliveries SET status = 'pending', manual = 1, next_attempt_at = @now
    WHERE webhook_id = @webhookId AND id = @id AND status = 'failed'`,
  deliveryStatus: 'SELECT status FROM webhook_deliveries WHERE webhook_id = ? AND id = ?',
  /**
   * Due rows, longest due first, each with the next attempt of the oldest pending (not manual) row ahead of
   * it in its (webhook, auction), if any: such a row must wait.
   */
  dueDeliveries: `SELECT d.seq, d.manual,
      CASE WHEN d.manual = 1 THEN NULL ELSE
        (SELECT e.next_attempt_at FROM webhook_deliveries e
          WHERE e.webhook_id = d.webhook_id AND e.auction_id = d.auction_id AND e.status = 'pending' AND e.manual = 0
            AND e.seq < d.seq
          ORDER BY e.seq LIMIT 1)
      END AS ahead_due
    FROM webhook_deliveries d WHERE d.status = 'pending' AND d.next_attempt_at <= @now
    ORDER BY d.next_attempt_at, d.seq LIMIT @scan`,
  claimDelivery: `UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = @leaseUntil,
      lease_until = @leaseUntil, last_attempt_at = @now
    WHERE seq = @seq`,
  /** A row behind a pending one waits until that one's next attempt (when it may be settled). */
  deferDelivery: 'UPDATE webhook_deliveries SET next_attempt_at = @until WHERE seq = @seq',
  claimedDelivery: `SELECT d.*, w.url, w.secret, COALESCE(d.data, e.data) AS event_data
    FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
    LEFT JOIN auction_events e ON e.auction_id = d.auction_id AND e.version = d.version
    WHERE d.seq = ?`,
  settleDelivered: `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = @at, last_error = NULL, next_attempt_at = NULL
    WHERE id = @id AND status = 'pending' AND lease_until = @leaseUntil
    RETURNING webhook_id, auction_id, manual`,
  settleFailed: `UPDATE webhook_deliveries SET status = 'failed', last_error = @error, next_attempt_at = NULL
    WHERE id = @id AND status = 'pending' AND lease_until = @leaseUntil
    RETURNING webhook_id, auction_id, manual`,
  settleRetry: `UPDATE webhook_deliveries SET last_error = @error, next_attempt_at = @nextAttemptAt
    WHERE id = @id AND status = 'pending' AND lease_until = @leaseUntil`,
  /** Once the head of a (webhook, auction) is settled, the next one is due at once (it was deferred). */
  promoteNext: `UPDATE webhook_deliveries SET next_attempt_at = MIN(next_attempt_at, @at)
    WHERE seq = (SELECT seq FROM webhook_deliveries
      WHERE webhook_id = @webhookId AND auction_id = @auctionId AND status = 'pending' AND manual = 0
      ORDER BY seq LIMIT 1)`,
} as const;

type Statements = { [K in keyof typeof webhookSql]: Database.Statement };

function prepare(db: Database.Database, names: readonly (keyof typeof webhookSql)[]): Statements {
  return Object.fromEntries(names.map((name) => [name, db.prepare(webhookSql[name])])) as Statements;
}

/** The webhook writes, on the writer thread's connection. Each public method is one transaction. */
export class SqliteWebhookWriter {
  private readonly s: Statements;
  readonly insertWebhook: (webhook: WebhookRecord, max: number) => boolean;
  readonly deleteWebhook: (ownerId: string, id: string) => boolean;
  readonly retryDelivery: (webhookId: string, id: string, now: number) => 'retried' | 'not_failed' | 'not_found';
  readonly claim: (now: number, leaseUntil: number, limit: number) => ClaimedWebhookDelivery[];
  readonly settle: (outcomes: readonly WebhookDeliveryOutcome[]) => void;

  constructor(db: Database.Database) {
    this.s = prepare(db, Object.keys(webhookSql) as (keyof typeof webhookSql)[]);
    const s = this.s;
    s.countWebhooks.pluck();
    s.deliveryStatus.pluck();
    // IMMEDIATE: read, then write (see inventory.ts).
    const insert = db.transaction((webhook: WebhookRecord, max: number) => {
      if ((s.countWebhooks.get(webhook.ownerId) as number) >= max) return false;
      s.insertWebhook.run({ ...webhook, events: JSON.stringify(webhook.events) });
      return true;
    });
    this.insertWebhook = (...args) => insert.immediate(...args);
    this.deleteWebhook = db.transaction((ownerId: string, id: string) => {
      if (s.deleteWebhook.run(ownerId, id).changes !== 1) return false;
      s.deleteDeliveriesOf.run(id);
      return true;
    });
    const retry = db.transaction((webhookId: string, id: string, now: number) => {
      if (s.retryDelivery.run({ webhookId, id, now }).changes === 1) return 'retried' as const;
      return s.deliveryStatus.get(webhookId, id) === undefined ? ('not_found' as const) : ('not_failed' as const);
    });
    this.retryDelivery = (...args) => retry.immediate(...args);
    const claim = db.transaction((now: number, leaseUntil: number, limit: number) => {
      const due = s.dueDeliveries.all({ now, scan: limit * CLAIM_SCAN_FACTOR + 16 }) as {
        seq: number;
        ahead_due: number | null;
      }[];
      const claimed: ClaimedWebhookDelivery[] = [];
      for (const row of due) {
        if (row.ahead_due !== null) {
          // Behind a pending delivery: due again when that one is (its retry, or its lease running out); a
          // settled head makes it due at once (promoteNext). Deferring keeps a long queue behind a failing
          // receiver out of every later claim's scan.
          s.deferDelivery.run({ seq: row.seq, until: Math.max(row.ahead_due, now + 1_000) });
          continue;
        }
        if (claimed.length >= limit) continue;
        s.claimDelivery.run({ seq: row.seq, now, leaseUntil });
        claimed.push(toClaimedWebhookDelivery(s.claimedDelivery.get(row.seq) as Row));
      }
      return claimed;
    });
    this.claim = (...args) => claim.immediate(...args);
    this.settle = db.transaction((outcomes: readonly WebhookDeliveryOutcome[]) => {
      for (const o of outcomes) {
        if (o.outcome === 'retry') {
          s.settleRetry.run({ id: o.id, leaseUntil: o.leaseUntil, error: o.error, nextAttemptAt: o.nextAttemptAt });
          continue;
        }
        const settled = (
          o.outcome === 'delivered'
            ? s.settleDelivered.get({ id: o.id, leaseUntil: o.leaseUntil, at: o.at })
            : s.settleFailed.get({ id: o.id, leaseUntil: o.leaseUntil, error: o.error })
        ) as { webhook_id: string; auction_id: string; manual: number } | undefined;
        if (settled && settled.manual === 0)
          s.promoteNext.run({ webhookId: settled.webhook_id, auctionId: settled.auction_id, at: o.at });
      }
    });
  }

  /** Inside the caller's transaction (a commit, a question's publication): one row per subscribed webhook. */
  writeEvents(events: readonly WebhookEvent[]): void {
    for (const event of events) this.s.insertDeliveries.run(event);
  }
}

/** The webhook reads, on the store's own connection (WAL: they never wait for the writer). */
export class SqliteWebhookReader {
  private readonly s: Statements;

  constructor(db: Database.Database) {
    this.s = prepare(db, ['findWebhook', 'listWebhooks', 'listDeliveries']);
  }

  find(ownerId: string, id: string): WebhookRecord | null {
    const row = this.s.findWebhook.get(ownerId, id) as Row | undefined;
    return row ? toWebhook(row) : null;
  }

  list(ownerId: string): WebhookRecord[] {
    return (this.s.listWebhooks.all(ownerId) as Row[]).map(toWebhook);
  }

  deliveries(webhookId: string, limit: number, cursor: string | null): Page<WebhookDeliveryRecord> {
    // The tag ties the cursor to this webhook's listing.
    const tag = `deliveries:${webhookId}`;
    const before = cursor === null ? Number.MAX_SAFE_INTEGER : decodeCursor(tag, cursor, 1)[0]!;
    const rows = this.s.listDeliveries.all({ webhookId, before, limit: limit + 1 }) as Row[];
    return keysetPage(rows, limit, tag, (row) => [row.seq as number], toWebhookDelivery);
  }
}
