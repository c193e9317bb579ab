import type { LogPosition } from './esdb-position';
import type { Subscribe, Unsubscribable } from './subscription-handlers';

export interface LogDoorbellOptions {
  /** The position of the newest event in the log, where following starts the first time. */
  newest(): Promise<LogPosition | undefined>;
  /** Opens a catch-up subscription; each event is handed over as its position. */
  subscribe: Subscribe<LogPosition | undefined>;
  ring(): void;
  /** First delay before following again after the subscription dropped; doubles up to 10 s. */
  resubscribeDelayMs: number;
}

const MAX_RESUBSCRIBE_DELAY_MS = 10_000;

/**
 * A catch-up subscription to `$all`, used as a doorbell: every consumer
 * reads from its own checkpoint with `readAll`, and a ring only tells it
 * there is more. So the subscription starts at the head of the log as it is
 * now, and after a dropped connection resumes from the last event it saw (a
 * catch-up subscription's start is exclusive), then rings once, so nothing
 * appended while it was down goes unnoticed.
 */
export class LogDoorbell {
  private subscription: Unsubscribable | undefined;
  /** Set from the moment a start begins, so a second start in its awaits opens no second subscription. */
  private starting = false;
  private lastSeen: LogPosition | undefined;
  private resubscribeTimer: NodeJS.Timeout | undefined;
  private resubscribeDelayMs: number;
  private closed = false;

  constructor(private readonly options: LogDoorbellOptions) {
    this.resubscribeDelayMs = options.resubscribeDelayMs;
  }

  start(): void {
    if (this.subscription || this.starting || this.resubscribeTimer || this.closed) return;
    void this.subscribe(false);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.resubscribeTimer);
    await this.subscription?.unsubscribe().catch(() => undefined);
  }

  private async subscribe(ringWhenFollowing: boolean): Promise<void> {
    this.starting = true;
    try {
      if (!this.lastSeen) this.lastSeen = await this.options.newest();
      if (this.closed) return;
      const current = { stopped: false };
      const subscription = this.options.subscribe(this.lastSeen, {
        event: (position) => {
          if (current.stopped) return;
          if (position) this.lastSeen = position;
          this.resubscribeDelayMs = this.options.resubscribeDelayMs;
          this.options.ring();
        },
        stopped: () => {
          if (current.stopped) return;
          current.stopped = true;
          this.dropped();
        },
      });
      if (current.stopped) return;
      this.subscription = subscription;
      if (ringWhenFollowing) this.options.ring();
    } catch {
      this.dropped();
    } finally {
      this.starting = false;
    }
  }

  private dropped(): void {
    this.subscription = undefined;
    if (this.closed || this.resubscribeTimer) return;
    const delay = this.resubscribeDelayMs;
    this.resubscribeDelayMs = Math.min(delay * 2, MAX_RESUBSCRIBE_DELAY_MS);
    this.resubscribeTimer = setTimeout(() => {
      this.resubscribeTimer = undefined;
      if (!this.subscription && !this.starting && !this.closed) void this.subscribe(true);
    }, delay);
    this.resubscribeTimer.unref();
  }
}
