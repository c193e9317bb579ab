import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { isTier, TIERS, type Tier } from '@ledger/domain';
import { toTicketView } from '@ledger/projections';
import { READ_STORE, type TicketQueries } from '@ledger/read-store';
import { ApiError } from '../http/api-error';
import { readProbedPage } from '../http/paging/probed-page';
import { QueueCursorCodec } from './queue-cursor';
import { QueueQueryDto } from '../read-models/dto/read-queries.dto';
import { pageStart } from '../read-models/page-cursors';
import { ReadYourWrites } from '../read-models/read-your-writes';
import { ReadModelAnswers } from '../http/read-model-answers.decorator';
import { Allow } from '../identity/access.decorator';
import { QueuePageDto } from './queue-page.dto';

const DEFAULT_LIMIT = 50;

function tierOf(value: string): Tier {
  if (!isTier(value))
    throw ApiError.validation([
      { field: 'tier', message: `tier must be one of ${TIERS.join(', ')}` },
    ]);
  return value;
}

@ApiTags('queues')
@Controller('v1/queues')
export class QueuesController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: TicketQueries,
    private readonly readYourWrites: ReadYourWrites,
    private readonly cursors: QueueCursorCodec,
  ) {}

  @Allow('agent', 'supervisor', 'analyst')
  @ApiOkResponse({
    type: QueuePageDto,
    description: 'A page of the tier’s queue in queue order; `nextCursor` while more follow',
  })
  @Get(':tier')
  @ReadModelAnswers({ invalid: 'the tier or a query parameter' })
  @ApiParam({ name: 'tier', enum: TIERS })
  @ApiOperation({
    summary: 'Read a tier’s queue',
    description:
      'The tier’s tickets not resolved or closed, a page at a time: urgent first, VIP first within a priority, then oldest first.',
  })
  async queue(@Param('tier') tierParam: string, @Query() dto: QueueQueryDto) {
    const tier = tierOf(tierParam);
    await this.readYourWrites.await('queues', dto.after);
    const filters = { tier, status: dto.status, priority: dto.priority, assigned: dto.assigned };
    const after = pageStart(dto.cursor, (cursor) => this.cursors.decode(cursor, filters));
    const limit = dto.limit ?? DEFAULT_LIMIT;
    const page = await readProbedPage(limit, (count) =>
      this.readStore.queue({ ...filters, limit: count, after }),
    );
    const next = page.continueAfter;
    return {
      tier,
      items: page.items.map(toTicketView),
      nextCursor: next ? this.cursors.encode(filters, next) : null,
    };
  }
}
