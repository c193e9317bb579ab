import { Inject, Injectable } from '@nestjs/common';
import {
  TICKET_EVENT_SCHEMA_VERSION,
  ticketStreamId,
  type DecisionContext,
  type TicketCommand,
  type TicketDecider,
  type TicketEvent,
  type TicketState,
  type VersionedSlaPolicy,
} from '@ledger/domain';
import { CommandPath } from '../commands/command-path';
import type { StreamKind } from '../commands/stream-kind';
import { SlaPolicies } from '../sla-policy/sla-policies';
import type { CommandContext } from './command-context';
import { TICKET_DECIDER } from './ticket-decider.provider';

/** The answer of every ticket command. */
export interface CommandAnswer {
  ticketId: string;
  version: number;
  position: string;
}

/** Tickets on the command path; `slaPolicy` answers the policy in force. */
export function ticketStreamKind(
  decider: TicketDecider,
  slaPolicy: () => Promise<VersionedSlaPolicy>,
): StreamKind<TicketCommand, TicketEvent, TicketState, DecisionContext> {
  return {
    decider,
    schemaVersion: TICKET_EVENT_SCHEMA_VERSION,
    snapshots: true,
    startsStream: (command) => command.type === 'OpenTicket',
    // Only an open depends on the policy: the ticket keeps the terms it was opened under.
    decisionContext: async (command) =>
      command.type === 'OpenTicket' ? { slaPolicy: await slaPolicy() } : undefined,
  };
}

/** Ticket commands on the command path, for people and the automation alike. */
@Injectable()
export class TicketCommands {
  private readonly kind: StreamKind<TicketCommand, TicketEvent, TicketState, DecisionContext>;

  constructor(
    private readonly path: CommandPath,
    @Inject(TICKET_DECIDER) decider: TicketDecider,
    slaPolicies: SlaPolicies,
  ) {
    this.kind = ticketStreamKind(decider, () => slaPolicies.current());
  }

  async execute(
    ticketId: string,
    command: TicketCommand,
    context: CommandContext,
  ): Promise<CommandAnswer> {
    const { version, position } = await this.path.execute(
      this.kind,
      ticketStreamId(ticketId),
      command,
      context,
    );
    return { ticketId, version, position };
  }
}
