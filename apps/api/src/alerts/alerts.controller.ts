import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PRIORITIES } from '@ledger/domain';
import { READ_STORE, type AlertDocument, type ReadStore } from '@ledger/read-store';
import { APP_CONFIG, type AppConfig } from '@ledger/runtime';
import { CLOCK, type Clock } from '../storage/clock';
import { ReadYourWrites } from '../read-models/read-your-writes';
import { AlertsQueryDto } from './alerts-query.dto';

const MS_PER_HOUR = 3_600_000;

export interface Alert {
  kind: 'sla_breach' | 'sla_warning' | 'idle';
  /** When the alert began: the SLA mark, or the moment the ticket had been idle for its threshold. */
  since: string;
  ticketId: string;
  priority: AlertDocument['priority'];
  tier: AlertDocument['tier'];
  status: AlertDocument['status'];
  assigneeId: string | null;
  lastActivityAt: string;
  /** The SLA target warned about or breached. */
  target?: 'first_response' | 'resolution';
}

function alertOf(doc: AlertDocument, kind: Alert['kind'], since: string): Alert {
  const { ticketId, priority, tier, status, assigneeId, lastActivityAt } = doc;
  return {
    kind,
    since,
    ticketId,
    priority,
    tier,
    status,
    assigneeId,
    lastActivityAt,
    ...(kind !== 'idle' && doc.sla && { target: doc.sla.target }),
  };
}

@ApiTags('alerts')
@Controller('v1/alerts')
export class AlertsController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Tickets still worked on that are in SLA breach, at SLA warning, or idle past their priority’s threshold; newest first',
  })
  async alerts(@Query() dto: AlertsQueryDto) {
    await this.readYourWrites.await('alerts', dto.after);
    const limit = dto.limit ?? 100;
    const now = this.clock.now().getTime();
    const idle = await Promise.all(
      PRIORITIES.map(async (priority) => {
        const thresholdMs = this.config.idleAlertHours[priority] * MS_PER_HOUR;
        const before = new Date(now - thresholdMs).toISOString();
        const docs = await this.readStore.idleTickets(priority, before, limit);
        return docs.map((doc) =>
          alertOf(
            doc,
            'idle',
            new Date(Date.parse(doc.lastActivityAt) + thresholdMs).toISOString(),
          ),
        );
      }),
    );
    const marked = (await this.readStore.slaAlerts(limit)).map((doc) =>
      alertOf(doc, doc.sla!.mark === 'breach' ? 'sla_breach' : 'sla_warning', doc.sla!.at),
    );
    const alerts = [...marked, ...idle.flat()].sort((a, b) =>
      a.since < b.since ? 1 : a.since > b.since ? -1 : a.ticketId < b.ticketId ? -1 : 1,
    );
    return {
      at: new Date(now).toISOString(),
      idleAlertHours: this.config.idleAlertHours,
      alerts: alerts.slice(0, limit),
    };
  }
}
