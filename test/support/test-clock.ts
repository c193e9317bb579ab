import type { Clock } from '../../apps/api/src/storage/clock';

/** A clock that moves only when told: event times a test can predict. */
export class TestClock implements Clock {
  private current: number;

  constructor(start = '2026-01-05T09:00:00.000Z') {
    this.current = Date.parse(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  advanceMinutes(minutes: number): void {
    this.current += minutes * 60_000;
  }

  set(instant: string): void {
    this.current = Date.parse(instant);
  }
}
