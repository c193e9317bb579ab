import type { EventStore } from '@ledger/event-store';
import type { ProjectionDaemon } from '@ledger/projections';

const POLL_MS = 2;

/**
 * Resolves once every projection of the daemon serves the log up to its head:
 * no rebuild under way, status live, checkpoint at the head. Throws after
 * `timeoutMs` with the daemon's report, so a stuck projection names itself.
 */
export async function caughtUp(
  daemon: ProjectionDaemon,
  events: EventStore,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = await events.headPosition();
    const done = daemon
      .report()
      .every(
        (projection) =>
          projection.status === 'live' &&
          !daemon.runner(projection.name).rebuilding &&
          (head === undefined ||
            (projection.position !== null &&
              events.comparePositions(projection.position, head) >= 0)),
      );
    if (done) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Projections did not catch up with ${head}: ${JSON.stringify(daemon.report())}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
