import { type Auction, type BidFacts, type Candidate, catalogueDiffers, isoTime } from '../domain/index.ts';
import type { CommitBatch, IdempotencyRecord, StoredEvent, WebhookEvent } from '../store/index.ts';
import { type CommandHandler, handlers } from './command-handlers.ts';
import type { EngineCommand } from './commands.ts';
import { endingSoonOfBatch } from './ending-soon.ts';
import { type Notification, notificationsFor } from './notifications.ts';
import { webhookEventsOf } from './webhook-events.ts';

/** A batch of commands decided against a set of auction states: what to store, and what to answer. */
export interface BatchDecision {
  /** Every auction the batch read: the state it was judged from, and the state after the batch. */
  auctions: Map<string, { before: Auction; after: Auction }>;
  bids: BidFacts[];
  events: StoredEvent[];
  idempotency: IdempotencyRecord[];
  notifications: CommitBatch['notifications'];
  /** What the batch reports to the sellers' webhooks (written to the outbox with it). */
  webhookEvents: WebhookEvent[];
  /** Bidders' ending_soon candidates and moved ending-soon moments (see endingSoonOfBatch). */
  endingSoon: Pick<CommitBatch, 'endingSoon' | 'endingSoonDue'>;
  /** One answer per command, in the order of `commands`. */
  answers: unknown[];
  /** For metrics. */
  bidOutcomes: string[];
  closedResults: string[];
}

/**
 * Decides a batch: applies every command, in order, to the latest state of
 * its auction with the pure rules (one handler per command kind). Pure and
 * re-runnable: the same commands on the same states at the same `now` give
 * the same decision, so a batch whose commit found another writer first is
 * simply decided again on the fresh states.
 *
 * `states` holds the auctions the commands name (an id missing from it is
 * an unknown auction); `candidates` the second-chance lists of the auctions
 * whose commands need them (see `needsCandidates`).
 */
export function decideBatch(
  commands: readonly EngineCommand[],
  states: ReadonlyMap<string, Auction>,
  now: number,
  candidates: ReadonlyMap<string, Candidate[]>,
): BatchDecision {
  const auctions = new Map<string, { before: Auction; after: Auction }>();
  for (const [id, state] of states) auctions.set(id, { before: state, after: state });
  const decision: BatchDecision = {
    auctions,
    bids: [],
    events: [],
    idempotency: [],
    notifications: [],
    webhookEvents: [],
    endingSoon: {},
    answers: [],
    bidOutcomes: [],
    closedResults: [],
  };
  const notes: Notification[] = [];
  for (const command of commands) {
    const handler = handlers[command.type] as CommandHandler<EngineCommand, unknown>;
    const entry = auctions.get(command.auctionId);
    if (!entry) {
      decision.answers.push(handler.notFound(command));
      continue;
    }
    const result = handler.decide(entry.after, command, { now, candidates: candidates.get(command.auctionId) ?? [] });
    if (result.state !== entry.after) {
      for (const n of notificationsFor(entry.after, result.state, result.actorId)) notes.push(n);
      for (const w of webhookEventsOf(entry.after, result.state, result.events, now)) decision.webhookEvents.push(w);
      entry.after = result.state;
    }
    decision.bids.push(...result.bids);
    decision.events.push(...result.events);
    if (result.idempotency) decision.idempotency.push(result.idempotency);
    if (result.bidOutcome !== undefined) decision.bidOutcomes.push(result.bidOutcome);
    if (result.closedResult !== undefined) decision.closedResults.push(result.closedResult);
    decision.answers.push(result.answer);
  }
  decision.notifications = mergeNotifications(notes).map((n) => ({
    userId: n.userId,
    type: n.type,
    data: JSON.stringify({
      type: n.type,
      ...n.data,
      deadline: n.data.deadline == null ? n.data.deadline : isoTime(n.data.deadline),
    }),
    createdAt: now,
  }));
  decision.endingSoon = endingSoonOfBatch(auctions, decision.bids, now);
  return decision;
}

/** Which auctions of a batch need their second-chance candidates loaded before deciding. */
export function auctionsNeedingCandidates(
  commands: readonly EngineCommand[],
  states: ReadonlyMap<string, Auction>,
): Set<string> {
  const ids = new Set<string>();
  for (const command of commands) {
    const state = states.get(command.auctionId);
    const handler = handlers[command.type] as CommandHandler<EngineCommand, unknown>;
    if (state && handler.needsCandidates(state, command)) ids.add(command.auctionId);
  }
  return ids;
}

/** The rows of a decision, as one store transaction. */
export function commitBatchOf(decision: BatchDecision): CommitBatch {
  const changed: CommitBatch['auctions'] = [];
  const unchanged: NonNullable<CommitBatch['unchanged']> = [];
  for (const { before, after } of decision.auctions.values()) {
    if (after.version !== before.version)
      // A changed item or catalogue (a listing edit, an inventory item's change) is re-indexed by the store.
      changed.push(
        catalogueDiffers(before, after)
          ? { before: before.version, after, catalogueChanged: true }
          : { before: before.version, after },
      );
    // Auctions judged against without changing them are version-checked too: a rejection judged against a
    // state that never became durable (its batch failed) must not be stored.
    else unchanged.push({ auctionId: after.id, version: before.version });
  }
  return {
    bids: decision.bids,
    auctions: changed,
    events: decision.events,
    idempotency: decision.idempotency,
    notifications: decision.notifications,
    unchanged,
    ...decision.endingSoon,
    ...(decision.webhookEvents.length > 0 ? { webhookEvents: decision.webhookEvents } : {}),
  };
}

/**
 * Under load one batch can outbid the same user, or tell the same seller of a
 * bid, many times over on one auction: those notices are states, not
 * history, so only the last of each (user, auction, type) is kept. Settlement
 * notices (won, offer_received, …) are never merged.
 */
function mergeNotifications<T extends Notification>(notes: T[]): T[] {
  const kept: T[] = [];
  const seen = new Set<string>();
  // From the newest back: the first of each mergeable (user, auction, type) met is the last one sent.
  for (let i = notes.length - 1; i >= 0; i--) {
    const n = notes[i]!;
    if (MERGEABLE.has(n.type)) {
      const key = `${n.userId}\u0000${n.data.auctionId}\u0000${n.type}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    kept.push(n);
  }
  return kept.reverse();
}

const MERGEABLE: ReadonlySet<string> = new Set(['outbid', 'leading', 'bid_received']);
