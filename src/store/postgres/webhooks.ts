import type pg from 'pg';
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
import type { RetryPolicy } from './retry.ts';
import { runStatement, transaction } from './transaction.ts';

/** The first key of the per-owner advisory lock ("whk" in ASCII); the second is the owner id's hash. */
const OWNER_LOCK_SPACE = 0x77686b;
/** How many due rows one claim looks at per delivery it may hand out (see the SQLite adapter). */
const CLAIM_SCAN_FACTOR = 4;

/**
 * Webhooks on PostgreSQL (migration 009): the same meaning as the SQLite adapter's (store.ts). The commit
 * path's deliveries are written by writeBatch (statements.ts, `hooks`); a question's here.
 *
 * Nodes claim deliveries with FOR UPDATE SKIP LOCKED: a row one node is claiming is skipped by the others,
 * and the lease it then holds keeps them off it until it is settled or the lease runs out.
 */
export const webhookSql = {
  webhookLockOwner: `SELECT pg_advisory_xact_lock(${OWNER_LOCK_SPACE}, hashtext($1))`,
  webhookCount: 'SELECT count(*)::integer AS n FROM webhooks WHERE owner_id = $1',
  webhookInsert: `INSERT INTO webhooks (id, owner_id, url, events, secret, created_at)
    VALUES ($1, $2, $3, $4::text[], $5, $6)`,
  webhookFind: 'SELECT * FROM webhooks WHERE owner_id = $1 AND id = $2',
  webhookList: 'SELECT * FROM webhooks WHERE owner_id = $1 ORDER BY seq',
  webhookDelete: `WITH gone AS (DELETE FROM webhooks WHERE owner_id = $1 AND id = $2 RETURNING id),
      deliveries AS (DELETE FROM webhook_deliveries WHERE webhook_id IN (SELECT id FROM gone))
    SELECT count(*)::integer AS n FROM gone`,
  webhookInsertDeliveries: `INSERT INTO webhook_deliveries (id, webhook_id, event_id, type, auction_id, version, data, created_at, next_attempt_at)
    SELECT replace(gen_random_uuid()::text, '-', ''), w.id, $1, $2, $3, $4, $5, $6, $6
    FROM webhooks w WHERE w.owner_id = $7 AND $2 = ANY (w.events) ORDER BY w.seq`,
  webhookListDeliveries: `SELECT * FROM webhook_deliveries WHERE webhook_id = $1 AND seq < $2
    ORDER BY seq DESC LIMIT $3`,
  webhookRetryDelivery: `UPDATE webhook_deliveries SET status = 'pending', manual = true, next_attempt_at = $3
    WHERE webhook_id = $1 AND id = $2 AND status = 'failed'`,
  webhookDeliveryStatus: 'SELECT status FROM webhook_deliveries WHERE webhook_id = $1 AND id = $2',
  /** Due rows (see the SQLite adapter's dueDeliveries), locked for this claim; rows another claim holds are skipped. */
  webhookDueDeliveries: `SELECT d.seq,
      CASE WHEN d.manual THEN NULL ELSE
        (SELECT e.next_attempt_at FROM webhook_deliveries e
          WHERE e.webhook_id = d.webhook_id AND e.auction_id = d.auction_id AND e.status = 'pending' AND NOT e.manual
            AND e.seq < d.seq
          ORDER BY e.seq LIMIT 1)
      END AS ahead_due
    FROM webhook_deliveries d WHERE d.status = 'pending' AND d.next_attempt_at <= $1
    ORDER BY d.next_attempt_at, d.seq LIMIT $2
    FOR UPDATE OF d SKIP LOCKED`,
  webhookClaim: `WITH claimed AS (
      UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = $2, lease_until = $2, last_attempt_at = $1
      WHERE seq = ANY ($3::bigint[])
      RETURNING *)
    SELECT c.*, w.url, w.secret, COALESCE(c.data, e.data) AS event_data
    FROM claimed c JOIN webhooks w ON w.id = c.webhook_id
    LEFT JOIN auction_events e ON e.auction_id = c.auction_id AND e.version = c.version
    ORDER BY c.next_attempt_at, c.seq`,
  /**
   * Checked again in this statement's own snapshot: a settle of the row ahead that committed after the
   * claim's first read (which made this row due at once) must not be undone by deferring it.
   */
  webhookDefer: `UPDATE webhook_deliveries AS d SET next_attempt_at = u.until
    FROM unnest ($1::bigint[], $2::bigint[]) AS u (seq, until) WHERE d.seq = u.seq
      AND EXISTS (SELECT 1 FROM webhook_deliveries e
        WHERE e.webhook_id = d.webhook_id AND e.auction_id = d.auction_id AND e.status = 'pending' AND NOT e.manual
          AND e.seq < d.seq)`,
  /**
   * Outcomes ($1 ids, $2 leases, $3 outcome, $4 error, $5 next attempt, $6 at), each only while pending under
   * the same lease; a settled head makes the next pending row of its (webhook, auction) due at once.
   */
  webhookSettle: `WITH
    o AS (SELECT * FROM unnest ($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
      AS o (id, lease_until, outcome, error, next_attempt_at, at)),
    settled AS (
      UPDATE webhook_deliveries AS d SET
        status = CASE o.outcome WHEN 'retry' THEN 'pending' ELSE o.outcome END,
        last_error = o.error,
        next_attempt_at = CASE o.outcome WHEN 'retry' THEN o.next_attempt_at END,
        delivered_at = CASE o.outcome WHEN 'delivered' THEN o.at END
      FROM o WHERE d.id = o.id AND d.status = 'pending' AND d.lease_until = o.lease_until
      RETURNING d.webhook_id, d.auction_id, d.manual, o.outcome, o.at)
    UPDATE webhook_deliveries AS n SET next_attempt_at = LEAST(n.next_attempt_at, s.at)
    FROM settled s
    WHERE s.outcome <> 'retry' AND NOT s.manual
      AND n.seq = (SELECT min(x.seq) FROM webhook_deliveries x
        WHERE x.webhook_id = s.webhook_id AND x.auction_id = s.auction_id AND x.status = 'pending' AND NOT x.manual
          AND x.seq NOT IN (SELECT d.seq FROM webhook_deliveries d JOIN o ON d.id = o.id AND o.outcome <> 'retry'))`,
} as const;

type WebhookStatement = keyof typeof webhookSql;

/** The webhook operations of PostgresStore. */
export class PostgresWebhooks {
  constructor(
    private readonly pool: pg.Pool,
    private readonly retry: RetryPolicy,
  ) {}

  insertWebhook(webhook: WebhookRecord, max: number): Promise<boolean> {
    return transaction(this.pool, 'insertWebhook', this.retry, async (client) => {
      const q = query(client);
      // The owner's lock: two registrations at once cannot both pass the count.
      await q('webhookLockOwner', [webhook.ownerId]);
      if (((await q('webhookCount', [webhook.ownerId])).rows[0]!.n as number) >= max) return false;
      await q('webhookInsert', [
        webhook.id,
        webhook.ownerId,
        webhook.url,
        webhook.events,
        webhook.secret,
        webhook.createdAt,
      ]);
      return true;
    });
  }

  async findWebhook(ownerId: string, id: string): Promise<WebhookRecord | null> {
    const row = (await this.run('webhookFind', [ownerId, id])).rows[0];
    return row ? toWebhook(row) : null;
  }

  async listWebhooks(ownerId: string): Promise<WebhookRecord[]> {
    return (await this.run('webhookList', [ownerId])).rows.map(toWebhook);
  }

  async deleteWebhook(ownerId: string, id: string): Promise<boolean> {
    const result = await transaction(this.pool, 'deleteWebhook', this.retry, (client) =>
      query(client)('webhookDelete', [ownerId, id]),
    );
    return (result.rows[0]!.n as number) === 1;
  }

  async listDeliveries(webhookId: string, limit: number, cursor: string | null): Promise<Page<WebhookDeliveryRecord>> {
    const tag = `deliveries:${webhookId}`;
    const before = cursor === null ? Number.MAX_SAFE_INTEGER : decodeCursor(tag, cursor, 1)[0]!;
    const rows = (await this.run('webhookListDeliveries', [webhookId, before, limit + 1])).rows;
    return keysetPage(rows, limit, tag, (row) => [Number(row.seq)], toWebhookDelivery);
  }

  retryDelivery(webhookId: string, id: string, now: number): Promise<'retried' | 'not_failed' | 'not_found'> {
    return transaction(this.pool, 'retryWebhookDelivery', this.retry, async (client) => {
      const q = query(client);
      if ((await q('webhookRetryDelivery', [webhookId, id, now])).rowCount === 1) return 'retried' as const;
      const found = (await q('webhookDeliveryStatus', [webhookId, id])).rows[0];
      return found === undefined ? ('not_found' as const) : ('not_failed' as const);
    });
  }

  claim(now: number, leaseUntil: number, limit: number): Promise<ClaimedWebhookDelivery[]> {
    return transaction(this.pool, 'claimWebhookDeliveries', this.retry, async (client) => {
      const q = query(client);
      const due = (await q('webhookDueDeliveries', [now, limit * CLAIM_SCAN_FACTOR + 16])).rows as {
        seq: string;
        ahead_due: string | null;
      }[];
      const take: string[] = [];
      const defer: { seq: string; until: number }[] = [];
      for (const row of due) {
        if (row.ahead_due !== null) defer.push({ seq: row.seq, until: Math.max(Number(row.ahead_due), now + 1_000) });
        else if (take.length < limit) take.push(row.seq);
      }
      if (defer.length > 0) await q('webhookDefer', [defer.map((d) => d.seq), defer.map((d) => d.until)]);
      if (take.length === 0) return [];
      return (await q('webhookClaim', [now, leaseUntil, take])).rows.map(toClaimedWebhookDelivery);
    });
  }

  async settle(outcomes: readonly WebhookDeliveryOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await transaction(this.pool, 'settleWebhookDeliveries', this.retry, (client) =>
      query(client)('webhookSettle', [
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.leaseUntil),
        outcomes.map((o) => o.outcome),
        outcomes.map((o) => (o.outcome === 'delivered' ? null : o.error.replaceAll('\u0000', ''))),
        outcomes.map((o) => (o.outcome === 'retry' ? o.nextAttemptAt : null)),
        outcomes.map((o) => o.at),
      ]),
    );
  }

  /** Inside the caller's transaction (a question's publication). */
  async writeEvents(client: pg.PoolClient, events: readonly WebhookEvent[]): Promise<void> {
    const q = query(client);
    for (const e of events)
      await q('webhookInsertDeliveries', [e.eventId, e.type, e.auctionId, e.version, e.data, e.createdAt, e.sellerId]);
  }

  private run(name: WebhookStatement, values: unknown[]): Promise<pg.QueryResult<Row>> {
    return runStatement(this.pool, this.retry, name, webhookSql[name], values);
  }
}

function query(client: pg.PoolClient) {
  return (name: WebhookStatement, values: unknown[]) => client.query<Row>({ name, text: webhookSql[name], values });
}
