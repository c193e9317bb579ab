import type { EventStore } from '@ledger/event-store';
import type { ProjectionReport, ProjectionStatus } from '@ledger/projections';
import { PROJECTION_NAMES, type ProjectionName, type ReadStore } from '@ledger/read-store';

const POLL_MS = 20;

/**
 * Each read model as its registration in the read store says, for when no
 * projection of this process can tell: `idle` is the status of one that is
 * not being rebuilt.
 */
export function reportsFromReadStore(
  readStore: ReadStore,
  idle: ProjectionStatus | 'external',
): Promise<ProjectionReport[]> {
  return Promise.all(
    PROJECTION_NAMES.map(async (name) => {
      const { active, building } = await readStore.registration(name);
      return {
        name,
        position: active?.position ?? null,
        status: building ? 'rebuilding' : idle,
      } as ProjectionReport;
    }),
  );
}

/** Watches the read model's checkpoint until it has applied `position` (true) or `deadline` passes (false). */
export async function checkpointReaches(
  events: EventStore,
  readStore: ReadStore,
  name: ProjectionName,
  position: string,
  deadline: number,
): Promise<boolean> {
  for (;;) {
    const { active } = await readStore.registration(name);
    const applied = active?.position ?? events.origin;
    if (events.comparePositions(applied, position) >= 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
