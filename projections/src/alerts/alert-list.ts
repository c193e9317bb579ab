import {
  addBusinessDays,
  overdueFrom,
  POST_MORTEM_GRACE_BUSINESS_DAYS,
  type SlaTarget,
} from '@ledger/domain';
import type { AlertDocument, OverdueActions, PostMortemDocument } from '@ledger/read-store';

export const TICKET_ALERT_KINDS = ['sla_breach', 'sla_warning', 'idle'] as const;
export const POST_MORTEM_ALERT_KINDS = ['post_mortem_missing', 'action_overdue'] as const;

/** An alert about a ticket still worked on. */
export interface TicketAlert {
  kind: (typeof TICKET_ALERT_KINDS)[number];
  /** When the alert began: the SLA mark, or the moment the ticket had been idle for its threshold. */
  since: string;
  ticketId: string;
  priority: AlertDocument['priority'];
  tier: AlertDocument['tier'];
  status: AlertDocument['status'];
  assigneeId: string | null;
  lastActivityAt: string;
  /** The SLA target warned about or breached. */
  target?: SlaTarget;
}

/** An alert about what an escalation left to do: its post-mortem, or an action of it. */
export interface PostMortemAlert {
  kind: (typeof POST_MORTEM_ALERT_KINDS)[number];
  /** When the grace of 5 business days after the ticket ended ran out, or when the action became overdue. */
  since: string;
  ticketId: string;
  priority: PostMortemDocument['priority'];
  tier: PostMortemDocument['tier'];
  /** post_mortem_missing: when the ticket was resolved or closed. */
  endedAt?: string;
  /** action_overdue: the action, its owner and its due date. */
  actionId?: string;
  owner?: string;
  dueDate?: string;
  target?: undefined;
}

export type Alert = TicketAlert | PostMortemAlert;

/** The alerts of required post-mortems still missing, and of overdue actions, per action. */
export function postMortemAlerts(
  missing: readonly PostMortemDocument[],
  overdue: readonly OverdueActions[],
): PostMortemAlert[] {
  const base = (doc: PostMortemDocument) => ({
    ticketId: doc.ticketId,
    priority: doc.priority,
    tier: doc.tier,
  });
  return [
    ...missing.map((doc): PostMortemAlert => ({
      kind: 'post_mortem_missing',
      since: addBusinessDays(doc.endedAt!, POST_MORTEM_GRACE_BUSINESS_DAYS),
      ...base(doc),
      endedAt: doc.endedAt!,
    })),
    ...overdue.flatMap(({ doc, dueDate }) =>
      (doc.postMortem?.actions ?? [])
        .filter((action) => action.state === 'open' && action.dueDate === dueDate)
        .map((action): PostMortemAlert => ({
          kind: 'action_overdue',
          since: overdueFrom(dueDate),
          ...base(doc),
          actionId: action.actionId,
          owner: action.owner,
          dueDate,
        })),
    ),
  ];
}

export interface AlertCandidates {
  /** Per priority, the tickets idle past its threshold, and the threshold. */
  idle: { thresholdMs: number; tickets: AlertDocument[] }[];
  /** The tickets with an SLA mark. */
  marked: AlertDocument[];
  /** From `postMortemAlerts`. */
  postMortems?: PostMortemAlert[];
}

function alertOf(doc: AlertDocument, kind: TicketAlert['kind'], since: string): TicketAlert {
  const { ticketId, priority, tier, status, assigneeId, lastActivityAt } = doc;
  return {
    kind,
    since,
    ticketId,
    priority,
    tier,
    status,
    assigneeId,
    lastActivityAt,
    ...(kind !== 'idle' && doc.sla && { target: doc.sla.target }),
  };
}

const actionIdOf = (alert: Alert) => ('actionId' in alert ? (alert.actionId ?? '') : '');

/** One alert per ticket and kind, the latest to begin first (then by ticket id), at most `limit`. */
export function alertList(
  { idle, marked, postMortems = [] }: AlertCandidates,
  limit: number,
): Alert[] {
  const alerts: Alert[] = [
    ...postMortems,
    ...marked.map((doc) =>
      alertOf(doc, doc.sla!.mark === 'breach' ? 'sla_breach' : 'sla_warning', doc.sla!.at),
    ),
    ...idle.flatMap(({ thresholdMs, tickets }) =>
      tickets.map((doc) =>
        alertOf(doc, 'idle', new Date(Date.parse(doc.lastActivityAt) + thresholdMs).toISOString()),
      ),
    ),
  ];
  return alerts
    .sort((a, b) =>
      a.since < b.since
        ? 1
        : a.since > b.since
          ? -1
          : a.ticketId < b.ticketId
            ? -1
            : a.ticketId > b.ticketId
              ? 1
              : actionIdOf(a) < actionIdOf(b)
                ? -1
                : 1,
    )
    .slice(0, limit);
}
