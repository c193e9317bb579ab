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
