import type { PriorityReason } from './ticket.events';
import { PRIORITIES, type Channel, type CustomerTier, type Priority } from './ticket.values';

/** A word that, found in a ticket's subject or description, sets its priority. */
export interface KeywordRule {
  keyword: string;
  priority: Priority;
  /** Only tickets that came in through these channels; every channel when absent. */
  channels?: readonly Channel[];
}

/** How a ticket opened without a priority gets one. */
export interface PriorityRules {
  keywords: readonly KeywordRule[];
  /** Whether a VIP customer's ticket goes one level up. */
  vipBump: boolean;
}

export const DEFAULT_KEYWORD_RULES: readonly KeywordRule[] = [
  { keyword: 'outage', priority: 'urgent' },
  { keyword: 'down', priority: 'urgent' },
  { keyword: 'breach', priority: 'urgent' },
  { keyword: 'legal', priority: 'high' },
  { keyword: 'lawsuit', priority: 'high' },
  { keyword: 'refund', priority: 'high' },
  { keyword: 'chargeback', priority: 'high' },
];

export const DEFAULT_PRIORITY_RULES: PriorityRules = {
  keywords: DEFAULT_KEYWORD_RULES,
  vipBump: true,
};

export interface PriorityInput {
  explicit?: Priority;
  subject: string;
  description: string;
  channel: Channel;
  customerTier: CustomerTier;
}

export interface DerivedPriority {
  priority: Priority;
  priorityReason: PriorityReason;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function mentions(text: string, keyword: string): boolean {
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(keyword)}($|[^\\p{L}\\p{N}])`, 'iu').test(
    text,
  );
}

/** One step more urgent; the most urgent stays as it is. */
function raised(priority: Priority): Priority {
  return PRIORITIES[PRIORITIES.indexOf(priority) - 1] ?? priority;
}

/**
 * An explicit priority wins. Otherwise the highest keyword rule of the
 * ticket's channel found in the subject or description, else `medium`, then
 * (with `vipBump`) one level up for a VIP customer.
 */
export function derivePriority(
  input: PriorityInput,
  rules: PriorityRules = DEFAULT_PRIORITY_RULES,
): DerivedPriority {
  if (input.explicit) return { priority: input.explicit, priorityReason: 'explicit' };
  const text = `${input.subject}\n${input.description}`;
  let matched: KeywordRule | undefined;
  for (const rule of rules.keywords) {
    if (rule.channels && !rule.channels.includes(input.channel)) continue;
    if (!mentions(text, rule.keyword)) continue;
    if (!matched || PRIORITIES.indexOf(rule.priority) < PRIORITIES.indexOf(matched.priority)) {
      matched = rule;
    }
  }
  const vip = rules.vipBump && input.customerTier === 'vip';
  if (matched) {
    return {
      priority: vip ? raised(matched.priority) : matched.priority,
      priorityReason: `keyword:${matched.keyword.toLowerCase()}`,
    };
  }
  return vip
    ? { priority: raised('medium'), priorityReason: 'vip' }
    : { priority: 'medium', priorityReason: 'default' };
}
