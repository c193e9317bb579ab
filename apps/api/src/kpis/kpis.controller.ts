import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { kpisFromTallies } from '@ledger/projections';
import { READ_STORE, type ReadStore } from '@ledger/read-store';
import { ApiError } from '../http/api-error';
import { KpiQueryDto } from '../read-models/dto/read-queries.dto';
import { toUtcInstant } from '../read-models/iso-instant';
import { ReadYourWrites } from '../read-models/read-your-writes';
import { Allow } from '../identity/access.decorator';

@ApiTags('kpis')
@Controller('v1/kpis')
export class KpisController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Allow('auditor', 'analyst')
  @ApiOkResponse({ description: 'The escalation KPIs of the cohort, in totals and per group' })
  @Get('escalations')
  @ApiOperation({ summary: 'Escalation KPIs of the tickets opened in [from, to)' })
  async escalations(@Query() dto: KpiQueryDto) {
    const from = dto.from !== undefined ? toUtcInstant(dto.from, 'from') : undefined;
    const to = dto.to !== undefined ? toUtcInstant(dto.to, 'to') : undefined;
    if (from !== undefined && to !== undefined && from > to) {
      throw ApiError.validation([{ field: 'to', message: 'to must not be before from' }]);
    }
    await this.readYourWrites.await('escalation-kpis', dto.after);
    const tallies = await this.readStore.escalationTallies({ from, to }, dto.groupBy);
    const { totals, groups } = kpisFromTallies(tallies);
    return {
      from: from ?? null,
      to: to ?? null,
      ...(dto.groupBy && { groupBy: dto.groupBy }),
      totals,
      groups,
    };
  }
}
