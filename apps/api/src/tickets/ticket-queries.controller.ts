import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  foldTicket,
  ticketStreamId,
  TicketNotFoundError,
  type DatedTicketEvent,
  type TicketEvent,
} from '@ledger/domain';
import { datedEvent, EVENT_STORE, type EventStore } from '@ledger/event-store';
import { toTicketView, type TicketView } from '@ledger/projections';
import { READ_STORE, type ReadStore } from '@ledger/read-store';
import type { FastifyReply } from 'fastify';
import { ErrorBodyDto } from '../http/error-body.dto';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { TicketQueryDto } from '../read-models/dto/read-queries.dto';
import { HISTORY_PAGE_SIZE, HistoryQueryDto } from './dto/history-query.dto';
import { toUtcInstant } from '../read-models/iso-instant';
import { ReadYourWrites } from '../read-models/read-your-writes';
import { Allow } from '../identity/access.decorator';

const UNREADABLE = {
  type: ErrorBodyDto,
  description:
    'PERSONAL_DATA_UNREADABLE: a stored event’s personal data does not authenticate, or its key is not in the key store: the log or the key store was altered',
};

@ApiTags('tickets')
@Controller('v1/tickets')
export class TicketQueriesController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Allow('agent', 'supervisor', 'auditor')
  @Get(':id')
  @ApiOperation({ summary: 'The ticket view; with asOf, the ticket as it was at that instant' })
  @ApiConflictResponse(UNREADABLE)
  async ticket(
    @Param('id', UuidParamPipe) id: string,
    @Query() query: TicketQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketView> {
    const view =
      query.asOf !== undefined
        ? await this.asOf(id, query.asOf)
        : await this.current(id, query.after);
    void reply.header('ETag', `"${view.version}"`);
    return view;
  }

  private async current(id: string, after: string | undefined): Promise<TicketView> {
    await this.readYourWrites.await('ticket-view', after);
    const ticket = await this.readStore.getTicket(id);
    if (!ticket) throw new TicketNotFoundError();
    return toTicketView(ticket);
  }

  private async asOf(id: string, asOf: string): Promise<TicketView> {
    const until = Date.parse(toUtcInstant(asOf, 'asOf'));
    const history = await this.events.readStream(ticketStreamId(id));
    const upTo: DatedTicketEvent[] = [];
    for (const event of history) {
      if (Date.parse(event.metadata.occurredAt) > until) break;
      upTo.push(datedEvent<TicketEvent>(event));
    }
    const ticket = foldTicket(upTo);
    if (!ticket) throw new TicketNotFoundError();
    return toTicketView(ticket);
  }

  @Allow('agent', 'supervisor', 'auditor')
  @Get(':id/history')
  @ApiOperation({
    summary:
      'The events of the ticket, with their metadata: the audit trail, a page at a time (next: the after of the next page)',
  })
  @ApiConflictResponse(UNREADABLE)
  async history(@Param('id', UuidParamPipe) id: string, @Query() query: HistoryQueryDto) {
    const streamId = ticketStreamId(id);
    const after = query.after ?? 0;
    const limit = query.limit ?? HISTORY_PAGE_SIZE;
    // One event more than the page says whether another page follows.
    const read = await this.events.readStream(streamId, { after, limit: limit + 1 });
    if (read.length === 0 && (after === 0 || !(await this.exists(streamId)))) {
      throw new TicketNotFoundError();
    }
    const page = read.slice(0, limit);
    return {
      ticketId: id,
      events: page.map((event) => ({
        type: event.type,
        version: event.version,
        position: event.position,
        occurredAt: event.metadata.occurredAt,
        actor: event.metadata.actor,
        actorRoles: event.metadata.actorRoles,
        automation: event.metadata.automation,
        correlationId: event.metadata.correlationId,
        causationId: event.metadata.causationId,
        eventId: event.metadata.eventId,
        schemaVersion: event.metadata.schemaVersion,
        data: event.data,
      })),
      ...(read.length > limit && { next: page[page.length - 1].version }),
    };
  }

  private async exists(streamId: string): Promise<boolean> {
    return (await this.events.readStream(streamId, { limit: 1 })).length > 0;
  }
}
