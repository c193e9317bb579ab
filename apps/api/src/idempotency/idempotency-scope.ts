import type { AppConfig } from '@ledger/runtime';
import type { CommandContext } from '../tickets/command-context';

/**
 * An Idempotency-Key means something only to the principal that sent it, on
 * the route it sent it to: the same key from another caller, or to another
 * route, is another key. Written as a JSON array so no principal, route or
 * key can be mistaken for another's.
 */
export function idempotencyScope(context: CommandContext): string | undefined {
  const idempotency = context.idempotency;
  if (!idempotency) return undefined;
  return JSON.stringify([context.principalId ?? context.actor, idempotency.route, idempotency.key]);
}

/** How long a key is remembered, in milliseconds: its answer, and its mark on the events. */
export function idempotencyTtlMs(config: Pick<AppConfig, 'idempotencyTtlHours'>): number {
  return config.idempotencyTtlHours * 3_600_000;
}
