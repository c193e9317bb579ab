import type { Command } from 'commander';
import { ForwardingEventStore, type EventStore } from '@ledger/event-store';
import { ALL_PROJECTIONS } from '@ledger/projections';
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
  /** Events of the log it has not applied. */
  lagEvents: number;
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

const PAGE = 1000;

/** Where each read model stands against the log, from one read of the log past the furthest behind. */
export async function projectionStates(
  events: EventStore,
  readStore: ReadStore,
): Promise<{ head: string | null; projections: ProjectionState[] }> {
  const head = (await events.headPosition()) ?? null;
  const registrations = await Promise.all(
    PROJECTION_NAMES.map((name) => readStore.registration(name)),
  );
  const applied = registrations.map((registration) => registration.active?.position);
  const lag = applied.map(() => 0);
  const oldestUnapplied: (string | undefined)[] = applied.map(() => undefined);
  const behind = (position: string, index: number) =>
    applied[index] === undefined || events.comparePositions(position, applied[index]) > 0;

  let after = furthestBehind(events, applied);
  let newest: string | undefined;
  for (;;) {
    const page = await events.readAll({ after, limit: PAGE });
    for (const event of page) {
      newest = event.metadata.occurredAt;
      applied.forEach((_, index) => {
        if (!behind(event.position, index)) return;
        lag[index]++;
        oldestUnapplied[index] ??= event.metadata.occurredAt;
      });
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1].position;
  }

  const projections = registrations.map((registration, index) => ({
    name: registration.name,
    position: registration.active?.position ?? null,
    lagEvents: lag[index],
    lagSeconds:
      oldestUnapplied[index] === undefined
        ? 0
        : Math.max(0, (Date.parse(newest!) - Date.parse(oldestUnapplied[index])) / 1000),
    state: stateOf(registration, lag[index]),
    ...(registration.building && {
      rebuilding: { position: registration.building.position ?? null },
    }),
  }));
  return { head, projections };
}

/** The lowest of the positions, undefined (the start of the log) if any read model has applied nothing. */
function furthestBehind(
  events: EventStore,
  positions: readonly (string | undefined)[],
): string | undefined {
  let lowest: string | undefined;
  for (const position of positions) {
    if (position === undefined) return undefined;
    if (lowest === undefined || events.comparePositions(position, lowest) < 0) lowest = position;
  }
  return lowest;
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
