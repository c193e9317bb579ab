import { PRIORITIES, type Priority } from '@ledger/domain';
import { ConfigError } from './config-error';

export const AUTOMATION_MODES = ['on', 'off'] as const;

/** Hours without activity after which a ticket is listed as idle, by priority. */
export type IdleAlertHours = Record<Priority, number>;

export const DEFAULT_IDLE_ALERT_HOURS: IdleAlertHours = { urgent: 1, high: 4, medium: 24, low: 72 };

/**
 * `IDLE_ALERT_HOURS=urgent=0.5,low=48`: the priorities named change, the
 * others keep their default.
 */
export function idleAlertHoursFrom(env: NodeJS.ProcessEnv): IdleAlertHours {
  const text = env.IDLE_ALERT_HOURS?.trim();
  const hours = { ...DEFAULT_IDLE_ALERT_HOURS };
  if (!text) return hours;
  for (const entry of text.split(',')) {
    const [priority = '', value, ...rest] = entry.split('=').map((part) => part.trim());
    const number = Number(value);
    if (
      rest.length > 0 ||
      !(PRIORITIES as readonly string[]).includes(priority) ||
      value === undefined ||
      value === '' ||
      !(number > 0)
    ) {
      throw new ConfigError(
        `IDLE_ALERT_HOURS entry "${entry}" is not <priority>=<hours above 0> (priorities: ${PRIORITIES.join(', ')})`,
      );
    }
    hours[priority as Priority] = number;
  }
  return hours;
}
