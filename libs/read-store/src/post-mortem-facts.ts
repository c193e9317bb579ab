import {
  groupKey,
  isPostMortemRequired,
  type KpiGrouping,
  type PostMortemTrigger,
} from '@ledger/domain';
import type { PostMortemDocument } from './read-models';

export const POST_MORTEM_STATES = ['missing', 'open', 'complete'] as const;
/** `missing`: none recorded; `open`: recorded, an action still open; `complete`: recorded, none open. */
export type PostMortemState = (typeof POST_MORTEM_STATES)[number];

export function postMortemStateOf(doc: PostMortemDocument): PostMortemState {
  if (!doc.postMortem) return 'missing';
  return doc.postMortem.completedAt === null ? 'open' : 'complete';
}

/** The post-mortem's root cause, which corrects the resolution's. */
export function rootCauseOf(doc: PostMortemDocument): string | null {
  return doc.postMortem?.rootCause ?? doc.resolutionRootCause;
}

/** The distinct due dates of its open actions, earliest first: what overdue alerts look up. */
export function openDueDates(doc: PostMortemDocument): string[] {
  const dates = new Set(
    (doc.postMortem?.actions ?? [])
      .filter((action) => action.state === 'open')
      .map((action) => action.dueDate),
  );
  return [...dates].sort();
}

/**
 * When a post-mortem on the ticket's root cause was first complete, if the
 * ticket was escalated after it: a repeat escalation, learning that did not hold.
 * `completions`: per root cause, when a post-mortem naming it was first complete.
 */
export function repeatedAfter(
  doc: PostMortemDocument,
  completions: ReadonlyMap<string, string>,
): string | undefined {
  const rootCause = rootCauseOf(doc);
  const completed = rootCause === null ? undefined : completions.get(rootCause);
  if (completed === undefined || doc.lastEscalatedAt === null) return undefined;
  return doc.lastEscalatedAt > completed ? completed : undefined;
}

/** The post-mortem KPIs' counts that need no clock, over a group of escalated tickets. */
export interface PostMortemCounts {
  /** Ended tickets `requiredBy` asks a post-mortem of. */
  required: number;
  /** Of those, the ones with a post-mortem recorded. */
  covered: number;
  /** Escalated after a post-mortem on their root cause was complete. */
  repeatEscalations: number;
}

export interface PostMortemCountsOfGroup extends PostMortemCounts {
  /** The group key (`groupKey`); null without a grouping. */
  key: string | null;
}

/** Adds one escalated ticket: the definition every store's counts must agree with. */
export function addToPostMortemCounts(
  counts: PostMortemCounts,
  doc: PostMortemDocument,
  requiredBy: readonly PostMortemTrigger[],
  completions: ReadonlyMap<string, string>,
): void {
  if (doc.endedAt !== null && isPostMortemRequired(doc, requiredBy)) {
    counts.required++;
    if (doc.postMortem) counts.covered++;
  }
  if (repeatedAfter(doc, completions) !== undefined) counts.repeatEscalations++;
}

/** Counts escalated tickets per group in memory, for a store that cannot count them itself. */
export class PostMortemCounter {
  private readonly groups = new Map<string | null, PostMortemCountsOfGroup>();

  constructor(
    private readonly grouping: KpiGrouping | undefined,
    private readonly requiredBy: readonly PostMortemTrigger[],
    private readonly completions: ReadonlyMap<string, string>,
  ) {}

  add(doc: PostMortemDocument): void {
    const key = this.grouping ? groupKey(doc, this.grouping) : null;
    addToPostMortemCounts(this.groupOf(key), doc, this.requiredBy, this.completions);
  }

  /** One per group met; without a grouping, always the one. */
  counts(): PostMortemCountsOfGroup[] {
    if (!this.grouping) this.groupOf(null);
    return [...this.groups.values()];
  }

  private groupOf(key: string | null): PostMortemCountsOfGroup {
    let counts = this.groups.get(key);
    if (!counts)
      this.groups.set(key, (counts = { key, required: 0, covered: 0, repeatEscalations: 0 }));
    return counts;
  }
}
