import type { Document } from 'mongodb';
import {
  TALLY_NUMBER_PATHS,
  tallyOfNumbers,
  type EscalationTally,
  type KpiGrouping,
} from '../escalation-tallies';
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

/**
 * One result per group (one in all without a grouping): each ticket's share
 * summed, and the escalation-to-resolution durations collected.
 */
export function tallyPipeline(range: CohortRange, grouping?: KpiGrouping): Document[] {
  const group: Document = { _id: grouping ? `$keys.${grouping}` : null };
  for (const path of TALLY_NUMBER_PATHS) group[fieldOf(path)] = { $sum: `$share.${path}` };
  group.durations = { $push: '$toResolutionMs' };
  return [{ $match: cohortFilter(range) }, { $group: group }];
}

/** A result of `tallyPipeline` as a tally. */
export function tallyOfGroup(result: Document): EscalationTally {
  const tally = tallyOfNumbers(TALLY_NUMBER_PATHS.map((path) => result[fieldOf(path)] as number));
  for (const ms of result.durations as (number | null)[]) {
    if (ms !== null) tally.escalationToResolutionMs.push(ms);
  }
  return tally;
}
