import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { type ErrorCode, errorCatalogue } from '../../error-catalogue.ts';
import { problemDocument } from '../problem.ts';
import { addressKey } from './client-address.ts';

/**
 * Caps the TCP connections one peer address may hold open at once. Without it,
 * two clients holding ten thousand sockets each exhausted the process's file
 * descriptors and nothing answered any more, `/healthz` included. A connection
 * over the cap is closed as soon as it is accepted, before any byte is read.
 * Peers that are trusted proxies are exempt (they carry many clients); the
 * proxy must then cap its own clients.
 */
export function capConnectionsPerAddress(
  server: Server,
  options: { max: number; isTrustedProxy: (address: string) => boolean; onRefused?: (address: string) => void },
): { openFrom(address: string): number } {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const remote = socket.remoteAddress;
    if (remote === undefined || options.isTrustedProxy(remote)) return;
    const address = addressKey(remote);
    const count = open.get(address) ?? 0;
    if (count >= options.max) {
      options.onRefused?.(address);
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
  return { openFrom: (address) => open.get(address) ?? 0 };
}

/**
 * Node's `clientError`: what the HTTP parser or its timers refuse before a
 * request reaches fastify (headers not complete within 10 s, a body not
 * complete within 30 s, malformed framing such as a Content-Length that does
 * not match). Answered, where the socket can still take it, with the same
 * problem documents as everything else, then the socket is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'REQUEST_TIMEOUT'
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 'HEADERS_TOO_LARGE'
        : 'VALIDATION_FAILED';
  const detail =
    code === 'REQUEST_TIMEOUT'
      ? 'The request headers (10 s) or body (30 s) did not arrive in time'
      : code === 'HEADERS_TOO_LARGE'
        ? 'The request headers are too large'
        : 'The request is not valid HTTP';
  if (socket.writable) {
    const { status, title } = errorCatalogue[code];
    const body = JSON.stringify(problemDocument(code, detail));
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  // Without the error: destroy(error) would emit it again, and building its stack trace for each of
  // hundreds of connections cut in one sweep stalled the event loop.
  socket.destroy();
}
