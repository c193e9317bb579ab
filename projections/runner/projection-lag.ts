import type { EventStore } from '@ledger/event-store';

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

/**
 * How far each position is behind the log's head, by reading what follows
 * it: positions are opaque, so counting is the only way to tell a distance.
 * Equal positions are measured once. Seconds are event time, like everything
 * projections do: a read model that stopped an hour ago on an idle log is not
 * behind by an hour, and one missing a minute's worth of events is.
 */
export async function lagsBehindHead(
  events: EventStore,
  positions: readonly (string | null | undefined)[],
  limit = LAG_COUNT_LIMIT,
): Promise<Lag[]> {
  const head = await events.headPosition();
  const measured = new Map<string | undefined, Promise<Lag>>();
  const measure = async (position: string | undefined): Promise<Lag> => {
    if (head === undefined) return CAUGHT_UP;
    if (position !== undefined && events.comparePositions(position, head) >= 0) return CAUGHT_UP;
    const behind = await events.readAll({ after: position, limit });
    if (behind.length === 0) return CAUGHT_UP;
    const oldest = Date.parse(behind[0].metadata.occurredAt);
    const newest = Date.parse(behind[behind.length - 1].metadata.occurredAt);
    return {
      events: behind.length,
      beyondCount: behind.length === limit,
      // Writers' clocks may disagree a little: events are in log order, not time order.
      seconds: Math.max(0, (newest - oldest) / 1000),
    };
  };
  return Promise.all(
    positions.map((given) => {
      const position = given ?? undefined;
      let lag = measured.get(position);
      if (!lag) measured.set(position, (lag = measure(position)));
      return lag;
    }),
  );
}
