import { schemaVersionOf } from '@ledger/domain';
import type { NewEvent } from '@ledger/event-store';
import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../tickets/command-context';

/** Every event's metadata: who, when, under which correlation, caused by which command. */
export function stampEvents(
  events: readonly { type: string; data: unknown }[],
  context: CommandContext,
  occurredAt: string,
  extra: Record<string, unknown> = {},
): NewEvent[] {
  return events.map((event) => ({
    type: event.type,
    data: event.data,
    metadata: {
      eventId: randomUUID(),
      occurredAt,
      actor: context.actor,
      actorRoles: [...context.actorRoles],
      ...(context.automation !== undefined && { automation: context.automation }),
      correlationId: context.correlationId,
      causationId: context.commandId,
      schemaVersion: schemaVersionOf(event.type),
      ...extra,
    },
  }));
}
