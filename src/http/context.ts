import type { Bus } from '../bus/index.ts';
import type { Clock } from '../clock.ts';
import type { Sequencer } from '../engine/index.ts';
import type { Metrics } from '../metrics.ts';
import type { InventoryPropagation } from '../scheduler/index.ts';
import type { ModerationQueue } from '../moderation/index.ts';
import type { LiveRooms, StreamHub } from '../realtime/index.ts';
import type { Store } from '../store/index.ts';
import type { WebhookDispatcher } from '../webhooks/dispatcher.ts';
import type { MailDispatcher } from '../email/mail-dispatcher.ts';
import type { UrlPolicy } from '../webhooks/url-policy.ts';
import type { Authenticator } from './auth.ts';
import type { LimitSettings, LoginThrottle, RateCounter, StreamLimiter, routeRateLimits } from './limits/index.ts';
import type { PasswordThread, PasswordWork, ScryptCost } from './passwords.ts';

/** What route handlers may use. Built once per app in app.ts; nothing here is global. */
export interface RouteContext {
  store: Store;
  bus: Bus;
  clock: Clock;
  metrics: Metrics;
  sequencer: Sequencer;
  hub: StreamHub;
  auth: Authenticator;
  sessionTtlMs: number;
  scryptCost: ScryptCost;
  limits: LimitSettings;
  /** Per-route `config` entries for @fastify/rate-limit (empty when the limits are off). */
  rateLimits: ReturnType<typeof routeRateLimits>;
  loginThrottle: LoginThrottle;
  passwordWork: PasswordWork;
  /** Where password hashes are derived: a low-priority thread of its own. */
  passwordThread: PasswordThread;
  streams: StreamLimiter;
  /** Moderates questions and answers, and keeps their queue. */
  moderation: ModerationQueue;
  /** Usernames allowed to read the moderation queue and decide its items. */
  moderators: ReadonlySet<string>;
  /** The live rooms (WebSocket) on this node. */
  rooms: LiveRooms;
  /** Counters shared with the routes' limits (the live room's bids count with HTTP bids). */
  rateCounter: RateCounter;
  /** Brings inventory items' changes to the auctions that sell them (Inventory sync). */
  inventory: InventoryPropagation;
  /** Sends the mail outbox (this node's share of it). */
  mail: MailDispatcher;
  /** Sends the webhook outbox (this node's share of it). */
  webhooks: WebhookDispatcher;
  /** Where webhooks may point (checked at registration, and again by the dispatcher at each delivery). */
  webhookUrlPolicy: UrlPolicy;
}
