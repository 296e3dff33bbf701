/**
 * A Server-Sent Events subscription that stays up by itself. The browser's
 * EventSource already reconnects after a dropped connection and sends
 * `Last-Event-ID`, so the server resumes exactly where the page left off. It
 * gives up, though, when a reconnect is answered with an error (a 503 while the
 * server restarts): then this class opens a new one itself, with backoff,
 * passing the last id it saw as `?lastEventId=`, which resumes the same way.
 */
export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface LiveStreamOptions {
  url: string;
  /** SSE event names to listen to. */
  events: string[];
  onEvent(type: string, data: unknown, id: string | null): void;
  onState?(state: LiveState): void;
  /** Called when the server refused a (re)connection, e.g. a 401 after the session expired. */
  onRefused?(): void;
  /** Resume the stream after this id instead of starting from a snapshot. */
  lastEventId?: string | null;
}

export class LiveStream {
  private source: EventSource | null = null;
  private lastEventId: string | null;
  private retryMs = 1000;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly options: LiveStreamOptions) {
    this.lastEventId = options.lastEventId ?? null;
    this.open();
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
  }

  private open(): void {
    if (this.closed) return;
    this.options.onState?.(this.lastEventId === null ? 'connecting' : 'reconnecting');
    const url = new URL(this.options.url, location.href);
    if (this.lastEventId !== null) url.searchParams.set('lastEventId', this.lastEventId);
    const source = new EventSource(url.toString());
    this.source = source;
    source.onopen = () => {
      this.retryMs = 1000;
      this.options.onState?.('live');
    };
    source.onerror = () => {
      if (this.closed) return;
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (an error status): try again ourselves, resuming after the last id seen.
        source.close();
        this.options.onState?.('reconnecting');
        this.options.onRefused?.();
        this.retryTimer = setTimeout(() => this.open(), this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, 15_000);
      } else {
        this.options.onState?.('reconnecting');
      }
    };
    for (const type of this.options.events) {
      source.addEventListener(type, (event) => {
        const message = event as MessageEvent<string>;
        if (message.lastEventId) this.lastEventId = message.lastEventId;
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        this.options.onEvent(type, data, message.lastEventId || null);
      });
    }
  }
}
