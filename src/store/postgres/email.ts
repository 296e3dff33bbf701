import type pg from 'pg';
import { skipReason } from '../mail-rules.ts';
import { type Row, toClaimedMail, toUser } from '../rows.ts';
import type {
  ClaimedMail,
  EmailTokenRecord,
  MailOutcome,
  NewMail,
  OutboxRetentionResult,
  UserRecord,
} from '../store.ts';
import type { RetryPolicy } from './retry.ts';
import { runStatement, transaction } from './transaction.ts';

/** How many due rows one claim looks at per mail it may hand out. */
const CLAIM_SCAN_FACTOR = 4;
/** The first key of the per-pair advisory lock of outbid mails ("out" in ASCII). */
const OUTBID_LOCK_SPACE = 0x6f7574;

/**
 * Email on PostgreSQL (migration 010): the same meaning as the SQLite adapter's (store.ts). Notification mails
 * are queued by the trigger `user_events_mail`.
 */
export const emailSql = {
  emailInsertToken: `INSERT INTO email_tokens (token_hash, purpose, user_id, email, created_at, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6)`,
  emailInsertMail: `INSERT INTO mail_outbox (id, user_id, kind, auction_id, to_address, data, created_at, next_attempt_at)
    VALUES (replace(gen_random_uuid()::text, '-', ''), $1, $2, $3, $4, $5, $6, $6)`,
  emailInsertMailIfWanted: `INSERT INTO mail_outbox (id, user_id, kind, auction_id, to_address, data, created_at, next_attempt_at)
    SELECT replace(gen_random_uuid()::text, '-', ''), u.id, $2, $3, NULL, $4, $5, $5
    FROM users u WHERE u.id = $1 AND u.email IS NOT NULL AND NOT ($2 = ANY (u.mail_off))`,
  /** Takes the token when it is usable (unused, unexpired, of this purpose): one statement, so one taker. */
  emailTakeToken: `UPDATE email_tokens SET used_at = $3
    WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
    RETURNING user_id, email`,
  emailOwner: 'SELECT id FROM users WHERE email = $1',
  emailSetEmail: 'UPDATE users SET email = $1, mail_key = coalesce(mail_key, $2) WHERE id = $3 RETURNING *',
  emailFindUserByEmail: 'SELECT * FROM users WHERE email = $1',
  emailSetPassword: 'UPDATE users SET password_hash = $1 WHERE id = $2',
  emailEndSessions: 'DELETE FROM sessions WHERE user_id = $1',
  emailSetMailOff: 'UPDATE users SET mail_off = $2::text[] WHERE id = $1',
  emailDueMails: `SELECT m.seq, m.kind, m.user_id, m.auction_id, m.to_address, u.email, u.mail_off
    FROM mail_outbox m LEFT JOIN users u ON u.id = m.user_id
    WHERE m.status = 'pending' AND m.next_attempt_at <= $1
    ORDER BY m.next_attempt_at, m.seq LIMIT $2
    FOR UPDATE OF m SKIP LOCKED`,
  /** Serializes the outbid rule of one (user, auction) between nodes claiming at once. */
  emailLockPair: `SELECT pg_advisory_xact_lock(${OUTBID_LOCK_SPACE}, hashtext($1 || '/' || $2))`,
  emailRecentOutbid: `SELECT 1 FROM mail_outbox WHERE user_id = $1 AND auction_id = $2 AND kind = 'outbid'
      AND seq <> $3 AND ((status = 'sent' AND sent_at > $4) OR (status = 'pending' AND lease_until > $5))
    LIMIT 1`,
  emailSkipMail: `UPDATE mail_outbox SET status = 'skipped', last_error = $2, next_attempt_at = NULL, data = NULL
    WHERE seq = $1`,
  emailClaim: `WITH claimed AS (
      UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $2, lease_until = $2
      WHERE seq = ANY ($1::bigint[]) RETURNING *)
    SELECT c.*, coalesce(c.to_address, u.email) AS "to", u.display_name, u.mail_key
    FROM claimed c JOIN users u ON u.id = c.user_id ORDER BY c.created_at, c.seq`,
  emailSettle: `UPDATE mail_outbox AS m SET
      status = CASE o.outcome WHEN 'retry' THEN 'pending' ELSE o.outcome END,
      last_error = o.error,
      next_attempt_at = CASE o.outcome WHEN 'retry' THEN o.next_attempt_at END,
      sent_at = CASE o.outcome WHEN 'sent' THEN o.at END,
      data = CASE WHEN o.outcome = 'sent' AND m.to_address IS NOT NULL THEN NULL ELSE m.data END
    FROM unnest ($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
      AS o (id, lease_until, outcome, error, next_attempt_at, at)
    WHERE m.id = o.id AND m.status = 'pending' AND m.lease_until = o.lease_until`,
  emailDeleteExpiredTokens: `DELETE FROM email_tokens WHERE token_hash IN
    (SELECT token_hash FROM email_tokens WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  emailDeleteSettledMails: `DELETE FROM mail_outbox WHERE seq IN
    (SELECT seq FROM mail_outbox WHERE created_at < $1 AND status <> 'pending' ORDER BY seq LIMIT $2
     FOR UPDATE SKIP LOCKED)`,
  emailDeleteSettledDeliveries: `DELETE FROM webhook_deliveries WHERE seq IN
    (SELECT seq FROM webhook_deliveries WHERE created_at < $1 AND status <> 'pending' ORDER BY seq LIMIT $2
     FOR UPDATE SKIP LOCKED)`,
} as const;

type EmailStatement = keyof typeof emailSql;

export class PostgresEmail {
  constructor(
    private readonly pool: pg.Pool,
    private readonly retry: RetryPolicy,
  ) {}

  insertToken(token: EmailTokenRecord, mail: NewMail): Promise<void> {
    return transaction(this.pool, 'insertEmailToken', this.retry, async (client) => {
      const q = query(client);
      await q('emailInsertToken', [
        token.tokenHash,
        token.purpose,
        token.userId,
        token.email,
        token.createdAt,
        token.expiresAt,
      ]);
      await q('emailInsertMail', [mail.userId, mail.kind, mail.auctionId, mail.toAddress, mail.data, mail.createdAt]);
    });
  }

  verifyEmail(
    tokenHash: string,
    now: number,
    mailKey: string,
  ): Promise<{ outcome: 'verified'; user: UserRecord } | { outcome: 'invalid' | 'taken' }> {
    return transaction(this.pool, 'verifyEmail', this.retry, async (client) => {
      const q = query(client);
      const token = (await q('emailTakeToken', [tokenHash, 'verify_email', now])).rows[0];
      if (!token) return { outcome: 'invalid' as const };
      const owner = (await q('emailOwner', [token.email])).rows[0];
      if (owner && owner.id !== token.user_id) return { outcome: 'taken' as const };
      try {
        await client.query('SAVEPOINT set_email');
        const row = (await q('emailSetEmail', [token.email, mailKey, token.user_id])).rows[0]!;
        return { outcome: 'verified' as const, user: toUser(row) };
      } catch (error) {
        // Another user verified the same address at the same moment and committed first (users_by_email).
        if ((error as { code?: string }).code !== '23505') throw error;
        await client.query('ROLLBACK TO SAVEPOINT set_email');
        return { outcome: 'taken' as const };
      }
    });
  }

  resetPassword(
    tokenHash: string,
    passwordHash: string,
    now: number,
  ): Promise<{ outcome: 'reset'; userId: string } | { outcome: 'invalid' }> {
    return transaction(this.pool, 'resetPassword', this.retry, async (client) => {
      const q = query(client);
      const token = (await q('emailTakeToken', [tokenHash, 'reset_password', now])).rows[0];
      if (!token) return { outcome: 'invalid' as const };
      await q('emailSetPassword', [passwordHash, token.user_id]);
      await q('emailEndSessions', [token.user_id]);
      return { outcome: 'reset' as const, userId: token.user_id as string };
    });
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const row = (await this.run('emailFindUserByEmail', [email])).rows[0];
    return row ? toUser(row) : null;
  }

  async setMailOff(userId: string, off: readonly string[]): Promise<boolean> {
    return (await this.run('emailSetMailOff', [userId, off])).rowCount === 1;
  }

  claim(now: number, leaseUntil: number, limit: number, outbidWindowMs: number): Promise<ClaimedMail[]> {
    return transaction(this.pool, 'claimMails', this.retry, async (client) => {
      const q = query(client);
      const due = (await q('emailDueMails', [now, limit * CLAIM_SCAN_FACTOR + 16])).rows as (Row & {
        seq: string;
        kind: string;
        user_id: string;
        auction_id: string | null;
        to_address: string | null;
        email: string | null;
        mail_off: string[] | null;
      })[];
      const take: string[] = [];
      const outbidPairs = new Set<string>();
      for (const row of due) {
        if (take.length >= limit) break;
        let recent = false;
        if (row.kind === 'outbid' && row.to_address === null && row.email !== null) {
          const pair = `${row.user_id}/${row.auction_id}`;
          if (outbidPairs.has(pair)) recent = true;
          else {
            await q('emailLockPair', [row.user_id, row.auction_id ?? '']);
            recent =
              (await q('emailRecentOutbid', [row.user_id, row.auction_id, row.seq, now - outbidWindowMs, now])).rows
                .length > 0;
          }
          outbidPairs.add(pair);
        }
        const reason = skipReason({ ...row, mail_off: row.mail_off ?? [] }, () => recent);
        if (reason !== null) await q('emailSkipMail', [row.seq, reason]);
        else take.push(row.seq);
      }
      if (take.length === 0) return [];
      return (await q('emailClaim', [take, leaseUntil])).rows.map(toClaimedMail);
    });
  }

  async settle(outcomes: readonly MailOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await transaction(this.pool, 'settleMails', this.retry, (client) =>
      query(client)('emailSettle', [
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.leaseUntil),
        outcomes.map((o) => o.outcome),
        outcomes.map((o) => (o.outcome === 'sent' ? null : o.error.replaceAll('\u0000', ''))),
        outcomes.map((o) => (o.outcome === 'retry' ? o.nextAttemptAt : null)),
        outcomes.map((o) => o.at),
      ]),
    );
  }

  /** Retention (Store.deleteSettledOutbox): one statement each; nodes sweeping at once skip each other's rows. */
  async deleteSettled(input: { now: number; settledBefore: number; limit: number }): Promise<OutboxRetentionResult> {
    const emailTokens = (await this.run('emailDeleteExpiredTokens', [input.now, input.limit])).rowCount ?? 0;
    const mails = (await this.run('emailDeleteSettledMails', [input.settledBefore, input.limit])).rowCount ?? 0;
    const webhookDeliveries =
      (await this.run('emailDeleteSettledDeliveries', [input.settledBefore, input.limit])).rowCount ?? 0;
    return { emailTokens, mails, webhookDeliveries };
  }

  /** Inside the caller's transaction (a question's publication). */
  async writeMail(client: pg.PoolClient, mail: NewMail): Promise<void> {
    await query(client)('emailInsertMailIfWanted', [mail.userId, mail.kind, mail.auctionId, mail.data, mail.createdAt]);
  }

  private run(name: EmailStatement, values: unknown[]): Promise<pg.QueryResult<Row>> {
    return runStatement(this.pool, this.retry, name, emailSql[name], values);
  }
}

function query(client: pg.PoolClient) {
  return (name: EmailStatement, values: unknown[]) => client.query<Row>({ name, text: emailSql[name], values });
}
