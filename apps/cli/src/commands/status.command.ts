import type { Command } from 'commander';
import { ForwardingEventStore, type EventStore } from '@ledger/event-store';
import { ALL_PROJECTIONS, lagsBehindHead } from '@ledger/projections';
import {
  PROJECTION_NAMES,
  type ProjectionName,
  type ProjectionRegistration,
  type ReadStore,
} from '@ledger/read-store';
import { withStores } from '../cli-stores';
import { print, table } from '../options';

export interface ProjectionState {
  name: ProjectionName;
  /** The last log position the serving read model applied; null before its first. */
  position: string | null;
  /** Events of the log it has not applied, counted up to `LAG_COUNT_LIMIT`. */
  lagEvents: number;
  /** More are behind than were counted. */
  lagEventsAtLeast?: true;
  /**
   * Event time from the oldest of them to the newest event of the log: 0 when
   * at most one is missing. Event time, as projections use: a read model
   * stopped on an idle log is not behind for the hours the log stood still.
   */
  lagSeconds: number;
  /**
   * `live` (at the head), `behind`, `not built` (no read model yet),
   * `outdated` (written by another version of its projection: rebuilt when a
   * runner starts), `rebuilding` (a new generation is being filled).
   */
  state: string;
  /** The generation being filled, and how far it got. */
  rebuilding?: { position: string | null };
}

/** Where each read model stands against the log, measured as the API measures it (`lagsBehindHead`). */
export async function projectionStates(
  events: EventStore,
  readStore: ReadStore,
): Promise<{ head: string | null; projections: ProjectionState[] }> {
  const head = (await events.headPosition()) ?? null;
  const registrations = await Promise.all(
    PROJECTION_NAMES.map((name) => readStore.registration(name)),
  );
  const lags = await lagsBehindHead(
    events,
    registrations.map((registration) => registration.active?.position),
  );
  const projections = registrations.map((registration, index) => {
    const lag = lags[index]!;
    return {
      name: registration.name,
      position: registration.active?.position ?? null,
      lagEvents: lag.events,
      ...(lag.beyondCount && { lagEventsAtLeast: true as const }),
      lagSeconds: lag.seconds,
      state: stateOf(registration, lag.events),
      ...(registration.building && {
        rebuilding: { position: registration.building.position ?? null },
      }),
    };
  });
  return { head, projections };
}

function stateOf(registration: ProjectionRegistration, lag: number): string {
  const { active, building } = registration;
  const version = ALL_PROJECTIONS.find((p) => p.name === registration.name)!.version;
  const states: string[] = [];
  if (!active) states.push('not built');
  else if (active.projectionVersion !== version) states.push('outdated');
  else states.push(lag === 0 ? 'live' : 'behind');
  if (building) states.push('rebuilding');
  return states.join(', ');
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("each read model's position, lag (events and seconds) and state")
    .option('--json', 'as JSON')
    .action(async (options: { json?: boolean }) => {
      const status = await withStores({ existing: true }, ({ events, readStore }) =>
        // Positions and event times only: read below the personal-data decorator.
        projectionStates(ForwardingEventStore.innermost(events), readStore),
      );
      if (options.json) return print(`${JSON.stringify(status, null, 2)}\n`);
      const rows = [
        ['projection', 'position', 'lag (events)', 'lag (s)', 'state'],
        ...status.projections.map((p) => [
          p.name,
          p.position ?? '-',
          String(p.lagEvents),
          String(Math.round(p.lagSeconds)),
          p.rebuilding ? `${p.state} (at ${p.rebuilding.position ?? '-'})` : p.state,
        ]),
      ];
      await print(`log head: ${status.head ?? 'empty'}\n${table(rows)}\n`);
    });
}
