import type { EscalationFacts } from '@ledger/read-store';

/** The facts of a ticket just opened at L1 and never touched since, changed by `overrides`. */
export function openedTicketFacts(overrides: Partial<EscalationFacts> = {}): EscalationFacts {
  const openedAt = overrides.openedAt ?? '2025-03-01T09:00:00.000Z';
  return {
    ticketId: 't',
    openedAt,
    category: 'account',
    channel: 'email',
    priority: 'medium',
    tier: 'L1',
    firstAssigneeId: null,
    currentAssigneeId: null,
    assigneeAtFirstEscalation: null,
    escalationCount: 0,
    firstEscalatedAt: null,
    escalationReasons: {},
    resolved: false,
    lastResolvedAt: null,
    resolvedTier: null,
    escalationNecessary: null,
    reopened: false,
    closed: false,
    feedbackScore: null,
    tierDwellMinutes: {},
    currentStay: { tier: 'L1', enteredAt: openedAt },
    ...overrides,
  };
}
