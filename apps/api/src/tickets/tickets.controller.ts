import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RULE_CODES, type RuleCode, type TicketCommand } from '@ledger/domain';
import { CommandAnswers } from '../http/command-answers.decorator';
import { createHash, randomUUID } from 'node:crypto';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { idempotencyScope } from '../idempotency/idempotency-scope';
import { IdempotentCommands } from '../idempotency/idempotent-commands';
import { Command, type CommandContext } from './command-context';
import {
  AddNoteDto,
  AssignTicketDto,
  ChangeStatusDto,
  CloseTicketDto,
  CommandAnswerDto,
  EscalateTicketDto,
  FeedbackDto,
  ReopenTicketDto,
  ResolveTicketDto,
} from './dto/ticket-commands.dto';
import { OpenTicketDto } from './dto/open-ticket.dto';
import { TicketCommands, type CommandAnswer } from './ticket-commands';
import { Allow } from '../identity/access.decorator';
import { CurrentPrincipal, ensureActingFor } from '../identity/acting-for';
import type { Principal } from '../identity/principal';

/** A retried open without a ticketId must land on the same ticket: its id comes from the scoped key. */
function ticketIdFromKey(scope: string): string {
  const hex = createHash('sha256').update(`ticket:${scope}`).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A command to a ticket that exists: it names it by id, and If-Match is its version. */
function TicketCommandAnswers(...rules: RuleCode[]) {
  return CommandAnswers({ rules, notFound: ['TICKET_NOT_FOUND'], ifMatch: 'the ticket' });
}

@ApiTags('ticket commands')
@Controller('v1/tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketCommands,
    private readonly idempotent: IdempotentCommands,
  ) {}

  private send(
    ticketId: string,
    command: TicketCommand,
    context: CommandContext,
    status = 200,
  ): Promise<CommandAnswer> {
    return this.idempotent.run(context, status, () =>
      this.tickets.execute(ticketId, command, context),
    );
  }

  @Allow('agent', 'supervisor')
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandAnswerDto })
  @CommandAnswers({
    rules: [
      RULE_CODES.ticketAlreadyExists,
      `${RULE_CODES.customerErased} (the customer was erased: open it under a new customer id)`,
    ],
    ifMatch: 'the ticket ("0": it does not exist yet)',
  })
  @ApiOperation({
    summary: 'Open a ticket',
    description:
      'Opens a ticket at L1 (201); without priority, the keyword rules set one. Without ticketId it gets a new UUID or, sent with an Idempotency-Key, one derived from the key, so that a retry opens the same ticket. A ticket of an erased customer is refused.',
  })
  open(@Body() body: OpenTicketDto, @Command() context: CommandContext) {
    const scope = idempotencyScope(context);
    const ticketId =
      body.ticketId?.toLowerCase() ?? (scope !== undefined ? ticketIdFromKey(scope) : randomUUID());
    return this.send(ticketId, { type: 'OpenTicket', data: { ...body, ticketId } }, context, 201);
  }

  @Allow('agent', 'supervisor')
  @Post(':id/assign')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandAnswerDto })
  @TicketCommandAnswers(RULE_CODES.ticketClosed, RULE_CODES.reopenRequired)
  @ApiOperation({
    summary: 'Assign a ticket',
    description:
      'Assigns the ticket to an agent; an agent’s own credential assigns to itself only. Assigning the agent who holds it records nothing.',
  })
  assign(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AssignTicketDto,
    @Command() context: CommandContext,
    @CurrentPrincipal() principal: Principal,
  ) {
    ensureActingFor(principal, body.agentId);
    return this.send(id, { type: 'AssignTicket', data: { ...body } }, context);
  }

  @Allow('agent', 'supervisor')
  @Post(':id/escalate')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandAnswerDto })
  @TicketCommandAnswers(
    RULE_CODES.ticketClosed,
    RULE_CODES.reopenRequired,
    RULE_CODES.alreadyAtTopTier,
    RULE_CODES.escalationNotUpward,
  )
  @ApiOperation({
    summary: 'Escalate a ticket',
    description:
      'Moves the ticket up the ladder, to toTier or by default the next tier, saying why; it arrives there unassigned and open.',
  })
  escalate(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: EscalateTicketDto,
    @Command() context: CommandContext,
  ) {
    return this.send(id, { type: 'EscalateTicket', data: { ...body } }, context);
  }

  @Allow('agent', 'supervisor')
  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandAnswerDto })
  @TicketCommandAnswers(RULE_CODES.ticketClosed, RULE_CODES.alreadyResolved)
  @ApiOperation({
    summary: 'Resolve a ticket',
    description:
      'Resolves the ticket at its tier, with its resolution and, if known, its root cause and whether escalating it was necessary.',
  })
  resolve(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ResolveTicketDto,
    @Command() context: CommandContext,
  ) {
    return this.send(id, { type: 'ResolveTicket', data: { ...body } }, context);
  }

  @Allow('agent', 'supervisor')
  @Post(':id/feedback')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandAnswerDto })
  @TicketCommandAnswers(
    RULE_CODES.notResolved,
    RULE_CODES.feedbackAlreadyReceived,
    RULE_CODES.invalidScore,
  )
  @ApiOperation({
    summary: 'Record feedback',
    description: 'Records the customer’s rating (1 to 5) of a resolved or closed ticket, once.',
  })
  feedback(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: FeedbackDto,
    @Command() context: CommandContext,
  ) {
    return this.send(id, { type: 'RecordFeedback', data: { ...body } }, context);
  }

  @Allow('agent', 'supervisor')
  @Post(':id/status')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandAnswerDto })
  @TicketCommandAnswers(RULE_CODES.ticketClosed, RULE_CODES.reopenRequired)
  @ApiOperation({
    summary: 'Change a ticket’s status',
    description:
      'Moves the ticket between in_progress and pending; pending stops the resolution clock.',
  })
  changeStatus(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ChangeStatusDto,
    @Command() context: CommandContext,
  ) {
    return this.send(id, { type: 'ChangeTicketStatus', data: { ...body } }, context);
  }

  @Allow('agent', 'supervisor')
  @Post(':id/notes')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandAnswerDto })
  @TicketCommandAnswers(RULE_CODES.ticketClosed, RULE_CODES.noteLimitReached)
  @ApiOperation({
    summary: 'Add a note',
    description: 'Adds an internal note to the ticket, 1,000 at most.',
  })
  addNote(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AddNoteDto,
    @Command() context: CommandContext,
  ) {
    return this.send(id, { type: 'AddTicketNote', data: { ...body } }, context);
  }

  @Allow('agent', 'supervisor')
  @Post(':id/reopen')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandAnswerDto })
  @TicketCommandAnswers(RULE_CODES.notReopenable)
  @ApiOperation({
    summary: 'Reopen a ticket',
    description: 'Reopens a resolved or closed ticket, saying why.',
  })
  reopen(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ReopenTicketDto,
    @Command() context: CommandContext,
  ) {
    return this.send(id, { type: 'ReopenTicket', data: { ...body } }, context);
  }

  @Allow('agent', 'supervisor')
  @Post(':id/close')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandAnswerDto })
  @TicketCommandAnswers(RULE_CODES.ticketClosed)
  @ApiOperation({
    summary: 'Close a ticket',
    description: 'Closes the ticket; a closed ticket takes no command but feedback and reopen.',
  })
  close(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: CloseTicketDto,
    @Command() context: CommandContext,
  ) {
    return this.send(id, { type: 'CloseTicket', data: { ...body } }, context);
  }
}
