import type { Clock } from '../clock.ts';
import type { Sequencer } from '../engine/index.ts';
import type { Metrics } from '../metrics.ts';
import type { SseHub } from '../realtime/index.ts';
import type { Store } from '../store/index.ts';
import type { Authenticator } from './auth.ts';
import type { ScryptCost } from './passwords.ts';

/** What route handlers may use. Built once per app in app.ts; nothing here is global. */
export interface RouteContext {
  store: Store;
  clock: Clock;
  metrics: Metrics;
  sequencer: Sequencer;
  hub: SseHub;
  auth: Authenticator;
  sessionTtlMs: number;
  scryptCost: ScryptCost;
}
