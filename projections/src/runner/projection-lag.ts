import type { EventStore, RecordedEvent } from '@ledger/event-store';

/** Events read at most to measure one lag: past it, the count is a floor. */
export const LAG_COUNT_LIMIT = 10_000;

/** How far a read model is behind the log. */
export interface Lag {
  /** Events after the read model's position, counted up to `LAG_COUNT_LIMIT`. */
  events: number;
  /** More events are behind than were counted. */
  beyondCount: boolean;
  /**
   * Event time from the oldest event not applied to the newest in the log
   * (to the last counted, beyond the count): 0 when at most one is missing.
   */
  seconds: number;
}

const CAUGHT_UP: Lag = { events: 0, beyondCount: false, seconds: 0 };

function lagOf(behind: readonly RecordedEvent[], beyondCount: boolean): Lag {
  const [first] = behind;
  const last = behind.at(-1);
  if (!first || !last) return CAUGHT_UP;
  const oldest = Date.parse(first.metadata.occurredAt);
  const newest = Date.parse(last.metadata.occurredAt);
  return {
    events: behind.length,
    beyondCount,
    // Writers' clocks may disagree a little: events are in log order, not time order.
    seconds: Math.max(0, (newest - oldest) / 1000),
  };
}

/**
 * How far each position is behind the log's head, by reading what follows
 * it: positions are opaque, so counting is the only way to tell a distance.
 * Positions are measured oldest first, and one that lies within what was read
 * for an older one is measured on it: read models a little apart cost one read.
 * Seconds are event time, like everything projections do: a read model that
 * stopped an hour ago on an idle log is not behind by an hour, and one
 * missing a minute's worth of events is.
 */
export async function lagsBehindHead(
  events: EventStore,
  positions: readonly (string | null | undefined)[],
  limit = LAG_COUNT_LIMIT,
): Promise<Lag[]> {
  const head = await events.headPosition();
  const given = positions.map((position) => position ?? undefined);
  if (head === undefined) return given.map(() => CAUGHT_UP);
  const applied = [...new Set(given)]
    .filter((position): position is string => position !== undefined)
    .filter((position) => events.comparePositions(position, head) < 0)
    .sort((a, b) => events.comparePositions(a, b));
  // A read model that has applied nothing is the furthest behind.
  const behindHead = given.includes(undefined) ? [undefined, ...applied] : applied;
  const lags = new Map<string | undefined, Lag>();
  let read: RecordedEvent[] = [];
  for (const position of behindHead) {
    const capped = read.length === limit;
    let at = read.findIndex((event) => event.position === position);
    // What follows the last event read is not known: read on from there.
    if (at < 0 || (capped && at === read.length - 1)) {
      read = await events.readAll({ after: position, limit });
      at = -1;
    }
    lags.set(position, lagOf(read.slice(at + 1), read.length === limit));
  }
  return given.map((position) => lags.get(position) ?? CAUGHT_UP);
}
