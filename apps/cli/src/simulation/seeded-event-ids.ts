import type { EventStore, ExpectedVersion, NewEvent } from '@ledger/event-store';
import { seededUuid } from './seeded';

/**
 * The log, with each appended event's id made from the seed, its stream and
 * its version instead of drawn at random: the one part of an event's metadata
 * the command path draws itself, so the same seed gives the same log. Every
 * other call goes to the log as it is.
 */
export function withSeededEventIds(log: EventStore, seed: number): EventStore {
  const append = (streamId: string, events: NewEvent[], expected: ExpectedVersion) => {
    const from = typeof expected === 'number' ? expected : 0;
    const seeded = events.map((event, index) => ({
      ...event,
      metadata: {
        ...event.metadata,
        eventId: seededUuid(seed, 'event', streamId, from + index + 1),
      },
    }));
    return log.append(streamId, seeded, expected);
  };
  return new Proxy(log, {
    get(target, key) {
      if (key === 'append') return append;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
