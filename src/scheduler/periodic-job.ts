import type { Logger } from 'pino';
import { toError } from '../error-catalogue.ts';

/**
 * A background task run every `intervalMs` and on demand, one run at a time: a call while it runs shares
 * that run; a failure is logged and the next tick retries it; `stop` ends the ticks and waits for the run in
 * progress (which may check `stopped` to end early). The timer never keeps the process alive.
 */
export class PeriodicJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly name: string,
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  /** True once `stop` was called: a long run checks it between steps. */
  get stopped(): boolean {
    return this.stopping;
  }

  /** Starts the ticks (`runNow`: a first run at once rather than after one interval). */
  start({ runNow = false }: { runNow?: boolean } = {}): void {
    if (this.timer) return;
    this.stopping = false;
    if (runNow) void this.run();
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  /** One run now, or the one in progress. */
  run(): Promise<void> {
    this.running ??= this.task()
      .catch((error: unknown) => this.logger.warn({ err: toError(error) }, `${this.name} failed; the next run retries`))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.running) await this.running;
  }
}
