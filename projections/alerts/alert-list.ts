import type { SlaTarget } from '@ledger/domain';
import type { AlertDocument } from '@ledger/read-store';

export interface Alert {
  kind: 'sla_breach' | 'sla_warning' | 'idle';
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

export interface AlertCandidates {
  /** Per priority, the tickets idle past its threshold, and the threshold. */
  idle: { thresholdMs: number; tickets: AlertDocument[] }[];
  /** The tickets with an SLA mark. */
  marked: AlertDocument[];
}

function alertOf(doc: AlertDocument, kind: Alert['kind'], since: string): Alert {
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

/** One alert per ticket and kind, the latest to begin first (then by ticket id), at most `limit`. */
export function alertList({ idle, marked }: AlertCandidates, limit: number): Alert[] {
  const alerts = [
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
      a.since < b.since ? 1 : a.since > b.since ? -1 : a.ticketId < b.ticketId ? -1 : 1,
    )
    .slice(0, limit);
}
