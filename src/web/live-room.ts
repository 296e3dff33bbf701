/**
 * The auction's live room over one WebSocket: the auction's events in version order, chat, presence and,
 * for a bidder, their standing. It stays up by itself: after a drop it reconnects with backoff and resumes
 * after the last version it saw (`?lastVersion=`), so nothing is missed and nothing shows twice; the
 * server sends a full snapshot instead when that history is gone.
 */
import type { Auction, Bid, Question } from './api.ts';

export type LiveState = 'connecting' | 'live' | 'reconnecting';
export type LiveStanding = 'leading' | 'outbid' | 'won' | 'lost';

export interface ChatMessage {
  id: string;
  userId: string;
  displayName: string;
  text: string;
  sentAt: string;
}

export interface LiveRoomHandlers {
  /** A snapshot (first connection, or resume impossible): the whole state again. */
  onSnapshot(auction: Auction, chat: ChatMessage[], participants: number): void;
  /** A resumed connection: the chat so far; the events missed follow. */
  onResumed(chat: ChatMessage[], participants: number): void;
  /** bid, closed, cancelled, extended, settlement, item_updated. */
  onEvent(type: string, auction: Auction, bid: Bid | null): void;
  onChat(message: ChatMessage): void;
  onPresence(participants: number): void;
  onStanding(standing: LiveStanding): void;
  onQuestion(question: Question): void;
  /** A refusal of something this page sent (chat), with the server's explanation. */
  onError(code: string, detail: string): void;
  onState(state: LiveState): void;
  /** The server ended this socket's session: the page should find out who is signed in. */
  onSignedOut?(): void;
}

export class LiveRoom {
  private socket: WebSocket | null = null;
  private lastVersion: number | null = null;
  private retryMs = 1000;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly auctionId: string,
    private readonly handlers: LiveRoomHandlers,
  ) {
    this.open();
  }

  /** Sends a chat message; false when the room is not connected (nothing was sent). */
  chat(text: string): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify({ type: 'chat', text }));
    return true;
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000);
  }

  private open(): void {
    if (this.closed) return;
    this.handlers.onState(this.lastVersion === null ? 'connecting' : 'reconnecting');
    const url = new URL(`/api/v1/auctions/${encodeURIComponent(this.auctionId)}/live`, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.lastVersion !== null) url.searchParams.set('lastVersion', String(this.lastVersion));
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(String(event.data)) as Record<string, unknown>;
      } catch {
        return;
      }
      this.dispatch(message);
    };
    socket.onclose = () => {
      if (this.socket !== socket || this.closed) return;
      this.socket = null;
      this.handlers.onState('reconnecting');
      this.retryTimer = setTimeout(() => this.open(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 15_000);
    };
  }

  private dispatch(message: Record<string, unknown>): void {
    const h = this.handlers;
    switch (message.type) {
      case 'snapshot': {
        const auction = message.auction as Auction;
        this.seen(auction);
        this.connected();
        h.onSnapshot(auction, message.chat as ChatMessage[], message.participants as number);
        return;
      }
      case 'resumed':
        this.connected();
        h.onResumed(message.chat as ChatMessage[], message.participants as number);
        return;
      case 'bid':
      case 'closed':
      case 'cancelled':
      case 'extended':
      case 'settlement':
      case 'item_updated': {
        const auction = message.auction as Auction;
        this.seen(auction);
        h.onEvent(message.type, auction, (message.bid as Bid | undefined) ?? null);
        return;
      }
      case 'chat':
        return h.onChat(message.message as ChatMessage);
      case 'presence':
        return h.onPresence(message.participants as number);
      case 'standing':
        return h.onStanding(message.standing as LiveStanding);
      case 'question':
        return h.onQuestion(message.question as Question);
      case 'error':
        return h.onError(String(message.code), String(message.detail ?? ''));
      case 'signed_out':
        return h.onSignedOut?.();
    }
  }

  private connected(): void {
    this.retryMs = 1000;
    this.handlers.onState('live');
  }

  private seen(auction: Auction): void {
    if (this.lastVersion === null || auction.version > this.lastVersion) this.lastVersion = auction.version;
  }
}
