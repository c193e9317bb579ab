import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../../../api/src/storage/clock';

/**
 * Event time for simulated commands: each runs at its own instant, carried
 * through its awaits, so commands on different tickets can be in flight
 * together (and share the log's group commit) and each is stamped with its own.
 */
export class SimulatedClock implements Clock {
  private readonly instant = new AsyncLocalStorage<number>();

  now(): Date {
    const at = this.instant.getStore();
    if (at === undefined) throw new Error('A simulated command ran outside its instant');
    return new Date(at);
  }

  /** Runs `work` (a command) at the instant `at`, in epoch milliseconds. */
  at<T>(at: number, work: () => T): T {
    return this.instant.run(at, work);
  }
}
