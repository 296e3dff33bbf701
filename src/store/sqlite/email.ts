import type Database from 'better-sqlite3';
import { type Row, toClaimedMail, toUser } from '../rows.ts';
import { skipReason } from '../mail-rules.ts';
import type {
  ClaimedMail,
  EmailTokenRecord,
  MailOutcome,
  NewMail,
  OutboxRetentionResult,
  UserRecord,
} from '../store.ts';

/** How many due rows one claim looks at per mail it may hand out (the others wait for the next claim). */
const CLAIM_SCAN_FACTOR = 4;

/**
 * Email on SQLite (migration 012): addresses, one-time tokens, settings and the mail outbox. Notification
 * mails are queued by the trigger `user_events_mail`; everything else here. Writes run on the writer thread.
 */
export const emailSql = {
  insertToken: `INSERT INTO email_tokens (token_hash, purpose, user_id, email, created_at, expires_at)
    VALUES (@tokenHash, @purpose, @userId, @email, @createdAt, @expiresAt)`,
  insertMail: `INSERT INTO mail_outbox (id, user_id, kind, auction_id, to_address, data, created_at, next_attempt_at)
    VALUES (lower(hex(randomblob(16))), @userId, @kind, @auctionId, @toAddress, @data, @createdAt, @createdAt)`,
  /** A notification mail (a published question) only to a verified address, and only if the kind is on. */
  insertMailIfWanted: `INSERT INTO mail_outbox (id, user_id, kind, auction_id, to_address, data, created_at, next_attempt_at)
    SELECT lower(hex(randomblob(16))), u.id, @kind, @auctionId, NULL, @data, @createdAt, @createdAt
    FROM users u WHERE u.id = @userId AND u.email IS NOT NULL AND instr(u.mail_off, '"' || @kind || '"') = 0`,
  findToken: 'SELECT * FROM email_tokens WHERE token_hash = ?',
  useToken: 'UPDATE email_tokens SET used_at = @now WHERE token_hash = @tokenHash AND used_at IS NULL',
  emailOwner: 'SELECT id FROM users WHERE email = ?',
  setEmail: 'UPDATE users SET email = @email, mail_key = coalesce(mail_key, @mailKey) WHERE id = @userId',
  findUser: 'SELECT * FROM users WHERE id = ?',
  findUserByEmail: 'SELECT * FROM users WHERE email = ?',
  setPassword: 'UPDATE users SET password_hash = @passwordHash WHERE id = @userId',
  endSessions: 'DELETE FROM sessions WHERE user_id = ?',
  setMailOff: 'UPDATE users SET mail_off = @off WHERE id = @userId',
  dueMails: `SELECT m.seq, m.kind, m.user_id, m.auction_id, m.to_address, u.email, u.mail_off
    FROM mail_outbox m LEFT JOIN users u ON u.id = m.user_id
    WHERE m.status = 'pending' AND m.next_attempt_at <= @now
    ORDER BY m.next_attempt_at, m.seq LIMIT @scan`,
  /** An outbid mail of the pair sent within the window, or being sent now (leased). */
  recentOutbid: `SELECT 1 FROM mail_outbox WHERE user_id = @userId AND auction_id = @auctionId AND kind = 'outbid'
      AND seq <> @seq AND ((status = 'sent' AND sent_at > @since) OR (status = 'pending' AND lease_until > @now))
    LIMIT 1`,
  skipMail: `UPDATE mail_outbox SET status = 'skipped', last_error = @reason, next_attempt_at = NULL, data = NULL
    WHERE seq = @seq`,
  claimMail: `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = @leaseUntil, lease_until = @leaseUntil
    WHERE seq = @seq`,
  claimedMail: `SELECT m.*, coalesce(m.to_address, u.email) AS "to", u.display_name, u.mail_key
    FROM mail_outbox m JOIN users u ON u.id = m.user_id WHERE m.seq = ?`,
  settleSent: `UPDATE mail_outbox SET status = 'sent', sent_at = @at, last_error = NULL, next_attempt_at = NULL,
      data = CASE WHEN to_address IS NULL THEN data END
    WHERE id = @id AND status = 'pending' AND lease_until = @leaseUntil`,
  settleRetry: `UPDATE mail_outbox SET last_error = @error, next_attempt_at = @nextAttemptAt
    WHERE id = @id AND status = 'pending' AND lease_until = @leaseUntil`,
  settleFailed: `UPDATE mail_outbox SET status = 'failed', last_error = @error, next_attempt_at = NULL
    WHERE id = @id AND status = 'pending' AND lease_until = @leaseUntil`,
  deleteExpiredTokens: `DELETE FROM email_tokens WHERE token_hash IN
    (SELECT token_hash FROM email_tokens WHERE expires_at <= @now ORDER BY expires_at LIMIT @limit)`,
  deleteSettledMails: `DELETE FROM mail_outbox WHERE seq IN
    (SELECT seq FROM mail_outbox WHERE created_at < @before AND status <> 'pending' ORDER BY seq LIMIT @limit)`,
  deleteSettledDeliveries: `DELETE FROM webhook_deliveries WHERE seq IN
    (SELECT seq FROM webhook_deliveries WHERE created_at < @before AND status <> 'pending' ORDER BY seq LIMIT @limit)`,
} as const;

type Statements = { [K in keyof typeof emailSql]: Database.Statement };

export class SqliteEmailWriter {
  private readonly s: Statements;
  readonly insertToken: (token: EmailTokenRecord, mail: NewMail) => void;
  readonly verifyEmail: (
    tokenHash: string,
    now: number,
    mailKey: string,
  ) => { outcome: 'verified'; user: UserRecord } | { outcome: 'invalid' | 'taken' };
  readonly resetPassword: (
    tokenHash: string,
    passwordHash: string,
    now: number,
  ) => { outcome: 'reset'; userId: string } | { outcome: 'invalid' };
  readonly setMailOff: (userId: string, off: readonly string[]) => boolean;
  readonly claim: (now: number, leaseUntil: number, limit: number, outbidWindowMs: number) => ClaimedMail[];
  readonly settle: (outcomes: readonly MailOutcome[]) => void;
  readonly deleteSettled: (input: { now: number; settledBefore: number; limit: number }) => OutboxRetentionResult;

  constructor(db: Database.Database) {
    this.s = Object.fromEntries(Object.entries(emailSql).map(([name, text]) => [name, db.prepare(text)])) as Statements;
    const s = this.s;
    this.insertToken = db.transaction((token: EmailTokenRecord, mail: NewMail) => {
      s.insertToken.run(token);
      s.insertMail.run(mail);
    });
    /** A usable token of this purpose (and marks it used), or null. */
    const take = (tokenHash: string, purpose: EmailTokenRecord['purpose'], now: number) => {
      const row = s.findToken.get(tokenHash) as Row | undefined;
      if (!row || row.purpose !== purpose || row.used_at !== null || (row.expires_at as number) <= now) return null;
      s.useToken.run({ tokenHash, now });
      return row;
    };
    const verify = db.transaction((tokenHash: string, now: number, mailKey: string) => {
      const row = take(tokenHash, 'verify_email', now);
      if (!row) return { outcome: 'invalid' as const };
      const owner = s.emailOwner.get(row.email) as { id: string } | undefined;
      if (owner && owner.id !== row.user_id) return { outcome: 'taken' as const };
      s.setEmail.run({ email: row.email, mailKey, userId: row.user_id });
      return { outcome: 'verified' as const, user: toUser(s.findUser.get(row.user_id) as Row) };
    });
    this.verifyEmail = (...args) => verify.immediate(...args);
    const reset = db.transaction((tokenHash: string, passwordHash: string, now: number) => {
      const row = take(tokenHash, 'reset_password', now);
      if (!row) return { outcome: 'invalid' as const };
      s.setPassword.run({ passwordHash, userId: row.user_id });
      s.endSessions.run(row.user_id);
      return { outcome: 'reset' as const, userId: row.user_id as string };
    });
    this.resetPassword = (...args) => reset.immediate(...args);
    this.setMailOff = (userId, off) => s.setMailOff.run({ userId, off: JSON.stringify(off) }).changes === 1;
    const claim = db.transaction((now: number, leaseUntil: number, limit: number, outbidWindowMs: number) => {
      const due = s.dueMails.all({ now, scan: limit * CLAIM_SCAN_FACTOR + 16 }) as (Row & {
        seq: number;
        kind: string;
        user_id: string;
        auction_id: string | null;
        to_address: string | null;
        email: string | null;
        mail_off: string | null;
      })[];
      const claimed: ClaimedMail[] = [];
      for (const row of due) {
        if (claimed.length >= limit) break;
        const reason = skipReason(
          { ...row, mail_off: row.mail_off === null ? [] : (JSON.parse(row.mail_off) as string[]) },
          () =>
            s.recentOutbid.get({
              userId: row.user_id,
              auctionId: row.auction_id,
              seq: row.seq,
              since: now - outbidWindowMs,
              now,
            }) !== undefined,
        );
        if (reason !== null) {
          s.skipMail.run({ seq: row.seq, reason });
          continue;
        }
        s.claimMail.run({ seq: row.seq, leaseUntil });
        claimed.push(toClaimedMail(s.claimedMail.get(row.seq) as Row));
      }
      return claimed;
    });
    this.claim = (...args) => claim.immediate(...args);
    this.deleteSettled = db.transaction((input: { now: number; settledBefore: number; limit: number }) =>
      this.deleteSettledOnce(input),
    );
    this.settle = db.transaction((outcomes: readonly MailOutcome[]) => {
      for (const o of outcomes) {
        if (o.outcome === 'sent') s.settleSent.run({ id: o.id, leaseUntil: o.leaseUntil, at: o.at });
        else if (o.outcome === 'retry')
          s.settleRetry.run({ id: o.id, leaseUntil: o.leaseUntil, error: o.error, nextAttemptAt: o.nextAttemptAt });
        else s.settleFailed.run({ id: o.id, leaseUntil: o.leaseUntil, error: o.error });
      }
    });
  }

  /** Retention (Store.deleteSettledOutbox): the webhook outbox's settled rows too, one transaction. */
  private deleteSettledOnce(input: { now: number; settledBefore: number; limit: number }): OutboxRetentionResult {
    const { now, settledBefore: before, limit } = input;
    return {
      emailTokens: this.s.deleteExpiredTokens.run({ now, limit }).changes,
      mails: this.s.deleteSettledMails.run({ before, limit }).changes,
      webhookDeliveries: this.s.deleteSettledDeliveries.run({ before, limit }).changes,
    };
  }

  /** Inside the caller's transaction (a question's publication): queued only if the user wants it. */
  writeMail(mail: NewMail): void {
    this.s.insertMailIfWanted.run(mail);
  }
}

/** The reads, on the store's own connection. */
export class SqliteEmailReader {
  private readonly findByEmail: Database.Statement;

  constructor(db: Database.Database) {
    this.findByEmail = db.prepare(emailSql.findUserByEmail);
  }

  findUserByEmail(email: string): UserRecord | null {
    const row = this.findByEmail.get(email) as Row | undefined;
    return row ? toUser(row) : null;
  }
}
