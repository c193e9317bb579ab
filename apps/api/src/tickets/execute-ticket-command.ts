import type { TicketCommand } from '@ledger/domain';
import type { CommandContext } from './command-context';

/** The answer of every ticket command. */
export interface CommandAnswer {
  ticketId: string;
  version: number;
  position: string;
}

export class ExecuteTicketCommand {
  constructor(
    readonly ticketId: string,
    readonly command: TicketCommand,
    readonly context: CommandContext,
  ) {}
}
