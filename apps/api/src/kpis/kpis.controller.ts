import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { READ_STORE, type KpiQueries, type PostMortemQueries } from '@ledger/read-store';
import { APP_CONFIG, type AppConfig } from '@ledger/runtime';
import { ApiError } from '../http/api-error';
import { KpiQueryDto } from '../read-models/dto/read-queries.dto';
import { toUtcInstant } from '../read-models/iso-instant';
import { ReadYourWrites } from '../read-models/read-your-writes';
import { ReadModelAnswers } from '../http/read-model-answers.decorator';
import { Allow } from '../identity/access.decorator';
import { CLOCK, type Clock } from '../storage/clock';
import { escalationKpiReport } from './escalation-kpi-report';
import { EscalationKpiReportDto } from './escalation-kpis.dto';

@ApiTags('kpis')
@Controller('v1/kpis')
export class KpisController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: KpiQueries & PostMortemQueries,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Allow('auditor', 'analyst')
  @ApiOkResponse({
    type: EscalationKpiReportDto,
    description:
      'The escalation KPIs of the cohort, in totals and per group, post-mortems included (docs/kpis.md)',
  })
  @Get('escalations')
  @ReadModelAnswers({ invalid: 'from, to or another query parameter' })
  @ApiOperation({
    summary: 'Read escalation KPIs',
    description:
      'Escalation KPIs of the tickets opened in [from, to), in totals and per group of groupBy (docs/kpis.md).',
  })
  async escalations(@Query() dto: KpiQueryDto): Promise<EscalationKpiReportDto> {
    const from = dto.from !== undefined ? toUtcInstant(dto.from, 'from') : undefined;
    const to = dto.to !== undefined ? toUtcInstant(dto.to, 'to') : undefined;
    if (from !== undefined && to !== undefined && from > to) {
      throw ApiError.validation([{ field: 'to', message: 'to must not be before from' }]);
    }
    await this.readYourWrites.await('escalation-kpis', dto.after);
    await this.readYourWrites.await('post-mortems', dto.after);
    return escalationKpiReport(this.readStore, { from, to }, dto.groupBy, {
      requiredBy: this.config.postMortemRequired,
      asOf: to ?? this.clock.now().toISOString(),
    });
  }
}
