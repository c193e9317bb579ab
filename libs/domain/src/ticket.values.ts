/** Tiers, lowest first. The order is the escalation ladder. */
export const TIERS = ['L1', 'L2', 'L3', 'MANAGEMENT'] as const;
export type Tier = (typeof TIERS)[number];

export const STATUSES = ['open', 'in_progress', 'pending', 'resolved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

/** The statuses a client may move a ticket to through the status command. */
export const WORK_STATUSES = ['in_progress', 'pending'] as const;
export type WorkStatus = (typeof WORK_STATUSES)[number];

/** Highest first: the queue order. */
export const PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CHANNELS = ['email', 'phone', 'chat', 'social', 'web', 'whatsapp'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CUSTOMER_TIERS = ['standard', 'vip'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

export const ESCALATION_REASONS = [
  'complexity',
  'sla_breach',
  'customer_request',
  'authorization',
  'crisis',
  'other',
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

export interface Customer {
  id: string;
  name?: string;
  tier: CustomerTier;
}

export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/** 0 for urgent, 3 for low: sorts highest priority first. */
export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

export function nextTier(tier: Tier): Tier | undefined {
  return TIERS[tierRank(tier) + 1];
}

export function isTier(value: unknown): value is Tier {
  return (TIERS as readonly unknown[]).includes(value);
}
