/** How many refused credentials one address may present in a window before it is slowed. */
export const MAX_FAILED_ATTEMPTS = 20;
const WINDOW_MS = 60_000;
/** Addresses remembered at once; the oldest are forgotten first, so memory stays bounded. */
const MAX_ADDRESSES = 10_000;

/**
 * Refused credentials per client address over the last minute. Only failures
 * are counted: a request with a valid credential is never slowed.
 */
export class FailedAttempts {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a failure; the seconds to wait when the address is over the limit, else undefined. */
  record(address: string): number | undefined {
    const now = this.now();
    const recent = (this.failures.get(address) ?? []).filter((at) => now - at < WINDOW_MS);
    recent.push(now);
    // Only the newest failures past the limit matter to the answer.
    if (recent.length > MAX_FAILED_ATTEMPTS + 1) recent.shift();
    this.failures.delete(address);
    this.failures.set(address, recent);
    if (this.failures.size > MAX_ADDRESSES) {
      this.failures.delete(this.failures.keys().next().value!);
    }
    if (recent.length <= MAX_FAILED_ATTEMPTS) return undefined;
    // Another try is heard once all but MAX_FAILED_ATTEMPTS - 1 of these have left the window.
    const freedAt = recent[recent.length - MAX_FAILED_ATTEMPTS]! + WINDOW_MS;
    return Math.max(1, Math.ceil((freedAt - now) / 1000));
  }
}
