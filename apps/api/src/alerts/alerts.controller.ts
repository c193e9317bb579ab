import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { POST_MORTEM_GRACE_BUSINESS_DAYS, PRIORITIES, subtractBusinessDays } from '@ledger/domain';
import { alertList, postMortemAlerts } from '@ledger/projections';
import { READ_STORE, type AlertQueries, type PostMortemQueries } from '@ledger/read-store';
import { APP_CONFIG, type AppConfig } from '@ledger/runtime';
import { CLOCK, type Clock } from '../storage/clock';
import { ReadYourWrites } from '../read-models/read-your-writes';
import { AlertsQueryDto } from './alerts-query.dto';
import { ReadModelAnswers } from '../http/read-model-answers.decorator';
import { Allow } from '../identity/access.decorator';
import { AlertListDto } from './alert-list.dto';

const MS_PER_HOUR = 3_600_000;

@ApiTags('alerts')
@Controller('v1/alerts')
export class AlertsController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: AlertQueries & PostMortemQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  // Analysts too: the dashboard shows what needs a person beside the queues.
  @Allow('agent', 'supervisor', 'analyst')
  @ApiOkResponse({ type: AlertListDto, description: 'The alerts, newest first' })
  @Get()
  @ReadModelAnswers()
  @ApiOperation({
    summary: 'List alerts',
    description:
      'Tickets still worked on that are in SLA breach, at SLA warning, or idle past their priority’s threshold; required post-mortems missing 5 business days after the ticket ended; overdue post-mortem actions; newest first.',
  })
  async alerts(@Query() dto: AlertsQueryDto): Promise<AlertListDto> {
    await this.readYourWrites.await('alerts', dto.after);
    await this.readYourWrites.await('post-mortems', dto.after);
    const limit = dto.limit ?? 100;
    const now = this.clock.now().getTime();
    const idle = await Promise.all(
      PRIORITIES.map(async (priority) => {
        const thresholdMs = this.config.idleAlertHours[priority] * MS_PER_HOUR;
        const before = new Date(now - thresholdMs).toISOString();
        const tickets = await this.readStore.idleTickets(priority, before, limit);
        return { thresholdMs, tickets };
      }),
    );
    const marked = await this.readStore.slaAlerts(limit);
    const at = new Date(now).toISOString();
    const missing = await this.readStore.missingPostMortems(
      this.config.postMortemRequired,
      subtractBusinessDays(at, POST_MORTEM_GRACE_BUSINESS_DAYS),
      limit,
    );
    // Due before today (UTC): overdue from the start of the day after the due date.
    const overdue = await this.readStore.overdueActions(at.slice(0, 10), limit);
    return {
      at,
      idleAlertHours: this.config.idleAlertHours,
      alerts: alertList({ idle, marked, postMortems: postMortemAlerts(missing, overdue) }, limit),
    };
  }
}
