import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { TicketCommand } from '@ledger/domain';
import { createHash, randomUUID } from 'node:crypto';
import { ErrorBodyDto } from '../http/error-body.dto';
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
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

@ApiTags('ticket commands')
@ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'Version the ticket must be at (412 if not)',
})
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'A retry with the same key returns the first answer',
})
@ApiHeader({ name: 'X-Correlation-Id', required: false })
@ApiBadRequestResponse({
  type: ErrorBodyDto,
  description: 'VALIDATION_FAILED (field errors), MALFORMED_JSON',
})
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TICKET_NOT_FOUND' })
@ApiConflictResponse({
  type: ErrorBodyDto,
  description:
    'A broken rule (ALREADY_AT_TOP_TIER, REOPEN_REQUIRED, TICKET_CLOSED, NOTE_LIMIT_REACHED, …) or CONCURRENT_MODIFICATION',
})
@ApiPreconditionFailedResponse({ type: ErrorBodyDto, description: 'VERSION_MISMATCH (If-Match)' })
@ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'IDEMPOTENCY_KEY_REUSED' })
@ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'PAYLOAD_TOO_LARGE: over 1 MiB' })
@ApiUnsupportedMediaTypeResponse({
  type: ErrorBodyDto,
  description: 'UNSUPPORTED_MEDIA_TYPE: not JSON, or a Content-Encoding',
})
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
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description:
      'TICKET_ALREADY_EXISTS; CUSTOMER_ERASED: the customer was erased, open it under a new customer id; CONCURRENT_MODIFICATION',
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
  close(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: CloseTicketDto,
    @Command() context: CommandContext,
  ) {
    return this.send(id, { type: 'CloseTicket', data: { ...body } }, context);
  }
}
