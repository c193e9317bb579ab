import { Inject, Injectable } from '@nestjs/common';
import {
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
import { CustomerErasure } from '../customers/customer-erasure';
import { SlaPolicies } from '../sla-policy/sla-policies';
import type { CommandContext } from './command-context';
import { TICKET_DECIDER } from './ticket-decider.provider';

/** The answer of every ticket command. */
export interface CommandAnswer {
  ticketId: string;
  version: number;
  position: string;
}

/**
 * Tickets on the command path; `slaPolicy` answers the policy in force,
 * `customerErased` whether a customer was erased.
 */
export function ticketStreamKind(
  decider: TicketDecider,
  slaPolicy: () => Promise<VersionedSlaPolicy>,
  customerErased: (customerId: string) => Promise<boolean> = async () => false,
): StreamKind<TicketCommand, TicketEvent, TicketState, DecisionContext> {
  return {
    decider,
    snapshots: true,
    startsStream: (command) => command.type === 'OpenTicket',
    // Only an open depends on the policy (the ticket keeps the terms it was
    // opened under) and on whether its customer was erased.
    decisionContext: async (command) =>
      command.type === 'OpenTicket'
        ? {
            slaPolicy: await slaPolicy(),
            customerErased: await customerErased(command.data.customer.id),
          }
        : undefined,
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
    customers: CustomerErasure,
  ) {
    this.kind = ticketStreamKind(
      decider,
      () => slaPolicies.current(),
      (customerId) => customers.isErased(customerId),
    );
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
