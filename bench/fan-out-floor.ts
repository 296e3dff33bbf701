/**
 * fan-out floor: a bare broadcaster with no auction logic (`node:http` for SSE, a bare `ws` WebSocketServer
 * for the live room), the yardstick the fan-out benchmark measures the real server against (`floorP99Ms`,
 * `ratioToFloor`). Started by bench/fan-out.ts in its own process, driven by the same subscriber processes
 * and the same paced bidders, on the same paths as the real server so that the measuring code is identical:
 *
 *   GET  /api/v1/auctions/:id/events  SSE headers, `retry: 1000`, a snapshot of the current state, then
 *                                     every broadcast state as `id: <version>\nevent: bid\ndata: …\n\n`
 *   GET  /api/v1/auctions/:id/live    WebSocket upgrade (no permessage-deflate): the live room's first
 *                                     message `{"type":"snapshot","auction","chat":[],"participants":0}`,
 *                                     then every broadcast state as `{"type":"bid","bid","auction"}`, one
 *                                     text frame built once per state (header and payload in one Buffer)
 *                                     and written as it is to every client's socket
 *   POST /api/v1/auctions/:id/bids    `{ "amount": n }`: version + 1, the new state serialized once (the
 *                                     201 body, also the event's data), 201. No auth, no storage, no
 *                                     rules (never a 409: every bid is a new state to broadcast).
 *   GET  /api/v1/auctions/:id         `{ "auction": { "version", "currentPrice" } }`
 *   GET  /readyz                      200
 *   GET  /stats                       write loops since the last /stats: count, sockets written, ms (sum, max)
 *
 * The state is the real server's first bid answer (FANOUT_FLOOR_TEMPLATE, ~1.2 KB of JSON), with the
 * version, price and bid fields changed per state, so frames are the size of the real ones.
 *
 * Broadcast: a new state is written once to every socket (SSE and WebSocket alike, each in its own
 * framing, each frame made at most once per state), in one loop, after the event loop has handled the I/O
 * at hand (setImmediate): states that arrive while a loop runs are merged into the next one (both contracts
 * allow merging consecutive states under load; the newest always goes out). A socket whose write returned
 * false is skipped until 'drain', then gets the newest state. Nothing is ever queued per socket beyond that
 * one write, and slow sockets are never closed.
 *
 * Environment: FANOUT_FLOOR_PORT (required), FANOUT_FLOOR_TEMPLATE (required, JSON `{ bid, auction }`).
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';

interface Template {
  bid: Record<string, unknown> & { amount: number; auctionVersion: number };
  auction: Record<string, unknown> & {
    version: number;
    currentPrice: number | null;
    bidCount: number;
    minNextBid: number;
    highestBid: Record<string, unknown> | null;
    serverTime: string;
  };
}

interface Watcher {
  /** Writes one frame in the watcher's framing; false when the socket is full. */
  write(frame: string | Buffer): boolean;
  /** The current state's frame in the watcher's framing. */
  frame(): string | Buffer;
  destroy(): void;
  /** Highest version written to this socket. */
  sent: number;
  congested: boolean;
}

const port = Number(process.env.FANOUT_FLOOR_PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('FANOUT_FLOOR_PORT is not set');
const template = JSON.parse(process.env.FANOUT_FLOOR_TEMPLATE ?? 'null') as Template | null;
if (!template?.auction || !template.bid) throw new Error('FANOUT_FLOOR_TEMPLATE is not a bid answer');

let version = template.auction.version;
let price = template.auction.currentPrice ?? 0;
let auction: Template['auction'] = template.auction;
let data = JSON.stringify(template);
let frame = `id: ${version}\nevent: bid\ndata: ${data}\n\n`;
/** The current state as one WebSocket frame, made on first use (none for a run with SSE watchers only). */
let roomFrame: Buffer | null = null;
let broadcastScheduled = false;
const watchers = new Set<Watcher>();
const stats = { loops: 0, writes: 0, loopMs: 0, maxLoopMs: 0 };

/** The next state, serialized once: the 201 body and the event's data. */
function nextState(amount: number): string {
  version += 1;
  price = amount;
  const at = new Date().toISOString();
  const bid = { ...template!.bid, amount, auctionVersion: version, createdAt: at };
  auction = {
    ...template!.auction,
    version,
    currentPrice: amount,
    bidCount: version - 1,
    minNextBid: amount + 1,
    highestBid: { ...template!.auction.highestBid, amount, createdAt: at },
    serverTime: at,
  };
  data = JSON.stringify({ bid, auction });
  frame = `id: ${version}\nevent: bid\ndata: ${data}\n\n`;
  roomFrame = null;
  if (!broadcastScheduled) {
    broadcastScheduled = true;
    setImmediate(broadcast);
  }
  return data;
}

function write(watcher: Watcher): void {
  watcher.sent = version;
  if (!watcher.write(watcher.frame())) watcher.congested = true;
}

/** One unmasked, unfragmented WebSocket text frame (RFC 6455 §5.2): a server's frame, header and payload. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const bytes = Buffer.allocUnsafe(headerLength + n);
  bytes[0] = 0x81; // FIN, opcode 1 (text)
  if (n < 126) bytes[1] = n;
  else if (n < 65_536) {
    bytes[1] = 126;
    bytes.writeUInt16BE(n, 2);
  } else {
    bytes[1] = 127;
    bytes.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(bytes, headerLength);
  return bytes;
}

/** The current state as the live room sends it: `{"type":"bid",…}` spliced from the state's JSON. */
function currentRoomFrame(): Buffer {
  return (roomFrame ??= textFrame(`{"type":"bid",${data.slice(1)}`));
}

function broadcast(): void {
  broadcastScheduled = false;
  const started = performance.now();
  let writes = 0;
  for (const watcher of watchers) {
    if (watcher.congested || watcher.sent >= version) continue;
    write(watcher);
    writes++;
  }
  // node:http corks each response and writes it out on process.nextTick: a tick queued now runs after all
  // of those, so the loop is timed with its system calls.
  process.nextTick(() => {
    const ms = performance.now() - started;
    stats.loops++;
    stats.writes += writes;
    stats.loopMs += ms;
    stats.maxLoopMs = Math.max(stats.maxLoopMs, ms);
  });
}

function watch(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
  });
  res.write('retry: 1000\n\n');
  const watcher: Watcher = {
    write: (chunk) => res.write(chunk),
    frame: () => frame,
    destroy: () => res.destroy(),
    sent: version,
    congested: false,
  };
  if (!res.write(`id: ${version}\nevent: snapshot\ndata: ${JSON.stringify({ auction: template!.auction })}\n\n`))
    watcher.congested = true;
  watchers.add(watcher);
  res.on('drain', () => {
    watcher.congested = false;
    if (watcher.sent < version) write(watcher);
  });
  res.on('close', () => watchers.delete(watcher));
}

/**
 * A live-room client: its socket is written to directly (the frames are prebuilt; ws itself only answers
 * pings and the close handshake, each a whole frame written at once, so frames never interleave).
 */
function watchRoom(socket: Socket): void {
  const watcher: Watcher = {
    write: (chunk) => socket.write(chunk),
    frame: currentRoomFrame,
    destroy: () => socket.destroy(),
    sent: version,
    congested: false,
  };
  const snapshot = JSON.stringify({ type: 'snapshot', auction, chat: [], participants: 0 });
  if (!socket.write(textFrame(snapshot))) watcher.congested = true;
  watchers.add(watcher);
  socket.on('drain', () => {
    watcher.congested = false;
    if (watcher.sent < version) write(watcher);
  });
  socket.on('close', () => watchers.delete(watcher));
}

function bid(req: IncomingMessage, res: ServerResponse): void {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    let amount = NaN;
    try {
      amount = Number((JSON.parse(body) as { amount?: unknown }).amount);
    } catch {
      // answered 400 below
    }
    if (!Number.isFinite(amount)) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"amount"}');
      return;
    }
    const answer = nextState(Math.max(amount, price + 1));
    res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' }).end(answer);
  });
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0]!;
  if (req.method === 'GET' && path.endsWith('/events')) return watch(res);
  if (req.method === 'POST' && path.endsWith('/bids')) return bid(req, res);
  if (req.method === 'GET' && path.startsWith('/api/v1/auctions/')) {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ auction: { version, currentPrice: price, minNextBid: price + 1 } }));
    return;
  }
  if (req.method === 'GET' && path === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    Object.assign(stats, { loops: 0, writes: 0, loopMs: 0, maxLoopMs: 0 });
    return;
  }
  if (req.method === 'GET' && path === '/readyz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  res.writeHead(404).end();
});
const rooms = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
  if (!(req.url ?? '/').split('?')[0]!.endsWith('/live')) return socket.destroy();
  rooms.handleUpgrade(req, socket, head, () => watchRoom(socket));
});
// The bidders' keep-alive sockets stay open between phases (as on the real server, whose timeout is 72 s).
server.keepAliveTimeout = 120_000;
server.listen({ port, host: '127.0.0.1', backlog: 4096 });
process.on('SIGTERM', () => {
  for (const watcher of watchers) watcher.destroy();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
