import fc from 'fast-check';
import { POST_MORTEM_TRIGGERS } from '@ledger/domain';
import {
  computeEscalationKpis,
  escalationKpisWithPostMortems,
  KPI_GROUPINGS,
  kpisFromTallies,
  ProjectionDaemon,
} from '@ledger/projections';
import type { CohortRange } from '@ledger/read-store';
import { bruteForceKpis, cohort } from './support/brute-force-kpis';
import { bruteForcePostMortemKpis } from './support/brute-force-post-mortems';
import {
  appendWithPostMortems,
  decidePostMortems,
  postMortemSteps,
} from './support/post-mortem-scenario';
import { caughtUp } from './support/projection-sync';
import { decideScenario } from './support/scenario-log';
import { describeForEachReadStore, openTempStores } from './support/temp-stores';
import { scenario } from './support/ticket-commands.arbitrary';
import { nth } from '../support/elements';

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
  const at = Date.parse(nth(instants, choice.step % instants.length)) + choice.shiftMs;
  return new Date(at).toISOString();
}

/** When a window has no end, overdue actions are counted at this instant, days into the scenarios. */
const NOW = '2026-01-12T00:00:00.000Z';

/** Clients, the SLA clock and the assigner at work, some tickets opened before SLA policies. */
const scenarios = scenario({ automation: true });

describeForEachReadStore('escalation KPIs from the read side', (adapter) => {
  it('equal a brute-force computation from the events, post-mortems included, for any cohort window and grouping', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarios,
        postMortemSteps,
        fc.subarray([...POST_MORTEM_TRIGGERS]),
        bound,
        bound,
        async (generated, postMortemPlan, requiredBy, fromChoice, toChoice) => {
          const decided = decideScenario(generated);
          const postMortems = decidePostMortems(decided, postMortemPlan);
          const stores = await openTempStores(adapter);
          const daemon = new ProjectionDaemon(stores.events, stores.readStore, {
            batchSize: 5,
          });
          try {
            await appendWithPostMortems(stores.events, decided, postMortems);
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
                // And the post-mortem KPIs beside them, counted as of the window's end or a fixed now.
                const asOf = range.to ?? NOW;
                const world = {
                  postMortems: postMortems.histories,
                  tickets: decided.histories,
                  requiredBy,
                  asOf,
                };
                const postMortemKpis = bruteForcePostMortemKpis(tickets, world, grouping);
                const withPostMortems = await escalationKpisWithPostMortems(
                  stores.readStore,
                  range,
                  grouping,
                  { requiredBy, asOf },
                );
                expect({ range, grouping, ...withPostMortems }).toEqual({
                  range,
                  grouping,
                  totals: { ...expected.totals, postMortems: postMortemKpis.totals },
                  groups: expected.groups.map((group) => ({
                    ...group,
                    postMortems: postMortemKpis.groups.get(group.key),
                  })),
                });
              }
            }
          } finally {
            await daemon.stop();
            await stores.cleanup();
          }
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);
});
