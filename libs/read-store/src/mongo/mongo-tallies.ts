import type { Document } from 'mongodb';
import { emptyTally, type EscalationTally, type KpiGrouping } from '../escalation-tallies';
import type { CohortRange } from '../read-store';

/** Every number of a tally share, as a path under `share` (`resolvedByTier.L1`). */
function numericPaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'number') return [prefix];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    numericPaths(inner, prefix ? `${prefix}.${key}` : key),
  );
}

/** The list of durations is no number: it is collected, not summed. */
const SHARE_PATHS = numericPaths(emptyTally());

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
  for (const path of SHARE_PATHS) group[fieldOf(path)] = { $sum: `$share.${path}` };
  group.durations = { $push: '$toResolutionMs' };
  return [{ $match: cohortFilter(range) }, { $group: group }];
}

/** A result of `tallyPipeline` as a tally. */
export function tallyOfGroup(result: Document): EscalationTally {
  const tally = emptyTally();
  for (const path of SHARE_PATHS) {
    const keys = path.split('.');
    let target = tally as unknown as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[keys[keys.length - 1]] = Number(result[fieldOf(path)] ?? 0);
  }
  for (const ms of result.durations as (number | null)[]) {
    if (ms !== null) tally.escalationToResolutionMs.push(ms);
  }
  return tally;
}
