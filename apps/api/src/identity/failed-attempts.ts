/** How many refused credentials one address may present in a window before it is slowed. */
export const MAX_FAILED_ATTEMPTS = 20;
const WINDOW_MS = 60_000;
/** Addresses remembered at once; the oldest are forgotten first, so memory stays bounded. */
const MAX_ADDRESSES = 10_000;

interface Failures {
  /** The newest failures, at most one past the limit: all the answer needs. */
  times: number[];
  slowed: boolean;
}

/** What a failure means for its address. */
export interface FailureVerdict {
  /** Seconds to wait, when the address is over the limit. */
  wait?: number;
  /** This failure took the address over the limit. */
  newlySlowed: boolean;
}

/**
 * Refused credentials per client address over the last minute. Only failures
 * are counted: a request with a valid credential is never slowed.
 */
export class FailedAttempts {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly now: () => number = Date.now) {}

  record(address: string): FailureVerdict {
    const now = this.now();
    const previous = this.failures.get(address);
    const times = (previous?.times ?? []).filter((at) => now - at < WINDOW_MS);
    times.push(now);
    if (times.length > MAX_FAILED_ATTEMPTS + 1) times.shift();
    const over = times.length > MAX_FAILED_ATTEMPTS;
    const entry = { times, slowed: over };
    this.failures.delete(address);
    this.failures.set(address, entry);
    if (this.failures.size > MAX_ADDRESSES) {
      this.failures.delete(this.failures.keys().next().value!);
    }
    if (!over) return { newlySlowed: false };
    // Another try is heard once all but MAX_FAILED_ATTEMPTS - 1 of these have left the window.
    const freedAt = times[times.length - MAX_FAILED_ATTEMPTS]! + WINDOW_MS;
    return {
      wait: Math.max(1, Math.ceil((freedAt - now) / 1000)),
      newlySlowed: !(previous?.slowed ?? false),
    };
  }
}
