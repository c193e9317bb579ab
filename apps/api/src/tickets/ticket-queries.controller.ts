import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { foldTicket, ticketStreamId, TicketNotFoundError } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { toTicketView, type TicketView } from '@ledger/projections';
import { READ_STORE, type TicketQueries } from '@ledger/read-store';
import type { FastifyReply } from 'fastify';
import { TicketViewDto } from '../read-models/dto/ticket-view.dto';
import { ErrorBodyDto } from '../http/error-body.dto';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { TicketQueryDto, TicketSearchQueryDto } from '../read-models/dto/read-queries.dto';
import { TicketPageDto } from '../read-models/dto/ticket-view.dto';
import { ApiError } from '../http/api-error';
import { readProbedPage } from '../http/paging/probed-page';
import { pageStart } from '../read-models/page-cursors';
import { HISTORY_PAGE_SIZE, HistoryQueryDto } from './dto/history-query.dto';
import { TicketHistoryDto } from './dto/ticket-history.dto';
import { toUtcInstant } from '../read-models/iso-instant';
import { ReadYourWrites } from '../read-models/read-your-writes';
import { ReadModelAnswers } from '../http/read-model-answers.decorator';
import { Allow } from '../identity/access.decorator';
import { datedTicketEvents, eventsAsOf, historyEntry } from './ticket-history';
import { TicketSearchCursorCodec, type TicketSearchFilters } from './ticket-search-cursor';

const SEARCH_PAGE_SIZE = 50;

/** The search's filters, its instants in the UTC form events are stored with. */
function searchFilters(dto: TicketSearchQueryDto): TicketSearchFilters {
  const openedFrom =
    dto.openedFrom !== undefined ? toUtcInstant(dto.openedFrom, 'openedFrom') : undefined;
  const openedTo = dto.openedTo !== undefined ? toUtcInstant(dto.openedTo, 'openedTo') : undefined;
  if (openedFrom !== undefined && openedTo !== undefined && openedFrom > openedTo) {
    throw ApiError.validation([
      { field: 'openedTo', message: 'openedTo must not be before openedFrom' },
    ]);
  }
  const { tier, status, priority, category, channel, assigneeId, customerId, escalated } = dto;
  return {
    tier,
    status,
    priority,
    category,
    channel,
    assigneeId,
    customerId,
    openedFrom,
    openedTo,
    escalated,
  };
}

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
    @Inject(READ_STORE) private readonly readStore: TicketQueries,
    private readonly readYourWrites: ReadYourWrites,
    private readonly cursors: TicketSearchCursorCodec,
  ) {}

  @Allow('agent', 'supervisor', 'auditor')
  @Get()
  @ApiOperation({
    summary: 'Search tickets',
    description:
      'Tickets meeting every filter given, whatever their status, newest opened first, a page at a time (nextCursor: the cursor of the next page).',
  })
  @ApiOkResponse({ type: TicketPageDto })
  @ReadModelAnswers({
    invalid:
      'a filter out of its range, openedTo before openedFrom, or a cursor this API did not issue for these filters',
  })
  async search(@Query() dto: TicketSearchQueryDto): Promise<TicketPageDto> {
    const filters = searchFilters(dto);
    const after = pageStart(dto.cursor, (cursor) => this.cursors.decode(cursor, filters));
    await this.readYourWrites.await('ticket-view', dto.after);
    const page = await readProbedPage(dto.limit ?? SEARCH_PAGE_SIZE, (count) =>
      this.readStore.searchTickets({ ...filters, limit: count, after }),
    );
    const next = page.continueAfter;
    return {
      items: page.items.map(toTicketView),
      nextCursor: next ? this.cursors.encode(filters, next) : null,
    };
  }

  @Allow('agent', 'supervisor', 'auditor')
  @ApiOkResponse({
    type: TicketViewDto,
    description: 'The ticket view',
    headers: {
      ETag: {
        required: true,
        schema: { type: 'string', example: '"6"' },
        description: 'The ticket’s version, for If-Match',
      },
    },
  })
  @ReadModelAnswers({ invalid: 'the id, asOf or another query parameter' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TICKET_NOT_FOUND' })
  @Get(':id')
  @ApiOperation({
    summary: 'Read a ticket',
    description:
      'The ticket view, with its version as ETag; with asOf, the ticket folded from the log as it was at that instant.',
  })
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
    const ticket = foldTicket(datedTicketEvents(eventsAsOf(history, until)));
    if (!ticket) throw new TicketNotFoundError();
    return toTicketView(ticket);
  }

  @Allow('agent', 'supervisor', 'auditor')
  @ApiOkResponse({
    type: TicketHistoryDto,
    description: 'A page of the ticket’s events with their metadata; `next` while more follow',
  })
  // Its after is a version of the ticket's stream, read from the log: nothing to wait for.
  @ReadModelAnswers({ invalid: 'the id, after or limit', after: false })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TICKET_NOT_FOUND' })
  @Get(':id/history')
  @ApiOperation({
    summary: 'Read a ticket’s history',
    description:
      'The events of the ticket, with their metadata: the audit trail, a page at a time (next: the after of the next page).',
  })
  @ApiConflictResponse(UNREADABLE)
  async history(@Param('id', UuidParamPipe) id: string, @Query() query: HistoryQueryDto) {
    const streamId = ticketStreamId(id);
    const after = query.after ?? 0;
    const page = await readProbedPage(query.limit ?? HISTORY_PAGE_SIZE, (count) =>
      this.events.readStream(streamId, { after, limit: count }),
    );
    if (page.items.length === 0 && (after === 0 || !(await this.exists(streamId)))) {
      throw new TicketNotFoundError();
    }
    const next = page.continueAfter;
    return {
      ticketId: id,
      events: page.items.map(historyEntry),
      ...(next && { next: next.version }),
    };
  }

  private async exists(streamId: string): Promise<boolean> {
    return (await this.events.readStream(streamId, { limit: 1 })).length > 0;
  }
}
