import type { Logger } from 'pino';
import type { Bus, BusMessage, Unsubscribe } from '../../bus/index.ts';
import type { Clock } from '../../clock.ts';
import {
  type Auction,
  type AuctionView,
  type LiveStanding,
  auctionView,
  isoTime,
  liveStandingOf,
} from '../../domain/index.ts';
import type { Sequencer } from '../../engine/index.ts';
import { toError } from '../../error-catalogue.ts';
import { newId } from '../../ids.ts';
import { screenText } from '../../moderation/index.ts';
import type { Metrics } from '../../metrics.ts';
import type { ChatMessageRecord, Store } from '../../store/index.ts';
import type { FeedEvent, RoomStart } from '../fanout/protocol.ts';
import type { StreamHub } from '../stream-hub.ts';
import { type StreamSink, deliveryRounds } from '../stream-watcher.ts';
import { RoomPresence } from './room-presence.ts';

/** The bus topic of one room's chat, questions and presence (its auction events keep their own topic). */
export const roomTopic = (auctionId: string) => `room:${auctionId}`;

/** Chat messages in a snapshot (and a `resumed`): the contract's last 50. */
export const CHAT_HISTORY = 50;
/** The contract's chat limit: 5 messages per 10 s per user, on every node together; always on. */
export const CHAT_LIMIT = { messages: 5, windowMs: 10_000 };
export const CHAT_MAX_LENGTH = 500;

/** A signed-in member: who speaks, and the token the room checks again while the socket lives. */
export interface RoomUser {
  id: string;
  displayName: string;
  token: string;
}

/**
 * One socket in a room, as the transport (http/routes/live.ts) gives it. `send` carries the room's own
 * messages (chat, presence, standing, answers) to this socket alone, which a transport far behind may drop:
 * they are not state the client could lose. The auction's events reach it by another way: the sink given
 * to `join` for a socket served here, its fan-out worker for one served there (`joinServed`).
 */
export interface RoomMember {
  user: RoomUser | null;
  send(message: string): void;
}

/** What a room message to the fan-out workers carries besides its text (see `StreamHub.broadcastRoom`). */
type WorkerMessageExtra = { chatId?: string; participants?: number };

export interface ChatMessageView {
  id: string;
  userId: string;
  displayName: string;
  text: string;
  sentAt: string;
}

/** Why a chat message was refused: the contract's codes, each answered as an `error` message. */
export type ChatRefusal =
  | { code: 'UNAUTHENTICATED'; detail: string }
  | { code: 'VALIDATION_FAILED'; detail: string }
  | { code: 'MESSAGE_REFUSED'; detail: string }
  | { code: 'RATE_LIMITED'; detail: string; retryAfterSeconds: number };

export interface LiveRoomsOptions {
  hub: StreamHub;
  bus: Bus;
  store: Store;
  sequencer: Sequencer;
  clock: Clock;
  logger: Logger;
  /** `gavel_live_room_sockets`, `gavel_chat_messages_total`. */
  metrics?: Pick<Metrics, 'liveRoomSockets' | 'chatMessages'>;
  /** This node's id in presence messages (distinct per process). */
  nodeId?: string;
  /** Counts one chat message of a user in the shared counters: the window's count so far, ms until it resets. */
  countChat(userId: string): Promise<{ count: number; resetMs: number }>;
  /** A token's user, or null once its session has ended (the authenticator, with its short cache). */
  userIdForToken(token: string): Promise<string | null>;
  /** How often a node repeats its presence, ms. Default 500. */
  presenceHeartbeatMs?: number;
  /** How long a node's presence is believed without a repeat, ms. Default 1,900 (a dead node's users leave within 2 s). */
  presenceTtlMs?: number;
  /** How often signed-in sockets' sessions are checked, ms. Default 1,000 (with the 4 s cache: anonymous within 5 s). */
  sessionCheckMs?: number;
}

/** Messages on a room's bus topic. */
type RoomBusMessage =
  | { kind: 'chat'; node: string; message: ChatMessageView }
  | { kind: 'question'; node: string; question: unknown }
  | { kind: 'presence'; node: string; users: string[]; ask?: boolean };

class Room {
  readonly members = new Set<RoomMember>();
  /**
   * Members whose first message (`snapshot` or `resumed`) is not out yet, with the chat and questions that
   * came meanwhile. INVARIANT: nothing the room sends reaches a socket before its first message; what is
   * held follows it.
   */
  readonly starting = new Map<RoomMember, { message: string; chatId?: string }[]>();
  /**
   * Members served by a fan-out worker, and whether their first message is out. Their worker holds what
   * comes before it, and gets each message for the whole room once (`toWorkers`), not once per socket.
   */
  readonly served = new Map<RoomMember, boolean>();
  readonly presence: RoomPresence;
  /** Local signed-in users known to have bid here (their standing is told), with the last one told. */
  readonly standings = new Map<string, LiveStanding | null>();
  unsubscribe: Unsubscribe | null = null;
  stopObserving: () => void = () => {};
  closed = false;

  constructor(
    readonly auctionId: string,
    nodeId: string,
    ttlMs: number,
    private readonly toWorkers: (message: string, extra: WorkerMessageExtra) => void,
  ) {
    this.presence = new RoomPresence(nodeId, ttlMs);
  }

  /** Chat (with its id) or a question to every member; held for those whose first message is not out. */
  broadcast(message: string, chatId?: string): void {
    for (const member of this.members) if (!this.served.has(member)) this.sendTo(member, message, chatId);
    if (this.served.size > 0) this.toWorkers(message, chatId === undefined ? {} : { chatId });
  }

  /** One message to one member, or held until its first message is out. */
  sendTo(member: RoomMember, message: string, chatId?: string): void {
    const held = this.starting.get(member);
    if (held) held.push({ message, chatId });
    else member.send(message);
  }

  /** Whether a member's first message is out. */
  private hasStarted(member: RoomMember): boolean {
    return this.served.get(member) ?? !this.starting.has(member);
  }

  /**
   * A user's standing to their sockets whose first message is out. The others need none: their standing
   * is told right after it.
   */
  tell(message: string, userId: string): void {
    for (const member of this.members) if (member.user?.id === userId && this.hasStarted(member)) member.send(message);
  }

  /**
   * The participant count to the members whose first message is out. The others need none: their first
   * message carries the count, and it is sent again after it if it has changed since.
   */
  tellParticipants(): void {
    const message = `{"type":"presence","participants":${this.presence.count}}`;
    for (const member of this.members) if (!this.served.has(member) && !this.starting.has(member)) member.send(message);
    if (this.served.size > 0) this.toWorkers(message, { participants: this.presence.count });
  }

  /**
   * A member's first message is out, listing the chat `listed` and `participants`: what was held for it
   * follows (less the chat already listed), and the count again if it has changed since.
   */
  started(member: RoomMember, listed: ReadonlySet<string>, participants: number): void {
    const held = this.starting.get(member) ?? [];
    this.starting.delete(member);
    for (const { message, chatId } of held) if (chatId === undefined || !listed.has(chatId)) member.send(message);
    if (this.presence.count !== participants) member.send(`{"type":"presence","participants":${this.presence.count}}`);
  }
}

/**
 * The live rooms on one node: who is in which auction's room, their chat, their presence over every node,
 * and the standings of the bidders among them. The auction's events reach the sockets through the stream
 * hub (shared with SSE: one subscription and one serialization per event, version order, merging under
 * load, resume); this class adds what is particular to the room.
 *
 * Across nodes, everything travels on the room's bus topic: chat and questions once, presence as each
 * node's set of signed-in users, repeated every `presenceHeartbeatMs` and forgotten `presenceTtlMs` after
 * the last repeat (so a node that dies takes its users with it). The participant count is the number of
 * distinct users over all nodes.
 */
export class LiveRooms {
  private readonly rooms = new Map<string, Room>();
  private readonly nodeId: string;
  private readonly heartbeatTimer: NodeJS.Timeout;
  private readonly sessionTimer: NodeJS.Timeout;
  private readonly ttlMs: number;
  private checkingSessions = false;
  /** Each member's chat in progress: its next message waits for it (see `say`). */
  private readonly speaking = new WeakMap<RoomMember, Promise<unknown>>();

  constructor(private readonly o: LiveRoomsOptions) {
    this.nodeId = o.nodeId ?? newId();
    this.ttlMs = o.presenceTtlMs ?? 1_900;
    this.heartbeatTimer = setInterval(() => this.heartbeat(), o.presenceHeartbeatMs ?? 500);
    this.heartbeatTimer.unref();
    this.sessionTimer = setInterval(() => void this.checkSessions(), o.sessionCheckMs ?? 1_000);
    this.sessionTimer.unref();
  }

  /** Members on this node, over all rooms. */
  get memberCount(): number {
    let n = 0;
    for (const room of this.rooms.values()) n += room.members.size;
    return n;
  }

  /**
   * Puts a socket served here in the room of an auction (the caller checked it exists); `memberSink` gets
   * the auction's events: first a `snapshot` (or `resumed` and the events after `lastVersion`), then the
   * live events, chat, presence and, for a bidder, their standing. Returns its departure, to call once when
   * the socket closes.
   */
  join(member: RoomMember, memberSink: StreamSink, auctionId: string, lastVersion: number | null): () => void {
    const room = this.roomOf(auctionId);
    room.starting.set(member, []);
    this.enter(room, member);
    let started = false;
    /** What the first message lists: chat ids (held chat among them is not sent again) and the count. */
    let listed: ReadonlySet<string> = new Set();
    let participants = 0;
    const sink: StreamSink = {
      ...memberSink,
      write: (frame) => {
        const written = memberSink.write(frame);
        if (!started) {
          // The first frame (snapshot or resumed) is out: what the room held follows it, then the standing.
          started = true;
          room.started(member, listed, participants);
          if (member.user !== null) void this.tellStanding(room, member.user.id, member);
        }
        return written;
      },
    };
    const first = this.firstMessages(auctionId);
    const detach = this.o.hub.attachRoom(sink, auctionId, lastVersion, {
      snapshot: async (state) => {
        const start = await first.snapshot(state);
        listed = new Set(start.listed);
        participants = start.participants;
        return start.text;
      },
      resumed: async () => {
        const start = await first.resumed();
        listed = new Set(start.listed);
        participants = start.participants;
        return start.text;
      },
    });
    let left = false;
    return () => {
      if (left) return;
      left = true;
      detach();
      this.leave(room, member);
    };
  }

  /**
   * Puts a socket served by a fan-out worker in the room of an auction (`StreamHub.adoptRoom`, which the
   * caller has given `firstMessages`): the worker writes its first message, the auction's events and what
   * the room sends to all; this side keeps its user in the presence, sends it its own messages
   * (`member.send`), and tells its standing once `started` (the worker says when).
   */
  joinServed(member: RoomMember, auctionId: string): { started(): void; leave(): void } {
    const room = this.roomOf(auctionId);
    room.served.set(member, false);
    this.enter(room, member);
    let left = false;
    return {
      started: () => {
        if (left) return;
        room.served.set(member, true);
        if (member.user !== null) void this.tellStanding(room, member.user.id, member);
      },
      leave: () => {
        if (left) return;
        left = true;
        this.leave(room, member);
      },
    };
  }

  /** A room socket's first message: `snapshot` (with the auction) or `resumed`, with the last chat and the count. */
  firstMessages(auctionId: string): { snapshot(state: Auction): Promise<RoomStart>; resumed(): Promise<RoomStart> } {
    const participants = () => this.rooms.get(auctionId)?.presence.count ?? 0;
    return {
      snapshot: async (state) => {
        const chat = await this.recentChat(auctionId);
        const count = participants();
        const auction = JSON.stringify(auctionView(state, this.o.clock.now(), null));
        return {
          version: state.version,
          text: `{"type":"snapshot","auction":${auction},"chat":${chat.json},"participants":${count}}`,
          listed: [...chat.ids],
          participants: count,
        };
      },
      resumed: async () => {
        const chat = await this.recentChat(auctionId);
        const count = participants();
        return {
          version: 0,
          text: `{"type":"resumed","chat":${chat.json},"participants":${count}}`,
          listed: [...chat.ids],
          participants: count,
        };
      },
    };
  }

  private enter(room: Room, member: RoomMember): void {
    room.members.add(member);
    this.o.metrics?.liveRoomSockets.inc();
    if (member.user !== null) this.userArrived(room, member.user.id);
  }

  private leave(room: Room, member: RoomMember): void {
    this.o.metrics?.liveRoomSockets.dec();
    room.members.delete(member);
    room.starting.delete(member);
    room.served.delete(member);
    if (member.user !== null) this.userLeft(room, member.user.id);
    if (room.members.size === 0) this.closeRoom(room);
  }

  /**
   * A chat message from a member: checked (signed in, 1–500 characters, the shared limit, the built-in
   * rules: profanity refused, personal data replaced), stored, then sent to the room on every node.
   *
   * One member's messages are handled one at a time: stored concurrently (a pool of connections), a
   * sender's quick succession would reach the room, and the history, in whichever order the inserts
   * finished.
   */
  say(member: RoomMember, auctionId: string, text: unknown): Promise<ChatRefusal | null> {
    const turn = (this.speaking.get(member) ?? Promise.resolve())
      .then(() => this.sayNow(member, auctionId, text))
      .then((refusal) => {
        this.o.metrics?.chatMessages.inc({ outcome: refusal?.code ?? 'sent' });
        return refusal;
      });
    this.speaking.set(
      member,
      turn.catch(() => {}),
    );
    return turn;
  }

  private async sayNow(member: RoomMember, auctionId: string, text: unknown): Promise<ChatRefusal | null> {
    const user = member.user;
    if (user === null) return { code: 'UNAUTHENTICATED', detail: 'Sign in to chat' };
    if (typeof text !== 'string' || text.trim().length === 0 || text.length > CHAT_MAX_LENGTH)
      return { code: 'VALIDATION_FAILED', detail: `text must be 1–${CHAT_MAX_LENGTH} characters` };
    const { count, resetMs } = await this.o.countChat(user.id);
    if (count > CHAT_LIMIT.messages) {
      const retryAfterSeconds = Math.max(1, Math.ceil(resetMs / 1000));
      return {
        code: 'RATE_LIMITED',
        detail: `At most ${CHAT_LIMIT.messages} messages per ${CHAT_LIMIT.windowMs / 1000} s; retry in ${retryAfterSeconds} s`,
        retryAfterSeconds,
      };
    }
    const screened = screenText(text.trim());
    if (screened.verdict === 'refused')
      return { code: 'MESSAGE_REFUSED', detail: 'The message was refused by moderation (profanity)' };
    const record: ChatMessageRecord = {
      id: newId(),
      auctionId,
      userId: user.id,
      displayName: user.displayName,
      text: screened.text,
      sentAt: this.o.clock.now(),
    };
    await this.o.store.insertChatMessage(record);
    const message = chatView(record);
    this.rooms.get(auctionId)?.broadcast(JSON.stringify({ type: 'chat', message }), message.id);
    this.publish(auctionId, { kind: 'chat', node: this.nodeId, message });
    return null;
  }

  /** A question (or its answer) was published: every room of the auction, on every node, is told. */
  announceQuestion(auctionId: string, question: unknown): void {
    this.rooms.get(auctionId)?.broadcast(JSON.stringify({ type: 'question', question }));
    this.publish(auctionId, { kind: 'question', node: this.nodeId, question });
  }

  /** Graceful shutdown: the sockets themselves are ended by the hub; this stops the timers and leaves. */
  close(): void {
    clearInterval(this.heartbeatTimer);
    clearInterval(this.sessionTimer);
    for (const room of [...this.rooms.values()]) this.closeRoom(room);
  }

  private roomOf(auctionId: string): Room {
    const existing = this.rooms.get(auctionId);
    if (existing) return existing;
    const created = new Room(auctionId, this.nodeId, this.ttlMs, (message, extra) =>
      this.o.hub.broadcastRoom(auctionId, message, extra),
    );
    this.rooms.set(auctionId, created);
    this.o.bus
      .subscribe(roomTopic(auctionId), (message) => this.onRoomMessage(created, message))
      .then(
        (unsubscribe) => {
          if (created.closed) unsubscribe();
          else {
            created.unsubscribe = unsubscribe;
            // Ask the other nodes who is in the room, rather than wait for their next repeat.
            this.publish(auctionId, {
              kind: 'presence',
              node: this.nodeId,
              users: created.presence.localUsers,
              ask: true,
            });
          }
        },
        (error: unknown) =>
          this.o.logger.warn({ err: toError(error), auctionId }, 'live room: bus subscribe failed; this node alone'),
      );
    created.stopObserving = this.o.hub.observeAuction(auctionId, (event) => this.onAuctionEvent(created, event));
    return created;
  }

  private closeRoom(room: Room): void {
    if (room.closed) return;
    room.closed = true;
    this.rooms.delete(room.auctionId);
    room.stopObserving();
    // The other nodes drop our users at once instead of after the TTL.
    if (room.presence.hadLocalUsers) this.publish(room.auctionId, { kind: 'presence', node: this.nodeId, users: [] });
    room.unsubscribe?.();
  }

  private userArrived(room: Room, userId: string): void {
    // Whether they have bid here (and so hear their standing) is read once, after their snapshot
    // (`tellStanding`).
    if (room.presence.arrive(userId)) {
      this.publishPresence(room);
      this.recount(room);
    }
  }

  private userLeft(room: Room, userId: string): void {
    if (room.presence.depart(userId)) {
      room.standings.delete(userId);
      this.publishPresence(room);
      this.recount(room);
    }
  }

  /**
   * Tells one member's user their standing now (after their snapshot), when they have bid here; from then
   * on the room follows it (`standings`).
   */
  private async tellStanding(room: Room, userId: string, member: RoomMember): Promise<void> {
    try {
      const [state, activity] = await Promise.all([
        this.o.sequencer.getAuction(room.auctionId),
        this.o.store.bidderActivityOn(userId, room.auctionId),
      ]);
      if (state === null || activity === null || member.user?.id !== userId) return;
      const standing = liveStandingOf(auctionView(state, this.o.clock.now(), null), userId);
      if (room.presence.isLocal(userId)) room.standings.set(userId, standing);
      member.send(JSON.stringify({ type: 'standing', standing }));
    } catch (error) {
      this.o.logger.warn({ err: toError(error) }, 'live room: standing lookup failed');
    }
  }

  /**
   * A new event of the room's auction (after its sockets have it: the hub offers events to listeners in the
   * order they registered, and this one registered first, so it defers to the end of the dispatch).
   */
  private onAuctionEvent(room: Room, event: FeedEvent): void {
    // Standings concern this node's signed-in users only: a room of anonymous watchers parses nothing.
    if (!room.presence.hasLocalUsers || (room.standings.size === 0 && event.type !== 'bid')) return;
    // After the dispatch, and after the rounds that write it to this room's sockets: a standing never
    // arrives before the event that caused it.
    setImmediate(() =>
      deliveryRounds.whenFlushed(() => {
        if (room.closed) return;
        const data = JSON.parse(event.data) as { auction?: AuctionView; bid?: { bidderId: string } };
        const view = data.auction;
        if (view === undefined) return;
        // A bidder in the room who just placed their first bid here starts hearing their standing.
        const bidder = data.bid?.bidderId;
        if (bidder !== undefined && !room.standings.has(bidder) && room.presence.isLocal(bidder))
          room.standings.set(bidder, null);
        for (const [userId, told] of room.standings) {
          const standing = liveStandingOf(view, userId);
          if (standing === told) continue;
          room.standings.set(userId, standing);
          room.tell(JSON.stringify({ type: 'standing', standing }), userId);
        }
      }),
    );
  }

  private onRoomMessage(room: Room, raw: BusMessage): void {
    const message = raw as RoomBusMessage;
    if (message.node === this.nodeId || room.closed) return;
    switch (message.kind) {
      case 'chat':
        room.broadcast(JSON.stringify({ type: 'chat', message: message.message }), message.message.id);
        return;
      case 'question':
        room.broadcast(JSON.stringify({ type: 'question', question: message.question }));
        return;
      case 'presence':
        room.presence.heard(message.node, message.users, this.o.clock.now());
        if (message.ask && room.presence.hasLocalUsers) this.publishPresence(room);
        this.recount(room);
        return;
    }
  }

  private publishPresence(room: Room): void {
    this.publish(room.auctionId, { kind: 'presence', node: this.nodeId, users: room.presence.localUsers });
  }

  /** Announces the participant count to the room's sockets here when it changed. */
  private recount(room: Room): void {
    if (room.presence.recount(this.o.clock.now())) room.tellParticipants();
  }

  /** Repeats this node's presence in every room that has signed-in users, and forgets silent nodes. */
  private heartbeat(): void {
    for (const room of this.rooms.values()) {
      if (room.presence.hasLocalUsers) this.publishPresence(room);
      this.recount(room);
    }
  }

  /** Sockets whose session ended turn anonymous (they may still watch). */
  private async checkSessions(): Promise<void> {
    if (this.checkingSessions) return;
    this.checkingSessions = true;
    try {
      const verdicts = new Map<string, Promise<string | null>>();
      for (const room of [...this.rooms.values()]) {
        for (const member of [...room.members]) {
          const user = member.user;
          if (user === null) continue;
          let verdict = verdicts.get(user.token);
          if (!verdict) {
            verdict = this.o.userIdForToken(user.token);
            verdicts.set(user.token, verdict);
          }
          if ((await verdict) === user.id || member.user !== user) continue;
          member.user = null;
          this.userLeft(room, user.id);
          room.sendTo(member, '{"type":"signed_out"}');
        }
      }
    } catch (error) {
      this.o.logger.warn({ err: toError(error) }, 'live room: session check failed; next round retries');
    } finally {
      this.checkingSessions = false;
    }
  }

  private async recentChat(auctionId: string): Promise<{ json: string; ids: Set<string> }> {
    const records = await this.o.store.recentChatMessages(auctionId, CHAT_HISTORY);
    return { json: JSON.stringify(records.map(chatView)), ids: new Set(records.map((r) => r.id)) };
  }

  private publish(auctionId: string, message: RoomBusMessage): void {
    this.o.bus.publish(roomTopic(auctionId), message as unknown as BusMessage);
  }
}

function chatView(record: ChatMessageRecord): ChatMessageView {
  return {
    id: record.id,
    userId: record.userId,
    displayName: record.displayName,
    text: record.text,
    sentAt: isoTime(record.sentAt),
  };
}
