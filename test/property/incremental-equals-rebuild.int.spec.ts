import fc from 'fast-check';
import { foldTicket, TIERS, type Ticket } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { ProjectionDaemon, type ProjectionRunnerOptions } from '@ledger/projections';
import type { ReadStore } from '@ledger/read-store';
import { caughtUp } from './support/projection-sync';
import { expectedAlerts, expectedQueue, expectedWorkloads } from './support/read-model-oracle';
import { QUEUE_FILTERS, queueLabel, snapshotReadModels } from './support/read-model-snapshot';
import { appendAccepted, decideScenario } from './support/scenario-log';
import { describeForEachReadStore, openTempStores } from './support/temp-stores';
import { scenario } from './support/ticket-commands.arbitrary';
import { nth } from '../support/elements';

/**
 * How the accepted commands reach the log and the projections follow it:
 * chunks of appends sent together (and sometimes waited for), small batches,
 * and, after some chunk, a rebuild and a restart of the second follower.
 */
const followPlan = fc.record({
  chunks: fc.array(fc.record({ size: fc.integer({ min: 1, max: 8 }), settle: fc.boolean() }), {
    minLength: 1,
    maxLength: 10,
  }),
  batchSize: fc.integer({ min: 1, max: 7 }),
  secondBatchSize: fc.integer({ min: 1, max: 7 }),
  // Small enough that writers commit before the head and reload what they evicted.
  maxUncommittedDocuments: fc.integer({ min: 1, max: 4 }),
  cachedDocuments: fc.integer({ min: 0, max: 4 }),
  rebuildAfterChunk: fc.nat({ max: 12 }),
  restartAfterChunk: fc.nat({ max: 12 }),
});

async function started(
  events: EventStore,
  readStore: ReadStore,
  options: ProjectionRunnerOptions,
): Promise<ProjectionDaemon> {
  const daemon = new ProjectionDaemon(events, readStore, options);
  await daemon.start();
  return daemon;
}

describeForEachReadStore('projections followed incrementally', (adapter) => {
  it('equal the projections rebuilt from zero, whatever the batch, append, rebuild and restart boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(scenario({ automation: true }), followPlan, async (generated, plan) => {
        const stores = await openTempStores(adapter);
        const errors: string[] = [];
        const onError = (name: string, error: unknown) => errors.push(`${name}: ${String(error)}`);
        const options = (batchSize?: number) => ({
          batchSize,
          maxUncommittedDocuments: plan.maxUncommittedDocuments,
          cachedDocuments: plan.cachedDocuments,
          retryDelayMs: 5,
          onError,
        });
        const daemons: ProjectionDaemon[] = [];
        try {
          const decided = decideScenario(generated);
          // Follows the log from before the first append, on the log's own file.
          const following = await started(stores.events, stores.readStore, options(plan.batchSize));
          daemons.push(following);
          // Follows it too, but is told to rebuild part-way and restarted part-way, while appends go on.
          const secondStore = await stores.openFreshReadStore();
          let second = await started(stores.events, secondStore, options(plan.secondBatchSize));
          daemons.push(second);

          let next = 0;
          for (let chunk = 0; next < decided.accepted.length; chunk++) {
            const { size, settle } = nth(plan.chunks, chunk % plan.chunks.length);
            const appends = decided.accepted
              .slice(next, next + size)
              .map((command) => appendAccepted(stores.events, command));
            next += size;
            await Promise.all(appends);
            if (chunk === plan.rebuildAfterChunk) {
              for (const { name } of second.report()) second.runner(name).startRebuild();
            }
            if (chunk === plan.restartAfterChunk) {
              await second.stop();
              second = await started(stores.events, secondStore, options(plan.secondBatchSize));
              daemons.push(second);
            }
            if (settle) await caughtUp(following, stores.events);
          }
          await caughtUp(following, stores.events);
          await caughtUp(second, stores.events);

          const freshStore = await stores.openFreshReadStore();
          const fromZero = await started(stores.events, freshStore, { retryDelayMs: 5, onError });
          daemons.push(fromZero);
          await caughtUp(fromZero, stores.events);

          const expected = await snapshotReadModels(freshStore, decided.ticketIds);
          expect(await snapshotReadModels(stores.readStore, decided.ticketIds)).toEqual(expected);
          expect(await snapshotReadModels(secondStore, decided.ticketIds)).toEqual(expected);

          // And what they say is what the domain's fold of each ticket says.
          const folded: Ticket[] = [];
          for (const id of decided.ticketIds) {
            const ticket = foldTicket(decided.histories.get(id) ?? []);
            expect(expected.tickets[id]).toEqual(ticket);
            if (ticket) folded.push(ticket);
          }
          for (const tier of TIERS) {
            for (const filter of QUEUE_FILTERS) {
              const label = queueLabel(tier, filter);
              expect({ label, queue: expected.queues[label] }).toEqual({
                label,
                queue: expectedQueue(folded, { tier, ...filter }),
              });
            }
          }
          expect(expected.workloads).toEqual(expectedWorkloads(folded));
          expect(expected.alerts).toEqual(expectedAlerts(folded));
          expect(errors).toEqual([]);
        } finally {
          for (const daemon of daemons.reverse()) await daemon.stop();
          await stores.cleanup();
        }
      }),
      { numRuns: 100 },
    );
  }, 240_000);
});
