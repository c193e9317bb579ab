import type { Document } from 'mongodb';
import { openedTicketFacts } from '../../../../test/support/escalation-facts';
import { KPI_GROUPINGS, tallyEscalations, type EscalationTallies } from '@ledger/domain';
import type { EscalationFacts } from '../read-models';
import { encodeDocument } from './mongo-documents';
import { durationsQuery, rootCausePipeline, talliesOf, tallyPipeline } from './mongo-tallies';

function at(doc: Document, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Document)?.[key], doc);
}

/** The `$group` of `tallyPipeline`, over every stored document: only `$sum`s of a field. */
function groupSums(pipeline: Document[], stored: Document[]): Document[] {
  const { _id: keyPath, ...accumulators } = pipeline[1]?.$group as Document;
  const results = new Map<unknown, Document>();
  for (const doc of stored) {
    const key = keyPath === null ? null : at(doc, (keyPath as string).slice(1));
    const result = results.get(key) ?? { _id: key };
    for (const [field, accumulator] of Object.entries(accumulators)) {
      expect(Object.keys(accumulator as Document)).toEqual(['$sum']);
      const summed = at(doc, ((accumulator as Document).$sum as string).slice(1)) as number;
      result[field] = ((result[field] as number | undefined) ?? 0) + summed;
    }
    results.set(key, result);
  }
  return [...results.values()];
}

/** `rootCausePipeline` over every stored document: a match on the share, a `$sum` per key and cause. */
function rootCauseSums(pipeline: Document[], stored: Document[]): Document[] {
  expect(pipeline[0]?.$match).toEqual({ rootCause: { $ne: null } });
  const { _id: idPaths, escalations } = pipeline[1]?.$group as Document;
  const results = new Map<string, Document>();
  for (const doc of stored) {
    if (doc.rootCause === null) continue;
    const _id = {
      key: idPaths.key === null ? null : at(doc, (idPaths.key as string).slice(1)),
      rootCause: at(doc, (idPaths.rootCause as string).slice(1)),
    };
    const result = results.get(JSON.stringify(_id)) ?? { _id, escalations: 0 };
    result.escalations += at(doc, (escalations.$sum as string).slice(1)) as number;
    results.set(JSON.stringify(_id), result);
  }
  return [...results.values()];
}

/** The documents `durationsQuery` finds among `stored`, with its projection applied. */
function* foundDurations(stored: Document[], grouping?: (typeof KPI_GROUPINGS)[number]) {
  const { filter, projection } = durationsQuery({}, grouping);
  expect(filter).toEqual({ toResolutionMs: { $ne: null } });
  expect(projection._id).toBe(0);
  for (const doc of stored) {
    if (doc.toResolutionMs === null) continue;
    yield grouping
      ? { toResolutionMs: doc.toResolutionMs, keys: { [grouping]: at(doc, `keys.${grouping}`) } }
      : { toResolutionMs: doc.toResolutionMs };
  }
}

function escalatedAndResolved(
  ticketId: string,
  category: string,
  minutes: number,
  rootCause: string,
) {
  const escalatedAt = Date.parse('2025-03-01T10:00:00.000Z');
  return openedTicketFacts({
    ticketId,
    category,
    escalationCount: 1,
    firstEscalatedAt: new Date(escalatedAt).toISOString(),
    escalationReasons: { complexity: 1 },
    assigneeAtFirstEscalation: 'a-1',
    resolved: true,
    resolvedTier: 'L2',
    lastResolvedAt: new Date(escalatedAt + minutes * 60_000).toISOString(),
    rootCause,
  });
}

const TICKETS: EscalationFacts[] = [
  openedTicketFacts({ ticketId: 't-1', category: 'billing' }),
  escalatedAndResolved('t-2', 'billing', 90, 'expired-credentials'),
  escalatedAndResolved('t-3', 'account', 15, 'typo'),
  escalatedAndResolved('t-4', 'billing', 45, 'expired-credentials'),
  openedTicketFacts({ ticketId: 't-5', category: 'account', escalationCount: 2 }),
];

function inAnyOrder({ totals, groups }: EscalationTallies) {
  const sorted = (ms: number[]) => [...ms].sort((a, b) => a - b);
  return {
    totals: { ...totals, escalationToResolutionMs: sorted(totals.escalationToResolutionMs) },
    groups: groups.map(({ key, tally }) => ({
      key,
      tally: { ...tally, escalationToResolutionMs: sorted(tally.escalationToResolutionMs) },
    })),
  };
}

describe('escalation tallies in MongoDB', () => {
  const stored = TICKETS.map((facts) => encodeDocument('escalation-kpis', facts.ticketId, facts));

  it.each([undefined, ...KPI_GROUPINGS])(
    'sum shares in the pipeline and read durations apart, as tallyEscalations counts (grouping %s)',
    async (grouping) => {
      const sums = groupSums(tallyPipeline({}, grouping), stored);
      const rootCauses = rootCauseSums(rootCausePipeline({}, grouping), stored);

      const tallies = await talliesOf(sums, rootCauses, foundDurations(stored, grouping), grouping);

      expect(inAnyOrder(tallies)).toEqual(inAnyOrder(tallyEscalations(TICKETS, grouping)));
    },
  );

  it('answer no group that the sums did not see, whatever the durations or root causes read after them', async () => {
    const sums = groupSums(tallyPipeline({}, 'category'), stored.slice(0, 2));
    const rootCauses = rootCauseSums(rootCausePipeline({}, 'category'), stored);

    const tallies = await talliesOf(
      sums,
      rootCauses,
      foundDurations(stored, 'category'),
      'category',
    );

    expect(tallies.groups.map(({ key }) => key)).toEqual(['billing']);
  });
});
