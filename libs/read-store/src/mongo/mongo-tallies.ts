import type { Document } from 'mongodb';
import {
  TALLY_NUMBER_PATHS,
  talliesOfGroups,
  tallyOfNumbers,
  type EscalationTallies,
  type EscalationTally,
  type KpiGrouping,
} from '@ledger/domain';
import type { CohortRange } from '../read-store';

/** A `$group` output field may not contain a dot. */
const fieldOf = (path: string) => `s_${path.replace(/\./g, '_')}`;

/** Tickets opened in [from, to). */
export function cohortFilter(range: CohortRange): Document {
  const openedAt: Document = {};
  if (range.from !== undefined) openedAt.$gte = range.from;
  if (range.to !== undefined) openedAt.$lt = range.to;
  return Object.keys(openedAt).length > 0 ? { openedAt } : {};
}

/** One result per group (one in all without a grouping): each ticket's share summed. */
export function tallyPipeline(range: CohortRange, grouping?: KpiGrouping): Document[] {
  const group: Document = { _id: grouping ? `$keys.${grouping}` : null };
  for (const path of TALLY_NUMBER_PATHS) group[fieldOf(path)] = { $sum: `$share.${path}` };
  return [{ $match: cohortFilter(range) }, { $group: group }];
}

/**
 * Per group and root cause, the escalations the tickets add under it: one
 * small result each, the root causes being free text of unknown number.
 */
export function rootCausePipeline(range: CohortRange, grouping?: KpiGrouping): Document[] {
  return [
    { $match: { ...cohortFilter(range), rootCause: { $ne: null } } },
    {
      $group: {
        _id: { key: grouping ? `$keys.${grouping}` : null, rootCause: '$rootCause.rootCause' },
        escalations: { $sum: '$rootCause.escalations' },
      },
    },
  ];
}

/**
 * The escalation-to-resolution times, one small document per ticket that has
 * one, with its group's key. They are read through a cursor, a batch at a
 * time: collected into one group's result (`$push`), they would stop the
 * pipeline at BSON's 16 MB, about a million tickets.
 */
export function durationsQuery(
  range: CohortRange,
  grouping?: KpiGrouping,
): { filter: Document; projection: Document } {
  const projection: Document = { _id: 0, toResolutionMs: 1 };
  if (grouping) projection[`keys.${grouping}`] = 1;
  return { filter: { ...cohortFilter(range), toResolutionMs: { $ne: null } }, projection };
}

/** A result of `tallyPipeline` as a tally, without durations. */
function tallyOfGroup(result: Document): EscalationTally {
  return tallyOfNumbers(TALLY_NUMBER_PATHS.map((path) => result[fieldOf(path)] as number));
}

/**
 * The tallies from the results of `tallyPipeline` and `rootCausePipeline`
 * and the documents of `durationsQuery`.
 */
export async function talliesOf(
  sums: readonly Document[],
  rootCauses: readonly Document[],
  durations: AsyncIterable<Document> | Iterable<Document>,
  grouping?: KpiGrouping,
): Promise<EscalationTallies> {
  const byKey = new Map<string | null, EscalationTally>();
  for (const result of sums) byKey.set(result._id as string | null, tallyOfGroup(result));
  for (const { _id, escalations } of rootCauses) {
    const { key, rootCause } = _id as { key: string | null; rootCause: string };
    const tally = byKey.get(key);
    if (tally) tally.escalationsByRootCause[rootCause] = escalations as number;
  }
  for await (const row of durations) {
    const key = grouping ? (row.keys as Record<KpiGrouping, string>)[grouping] : null;
    // The two reads are not one snapshot (nor are the SQLite store's two
    // queries): a group first stored between them is left out, not answered
    // with durations and no counts.
    byKey.get(key)?.escalationToResolutionMs.push(row.toResolutionMs as number);
  }
  return talliesOfGroups(byKey, grouping);
}
