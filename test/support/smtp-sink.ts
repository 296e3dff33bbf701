import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { pollUntil } from './poll.ts';

export interface ReceivedMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Header values by lower-case name (the first of each). */
  headers: Record<string, string>;
  raw: string;
}

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 that parses and records every message it
 * accepts (with `mailparser`). `refusing`: it answers 451 (try again later) to every message instead.
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  refusing = false;
  refused = 0;

  private constructor(private readonly server: SMTPServer) {}

  static async start(): Promise<SmtpSink> {
    // The server's callbacks need the sink, which needs the server: it is filled in just below.
    const holder: { sink?: SmtpSink } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const sink = holder.sink!;
          if (sink.refusing) {
            sink.refused++;
            const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
            return callback(error);
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed: ParsedMail) => {
              const headers: Record<string, string> = {};
              for (const line of parsed.headerLines) {
                const value = line.line.slice(line.line.indexOf(':') + 1).trim();
                headers[line.key] ??= value;
              }
              sink.mails.push({
                to: Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? ''),
                from: parsed.from?.text ?? '',
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                messageId: parsed.messageId ?? '',
                headers,
                raw,
              });
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    const sink = new SmtpSink(server);
    holder.sink = sink;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The mails to one address (lower-case), in arrival order. */
  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.toLowerCase().includes(address.toLowerCase()));
  }

  async waitFor(predicate: (sink: this) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    await pollUntil(() => this, predicate, `SMTP sink: ${what}`, {
      timeoutMs,
      describe: (sink) => JSON.stringify(sink.mails.map((m) => [m.to, m.subject])),
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
