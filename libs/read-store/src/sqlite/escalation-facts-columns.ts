import {
  ESCALATION_REASONS,
  TIERS,
  type EscalationReason,
  type Priority,
  type Tier,
} from '@ledger/domain';
import {
  escalationToResolutionMs,
  groupKey,
  rootCauseShare,
  TALLY_NUMBER_PATHS,
  tallyNumbers,
  ticketShare,
} from '@ledger/domain';
import type { EscalationFacts } from '../read-models';
import type { ColumnDefinition } from './read-model-tables';
import { decodeSla, encodeSla, SLA_COLUMNS } from './sla-columns';
import type { SqlValue } from './sql-query';

const lower = (value: string) => value.toLowerCase();

export const reasonColumn = (reason: EscalationReason) => `escalations_${reason}`;
export const dwellMinutesColumn = (tier: Tier) => `dwell_minutes_${lower(tier)}`;
/** The column of one number of the ticket's tally share (`resolvedByTier.L1` → `share_resolvedByTier_L1`). */
export const shareColumn = (path: string) => `share_${path.replace(/\./g, '_')}`;

/**
 * The escalation facts of a ticket, one column each, so the KPI table is
 * computed by SQL over the columns instead of by parsing every document.
 * Optional record entries are NULL when absent.
 */
const DOCUMENT_COLUMNS: readonly ColumnDefinition[] = [
  { name: 'opened_at', type: 'TEXT' },
  { name: 'category', type: 'TEXT' },
  { name: 'channel', type: 'TEXT' },
  { name: 'priority', type: 'TEXT' },
  { name: 'tier', type: 'TEXT' },
  { name: 'first_assignee_id', type: 'TEXT' },
  { name: 'current_assignee_id', type: 'TEXT' },
  { name: 'assignee_at_first_escalation', type: 'TEXT' },
  { name: 'escalation_count', type: 'INTEGER' },
  { name: 'first_escalated_at', type: 'TEXT' },
  ...ESCALATION_REASONS.map((reason) => ({ name: reasonColumn(reason), type: 'INTEGER' as const })),
  { name: 'resolved', type: 'INTEGER' },
  { name: 'last_resolved_at', type: 'TEXT' },
  { name: 'resolved_tier', type: 'TEXT' },
  { name: 'escalation_necessary', type: 'INTEGER' },
  { name: 'reopened', type: 'INTEGER' },
  { name: 'closed', type: 'INTEGER' },
  { name: 'feedback_score', type: 'INTEGER' },
  ...TIERS.map((tier) => ({ name: dwellMinutesColumn(tier), type: 'REAL' as const })),
  { name: 'stay_tier', type: 'TEXT' },
  { name: 'stay_entered_at', type: 'TEXT' },
  // NULL when the document's ticketId is the id it is stored under, as it always is.
  { name: 'ticket_id', type: 'TEXT' },
  { name: 'first_assigned_at', type: 'TEXT' },
  { name: 'auto_escalation_count', type: 'INTEGER' },
  { name: 'last_resolution_due_at', type: 'TEXT' },
  { name: 'root_cause', type: 'TEXT' },
  ...SLA_COLUMNS,
];

/**
 * Derived from the facts for the KPI tallies, never decoded: the ticket's
 * share of a tally (see `ticketShare`), so a tally is plain sums of columns,
 * its escalation-to-resolution time, its keys under the agent and week
 * groupings, and what it adds under its root cause (`rootCauseShare`).
 */
const DERIVED_COLUMNS: readonly ColumnDefinition[] = [
  ...TALLY_NUMBER_PATHS.map((path) => ({ name: shareColumn(path), type: 'INTEGER' as const })),
  { name: 'escalation_to_resolution_ms', type: 'INTEGER' },
  { name: 'kpi_agent', type: 'TEXT' },
  { name: 'kpi_week', type: 'TEXT' },
  { name: 'kpi_root_cause', type: 'TEXT' },
  { name: 'kpi_root_cause_escalations', type: 'INTEGER' },
];

export const ESCALATION_FACTS_COLUMNS: readonly ColumnDefinition[] = [
  ...DOCUMENT_COLUMNS,
  ...DERIVED_COLUMNS,
];

/** The columns `decodeEscalationFacts` reads, in order: all but the derived ones. */
export const ESCALATION_FACTS_DOCUMENT_COLUMNS = DOCUMENT_COLUMNS.map((column) => column.name);

function flag(value: boolean | null): number | null {
  return value === null ? null : value ? 1 : 0;
}

export function encodeEscalationFacts(id: string, facts: EscalationFacts): SqlValue[] {
  const rootCause = rootCauseShare(facts);
  return [
    facts.openedAt,
    facts.category,
    facts.channel,
    facts.priority,
    facts.tier,
    facts.firstAssigneeId,
    facts.currentAssigneeId,
    facts.assigneeAtFirstEscalation,
    facts.escalationCount,
    facts.firstEscalatedAt,
    ...ESCALATION_REASONS.map((reason) => facts.escalationReasons[reason] ?? null),
    flag(facts.resolved),
    facts.lastResolvedAt,
    facts.resolvedTier,
    flag(facts.escalationNecessary),
    flag(facts.reopened),
    flag(facts.closed),
    facts.feedbackScore,
    ...TIERS.map((tier) => facts.tierDwellMinutes[tier] ?? null),
    facts.currentStay?.tier ?? null,
    facts.currentStay?.enteredAt ?? null,
    facts.ticketId === id ? null : facts.ticketId,
    facts.firstAssignedAt,
    facts.autoEscalationCount,
    facts.lastResolutionDueAt,
    facts.rootCause,
    ...encodeSla(facts.sla),
    ...tallyNumbers(ticketShare(facts)),
    escalationToResolutionMs(facts),
    groupKey(facts, 'agent'),
    groupKey(facts, 'week'),
    rootCause?.rootCause ?? null,
    rootCause?.escalations ?? null,
  ];
}

/** `row` holds the id, then the document columns in order. */
export function decodeEscalationFacts(row: SqlValue[]): EscalationFacts {
  let at = 11;
  const escalationReasons: EscalationFacts['escalationReasons'] = {};
  for (const reason of ESCALATION_REASONS) {
    const count = row[at++];
    if (count !== null) escalationReasons[reason] = count as number;
  }
  const resolved = row[at++] === 1;
  const lastResolvedAt = row[at++] as string | null;
  const resolvedTier = row[at++] as Tier | null;
  const necessary = row[at++];
  const reopened = row[at++] === 1;
  const closed = row[at++] === 1;
  const feedbackScore = row[at++] as number | null;
  const tierDwellMinutes: EscalationFacts['tierDwellMinutes'] = {};
  for (const tier of TIERS) {
    const minutes = row[at++];
    if (minutes !== null) tierDwellMinutes[tier] = minutes as number;
  }
  const stayTier = row[at++] as Tier | null;
  const stayEnteredAt = row[at++] as string;
  const ticketId = (row[at++] as string | null) ?? (row[0] as string);
  const firstAssignedAt = row[at++] as string | null;
  const autoEscalationCount = row[at++] as number;
  const lastResolutionDueAt = row[at++] as string | null;
  const rootCause = row[at++] as string | null;
  const sla = decodeSla(row, at);
  return {
    ticketId,
    openedAt: row[1] as string,
    category: row[2] as string,
    channel: row[3] as string,
    priority: row[4] as Priority,
    tier: row[5] as Tier,
    firstAssigneeId: row[6] as string | null,
    firstAssignedAt,
    currentAssigneeId: row[7] as string | null,
    assigneeAtFirstEscalation: row[8] as string | null,
    escalationCount: row[9] as number,
    autoEscalationCount,
    firstEscalatedAt: row[10] as string | null,
    escalationReasons,
    resolved,
    lastResolvedAt,
    lastResolutionDueAt,
    resolvedTier,
    escalationNecessary: necessary === null ? null : necessary === 1,
    rootCause,
    reopened,
    closed,
    feedbackScore,
    tierDwellMinutes,
    currentStay: stayTier === null ? null : { tier: stayTier, enteredAt: stayEnteredAt },
    sla,
  };
}
