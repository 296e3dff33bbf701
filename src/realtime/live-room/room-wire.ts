import type { WebSocket } from 'ws';
import type { FeedEvent } from '../fanout/protocol.ts';
import { SERVICE_RESTART_CLOSE, type StreamEnd } from '../stream-end.ts';

/**
 * The live room on the wire, shared by the sockets the main process serves (http/routes/live.ts,
 * stream-watcher.ts) and those a fan-out worker serves (fanout-worker.ts): how an event is framed, the size
 * limits, and how a socket is closed.
 */

/** A client frame larger than this closes the socket (1009): no message of the protocol comes near it. */
export const LIVE_MAX_FRAME_BYTES = 16 * 1024;
/** Room messages (chat, presence) to a socket this far behind are skipped rather than queued. */
export const ROOM_MESSAGE_CAP_BYTES = 1024 * 1024;
/** How long a closed socket's client has to answer the close before the connection is cut, ms. */
const CLOSE_GRACE_MS = 2_000;

/**
 * The live room's message for a stored event: `{ "type": "bid", "bid", "auction" }` and the like. The
 * event's data is already an object's JSON (`{"bid":…,"auction":…}`), so the type is spliced in front of its
 * fields rather than parsed and serialized again.
 */
export function roomFrame(event: FeedEvent): string {
  const fields = event.data.length > 2 ? `,${event.data.slice(1)}` : '}';
  return `{"type":${JSON.stringify(event.type)}${fields}`;
}

/**
 * A complete WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked as every server frame is) around
 * `payload`. Identical for every socket, so it is built once per event and written to each socket's TCP
 * stream as it is: the per-socket cost is one write, not a framing and an encoding.
 */
export function webSocketTextFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (length < 126) frame[1] = length;
  else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/** One event as a room socket gets it: a complete WebSocket text frame, the same bytes for every socket. */
export const roomEventFrame = (event: FeedEvent): Buffer => webSocketTextFrame(Buffer.from(roomFrame(event)));

/**
 * Closes a live-room socket: 1012 (service restart) when this node shuts down, else 1001 (going away: the
 * auction is gone, or its stream failed); either way the client reconnects and resumes (stream-end.ts).
 * A client that has stopped reading never answers the close, and ws would wait 30 s for it, holding up a
 * shutdown: it is cut after a short grace.
 */
export function closeRoomSocket(socket: WebSocket, end: StreamEnd): void {
  if (end === 'shutdown') socket.close(SERVICE_RESTART_CLOSE.code, SERVICE_RESTART_CLOSE.reason);
  else socket.close(1001, 'going away');
  setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
}
