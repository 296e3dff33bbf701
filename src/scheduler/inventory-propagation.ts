import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { ActionOutcome } from '../engine/commands.ts';
import type { Sequencer } from '../engine/index.ts';
import { toError } from '../error-catalogue.ts';
import type { InventoryItemRecord, InventoryLink, InventoryLinkSettlement, Store } from '../store/index.ts';
import { PeriodicJob } from './periodic-job.ts';

export interface InventoryPropagationOptions {
  store: Store;
  sequencer: Sequencer;
  clock: Clock;
  logger: Logger;
  /**
   * A link made pending by a request is left to that request this long (it brings the auctions up to date
   * itself before answering); after that a sweep takes it: the request failed, or its node died. Default
   * 2,000 ms. With the sweep interval, this bounds how late an item's change reaches its auctions when the
   * node that stored it crashed before it could (api.md: within 5 s).
   */
  graceMs?: number;
  /** How often pending links are swept. Default 1,000 ms. */
  sweepIntervalMs?: number;
  /** A sweep's claim on the links it took: another node takes them after this if it died. Default 10,000 ms. */
  leaseMs?: number;
  /** Links per sweep round. Default 500. */
  batchSize?: number;
  /**
   * A link whose auction does not exist this long after the link was taken is dropped: the auction's
   * creation failed or its node died before storing it (links are taken before the auction is stored).
   * Default 60,000 ms.
   */
  orphanAfterMs?: number;
}

/** What became of one auction of an item: its action's outcome, or null when the auction is not stored (yet). */
export interface PropagatedLink {
  link: InventoryLink;
  outcome: ActionOutcome | null;
}

/**
 * Brings inventory items' changes to the auctions that sell them.
 *
 * Every change goes through the sequencer as a `sync_inventory_item` action (a deletion as a `cancel`), so
 * it is ordered with the bids, durable before anyone hears of it, one new `version` and an `item_updated`
 * event to the auction's watchers, and every read (on this node or any other sharing the store) shows it
 * once it is committed. A closed or cancelled auction refuses it: it keeps the item it ended with.
 *
 * Who does it:
 * - the request that changed the item (`bringUpToDate`), before it answers: so a read that starts after the
 *   answer shows the change, and its events exist by then (other nodes' streams find them in the store even
 *   if this node dies right after answering);
 * - a sweep, every `sweepIntervalMs`, on every node, of the store's pending links (their auction shows an
 *   older revision than the item's: the durable marker written in the item's own transaction) that are due:
 *   a request that failed half-way, or whose node died between the item's commit and the auctions'. Each
 *   sweep leases what it takes, so nodes share the work; doing one twice is harmless (an auction already
 *   showing a revision ignores it).
 * The store's due index reads only pending links, never the settled ones: a sweep costs one indexed read
 * when nothing is pending, whatever the number of items and auctions.
 */
export class InventoryPropagation {
  private readonly store: Store;
  private readonly sequencer: Sequencer;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly graceMs: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly orphanAfterMs: number;
  private readonly job: PeriodicJob;

  constructor(options: InventoryPropagationOptions) {
    this.store = options.store;
    this.sequencer = options.sequencer;
    this.clock = options.clock;
    this.logger = options.logger;
    this.graceMs = options.graceMs ?? 2_000;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.batchSize = options.batchSize ?? 500;
    this.orphanAfterMs = options.orphanAfterMs ?? 60_000;
    this.job = new PeriodicJob(
      'inventory sweep',
      () => this.sweepOnce(),
      options.sweepIntervalMs ?? 1_000,
      options.logger,
    );
  }

  /** When a link a request makes pending `now` is first due for a sweep (the store's `dueAt`). */
  dueAt(now: number): number {
    return now + this.graceMs;
  }

  start(): void {
    // At once: links left pending by a node that died are due already.
    this.job.start({ runNow: true });
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** One sweep now (or the one running); failures are logged and retried at the next. */
  sweep(): Promise<void> {
    return this.job.run();
  }

  /**
   * Brings every auction of these items of one seller up to date (the pending ones; the others are not
   * touched), and returns what became of each. Throws when the sequencer or the store fails: the links stay
   * pending and a sweep finishes them.
   */
  async bringUpToDate(sellerId: string, externalIds: readonly string[]): Promise<PropagatedLink[]> {
    if (externalIds.length === 0) return [];
    const links = (await this.store.inventoryLinksOf(sellerId, externalIds)).filter(
      (l) => l.itemRevision > l.shownRevision,
    );
    return this.settle(links);
  }

  private async sweepOnce(): Promise<void> {
    while (!this.job.stopped) {
      const now = this.clock.now();
      const links = await this.store.claimInventoryLinks(now, now + this.leaseMs, this.batchSize);
      if (links.length === 0) return;
      await this.settle(links);
      if (links.length < this.batchSize) return;
    }
  }

  /**
   * Brings each link's auction to its item's current revision (a deleted item: cancels it), all at once
   * (the sequencer commits them together), then records in the store what became of each link.
   */
  private async settle(links: readonly InventoryLink[]): Promise<PropagatedLink[]> {
    if (links.length === 0) return [];
    const items = new Map<string, InventoryItemRecord>();
    const bySeller = new Map<string, Set<string>>();
    for (const link of links)
      bySeller.set(link.sellerId, (bySeller.get(link.sellerId) ?? new Set()).add(link.externalId));
    for (const [sellerId, ids] of bySeller)
      for (const [id, item] of await this.store.findInventoryItems(sellerId, [...ids]))
        items.set(itemKey(sellerId, id), item);

    const settled: InventoryLinkSettlement[] = [];
    const failures: Error[] = [];
    const results = await Promise.all(
      links.map(async (link): Promise<PropagatedLink> => {
        const item = items.get(itemKey(link.sellerId, link.externalId));
        let outcome: ActionOutcome;
        try {
          outcome =
            item === undefined || item.deletedAt !== null
              ? await this.sequencer.act('cancel', link.auctionId, link.sellerId)
              : await this.sequencer.act('sync_inventory_item', link.auctionId, link.sellerId, {
                  inventoryItem: { externalId: item.externalId, revision: item.revision, content: item.content },
                });
        } catch (error) {
          failures.push(toError(error));
          return { link, outcome: null };
        }
        const key = { sellerId: link.sellerId, externalId: link.externalId, auctionId: link.auctionId };
        if (outcome.kind === 'auction_not_found') {
          // Links are taken before their auction is stored: only an old one without its auction is an orphan.
          if (this.clock.now() - link.createdAt >= this.orphanAfterMs)
            settled.push({ ...key, shownRevision: 0, over: true });
          return { link, outcome: null };
        }
        if (outcome.kind === 'done' && item !== undefined && item.deletedAt === null)
          settled.push({ ...key, shownRevision: item.revision, over: false });
        // Cancelled now; or refused: ended, cancelled, or (a deleted item's auction) holding a bid, which keeps
        // it to its end. Either way nothing will change it any more.
        else settled.push({ ...key, shownRevision: 0, over: true });
        return { link, outcome };
      }),
    );
    await this.store.settleInventoryLinks(settled);
    if (failures.length > 0) {
      this.logger.warn(
        { err: failures[0], failed: failures.length },
        'inventory: some auctions were not brought up to date',
      );
      throw failures[0]!;
    }
    return results;
  }
}

const itemKey = (sellerId: string, externalId: string) => `${sellerId}\u0000${externalId}`;
