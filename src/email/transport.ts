import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

/** One message, as the dispatcher renders it. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The same on every attempt: a receiving server (or client) can drop a repeat. */
  messageId: string;
  headers: Record<string, string>;
}

/** Where mail goes: an SMTP server, or files. `send` resolves once the message is accepted. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * SMTP with nodemailer (`GAVEL_SMTP_URL`: `smtp://user:pass@host:port`, `smtps://` for TLS). One connection
 * at a time, reused; nodemailer's own timeouts are shortened so that a server that hangs fails the attempt
 * (retried later) instead of holding the sender.
 */
export function smtpTransport(url: string): MailTransport {
  const parsed = new URL(url);
  const transporter = nodemailer.createTransport({
    host: parsed.hostname,
    port: parsed.port === '' ? (parsed.protocol === 'smtps:' ? 465 : 587) : Number(parsed.port),
    secure: parsed.protocol === 'smtps:',
    auth:
      parsed.username === ''
        ? undefined
        : { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(mail) {
      await transporter.sendMail({ ...mail, messageId: mail.messageId });
    },
    close() {
      transporter.close();
    },
  };
}

/**
 * No SMTP server (a laptop): each message is written as an `.eml` file under `dir` (nodemailer builds the
 * same MIME message it would send), and the log says where.
 */
export function fileTransport(dir: string, logger: Logger): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transporter.sendMail({ ...mail, messageId: mail.messageId });
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${mail.messageId.replace(/[<>]/g, '').replace(/[^\w.@-]/g, '_')}.eml`);
      writeFileSync(file, info.message as Buffer);
      logger.info({ file, to: mail.to, subject: mail.subject }, 'mail written (no GAVEL_SMTP_URL)');
    },
    close() {},
  };
}
