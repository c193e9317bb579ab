import {
  addBusinessDays,
  isOverdue,
  POST_MORTEM_GRACE_BUSINESS_DAYS,
  triggersOf,
  type PostMortemTrigger,
} from '@ledger/domain';
import { postMortemStateOf, rootCauseOf, type PostMortemDocument } from '@ledger/read-store';
import type { PostMortemListItemDto } from './post-mortem-view.dto';

/** One line of `GET /v1/post-mortems`, as of `asOf`. */
export function postMortemListItem(
  doc: PostMortemDocument,
  requiredBy: readonly PostMortemTrigger[],
  asOf: string,
): PostMortemListItemDto {
  const state = postMortemStateOf(doc);
  const triggers = triggersOf(doc);
  const actions = doc.postMortem?.actions ?? [];
  const open = actions.filter((action) => action.state === 'open');
  return {
    ticketId: doc.ticketId,
    state,
    required: triggers.some((trigger) => requiredBy.includes(trigger)),
    triggers,
    priority: doc.priority,
    category: doc.category,
    escalationCount: doc.escalationCount,
    openedAt: doc.openedAt,
    endedAt: doc.endedAt,
    rootCause: rootCauseOf(doc),
    ...(state === 'missing' &&
      doc.endedAt !== null && {
        dueBy: addBusinessDays(doc.endedAt, POST_MORTEM_GRACE_BUSINESS_DAYS),
      }),
    actions: {
      total: actions.length,
      open: open.length,
      overdue: open.filter((action) => isOverdue(action.dueDate, asOf)).length,
    },
    ...(doc.postMortem?.completedAt && { completedAt: doc.postMortem.completedAt }),
  };
}
