import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pollUntil } from './poll.ts';

/** The parts of a delivery's `data` the tests read (the wire, loosely typed on purpose). */
export interface WebhookData {
  auction: { id: string; version: number; status: string; [key: string]: unknown };
  bid: { id: string; amount: number; kind: string; [key: string]: unknown };
  settlement: Record<string, unknown>;
  question: { askerId: string; [key: string]: unknown };
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
  json: { id: string; type: string; createdAt: string; data: WebhookData };
  /** What the receiver answered (0: it never answered). */
  status: number;
  at: number;
}

/** How to answer one request: a status, or `hang` (never answer; the sender's timeout ends it). */
export type Answer = number | 'hang';

/**
 * A real HTTP server that receives webhook deliveries on 127.0.0.1 and records them. `answer` decides each
 * answer from the request (default 200); `received` lists every request, answered or not, in arrival order.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  answer: (body: ReceivedWebhook['json'], n: number) => Answer = () => 200;
  private readonly hanging = new Set<import('node:http').ServerResponse>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const json = JSON.parse(body) as ReceivedWebhook['json'];
        const answer = receiver.answer(json, receiver.received.length);
        const record: ReceivedWebhook = { headers: request.headers, body, json, status: 0, at: Date.now() };
        receiver.received.push(record);
        if (answer === 'hang') {
          receiver.hanging.add(response);
          response.on('close', () => receiver.hanging.delete(response));
          return;
        }
        record.status = answer;
        response.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** The bodies answered 2xx, in arrival order. */
  delivered(): ReceivedWebhook['json'][] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.json);
  }

  /** Resolves once `predicate` holds for what was received (polled), or rejects after `timeoutMs`. */
  async waitFor(predicate: (r: this) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    await pollUntil(() => this, predicate, `webhook receiver: ${what}`, {
      timeoutMs,
      describe: (r) => JSON.stringify(r.received.map((x) => [x.json.type, x.json.id, x.status])),
    });
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
