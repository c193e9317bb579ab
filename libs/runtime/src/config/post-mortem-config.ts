import { POST_MORTEM_TRIGGERS, type PostMortemTrigger } from '@ledger/domain';
import { ConfigError } from './config-error';

/**
 * `POST_MORTEM_REQUIRED=management,re-escalated,urgent-breach` (the default):
 * which escalated tickets need a post-mortem; `none` for none.
 */
export function postMortemRequiredFrom(env: NodeJS.ProcessEnv): readonly PostMortemTrigger[] {
  const text = env.POST_MORTEM_REQUIRED?.trim();
  if (!text) return POST_MORTEM_TRIGGERS;
  if (text === 'none') return [];
  const named = text.split(',').map((entry) => entry.trim());
  const unknown = named.filter(
    (entry) => !(POST_MORTEM_TRIGGERS as readonly string[]).includes(entry),
  );
  if (unknown.length > 0) {
    throw new ConfigError(
      `POST_MORTEM_REQUIRED names ${unknown.map((entry) => `"${entry}"`).join(', ')}: use ${POST_MORTEM_TRIGGERS.join(', ')} (comma-separated) or none`,
    );
  }
  return POST_MORTEM_TRIGGERS.filter((trigger) => named.includes(trigger));
}
