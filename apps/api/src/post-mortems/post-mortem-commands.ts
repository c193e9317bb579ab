import { Inject, Injectable } from '@nestjs/common';
import {
  decidePostMortem,
  evolvePostMortem,
  foldTicket,
  postMortemStreamId,
  ticketStreamId,
  type PostMortemCommand,
  type PostMortemEvent,
  type PostMortemState,
  type PostMortemTicket,
  type TicketEvent,
} from '@ledger/domain';
import { datedEvent, EVENT_STORE, type EventStore } from '@ledger/event-store';
import { CommandPath } from '../commands/command-path';
import type { StreamKind } from '../commands/stream-kind';
import type { CommandContext } from '../tickets/command-context';

export interface PostMortemAnswer {
  ticketId: string;
  version: number;
  position: string;
}

/** Post-mortem commands on the command path; a post-mortem reads its ticket from the ticket's own stream. */
@Injectable()
export class PostMortemCommands {
  private readonly kind: StreamKind<
    PostMortemCommand,
    PostMortemEvent,
    PostMortemState,
    PostMortemTicket
  >;

  constructor(
    private readonly path: CommandPath,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {
    this.kind = {
      decider: { initialState: () => null, evolve: evolvePostMortem, decide: decidePostMortem },
      // Only a recording looks at the ticket: an action is closed whatever became of it.
      decisionContext: async (command) =>
        command.type === 'RecordPostMortem' ? this.ticket(command.data.ticketId) : undefined,
    };
  }

  async execute(
    ticketId: string,
    command: PostMortemCommand,
    context: CommandContext,
  ): Promise<PostMortemAnswer> {
    const { version, position } = await this.path.execute(
      this.kind,
      postMortemStreamId(ticketId),
      command,
      context,
    );
    return { ticketId, version, position };
  }

  /** The post-mortem as its stream folds it now; null when none was recorded. */
  async read(ticketId: string): Promise<PostMortemState> {
    const history = await this.events.readStream(postMortemStreamId(ticketId));
    return history.reduce<PostMortemState>(
      (state, event) => evolvePostMortem(state, datedEvent<PostMortemEvent>(event)),
      null,
    );
  }

  private async ticket(ticketId: string): Promise<PostMortemTicket> {
    const history = await this.events.readStream(ticketStreamId(ticketId));
    const ticket = foldTicket(history.map((event) => datedEvent<TicketEvent>(event)));
    if (!ticket) return null;
    return {
      customerId: ticket.customer.id,
      escalated: ticket.escalationCount > 0,
      ended: ticket.status === 'resolved' || ticket.status === 'closed',
    };
  }
}
