import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { READ_STORE, type WorkloadQueries } from '@ledger/read-store';
import { ReadModelQueryDto } from '../read-models/dto/read-queries.dto';
import { ReadYourWrites } from '../read-models/read-your-writes';
import { ReadModelAnswers } from '../http/read-model-answers.decorator';
import { Allow } from '../identity/access.decorator';
import { WorkloadsDto } from './workloads.dto';

@ApiTags('workloads')
@Controller('v1/workloads')
export class WorkloadsController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: WorkloadQueries,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Allow('agent', 'supervisor', 'analyst')
  @ApiOkResponse({
    type: WorkloadsDto,
    description: 'Per tier and agent, the tickets still worked on',
  })
  @Get()
  @ReadModelAnswers()
  @ApiOperation({
    summary: 'Read the workloads',
    description:
      'Open, unassigned and pending tickets per tier, in ladder order, and open tickets per agent.',
  })
  async workloads(@Query() dto: ReadModelQueryDto) {
    await this.readYourWrites.await('tier-workload', dto.after);
    return { tiers: await this.readStore.workloads() };
  }
}
