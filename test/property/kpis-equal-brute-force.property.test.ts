import fc from 'fast-check';
import {
  computeEscalationKpis,
  KPI_GROUPINGS,
  kpisFromTallies,
  ProjectionDaemon,
} from '@ledger/projections';
import type { CohortRange } from '@ledger/read-store';
import { bruteForceKpis, cohort } from './support/brute-force-kpis';
import { caughtUp } from './support/projection-sync';
import { appendAccepted, decideScenario } from './support/scenario-log';
import { describeForEachReadStore, openTempStores } from './support/temp-stores';
import { scenario } from './support/ticket-commands.arbitrary';

/**
 * A window bound: the instant of one of the steps (picked modulo their
 * number), a millisecond before, at or after it, so bounds land on opening
 * instants as often as between them.
 */
const bound = fc.option(fc.record({ step: fc.nat(), shiftMs: fc.constantFrom(-1, 0, 1) }), {
  nil: undefined,
  freq: 4,
});

type Bound = { step: number; shiftMs: number } | undefined;

function instantOf(choice: Bound, instants: readonly string[]): string | undefined {
  if (choice === undefined) return undefined;
  const at = Date.parse(instants[choice.step % instants.length]) + choice.shiftMs;
  return new Date(at).toISOString();
}

/** Clients, the SLA clock and the assigner at work, some tickets opened before SLA policies. */
const scenarios = scenario({ automation: true });

describeForEachReadStore('escalation KPIs from the read side', (adapter) => {
  it('equal a brute-force computation from the events, for any cohort window and grouping', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, bound, bound, async (generated, fromChoice, toChoice) => {
        const decided = decideScenario(generated);
        const stores = await openTempStores(adapter);
        const daemon = new ProjectionDaemon(stores.events, stores.readStore, {
          batchSize: 5,
        });
        try {
          for (const command of decided.accepted) await appendAccepted(stores.events, command);
          await daemon.start();
          await caughtUp(daemon, stores.events);

          const window: CohortRange = {
            from: instantOf(fromChoice, decided.instants),
            to: instantOf(toChoice, decided.instants),
          };
          for (const range of [{}, window]) {
            const tickets = cohort(decided.histories.values(), range);
            const facts = await stores.readStore.escalationFacts(range);
            for (const grouping of [undefined, ...KPI_GROUPINGS]) {
              const expected = { range, grouping, ...bruteForceKpis(tickets, grouping) };
              expect({ range, grouping, ...computeEscalationKpis(facts, grouping) }).toEqual(
                expected,
              );
              // What the API answers: the store's own tallies, summed without reading the facts.
              const tallies = await stores.readStore.escalationTallies(range, grouping);
              expect({ range, grouping, ...kpisFromTallies(tallies) }).toEqual(expected);
            }
          }
        } finally {
          await daemon.stop();
          await stores.cleanup();
        }
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
