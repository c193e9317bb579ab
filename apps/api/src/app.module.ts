import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AgentsController } from './agents/agents.controller';
import { AlertsController } from './alerts/alerts.controller';
import { AuditModule } from './audit/audit.module';
import { Automation } from './automation/automation';
import { CommandsModule } from './commands/commands.module';
import { FeedModule } from './feed/feed.module';
import { DashboardAssets } from './dashboard/dashboard-assets';
import { DashboardController } from './dashboard/dashboard.controller';
import { CustomerErasure } from './customers/customer-erasure';
import { CustomersController } from './customers/customers.controller';
import { HealthController } from './health/health.controller';
import { Readiness } from './health/readiness';
import { IdentityModule } from './identity/identity.module';
import { KpisController } from './kpis/kpis.controller';
import { MetricsController } from './observability/metrics.controller';
import {
  ObservabilityModule,
  type ObservabilityOptions,
} from './observability/observability.module';
import { PostMortemCommands } from './post-mortems/post-mortem-commands';
import { PostMortemsController } from './post-mortems/post-mortems.controller';
import { ProjectionsController } from './projections/projections.controller';
import { ReadModelPositions } from './projections/read-model-positions';
import { queueCursorsProvider } from './queues/queue-cursors.provider';
import { QueuesController } from './queues/queues.controller';
import { ReadYourWrites } from './read-models/read-your-writes';
import { ReviewsController } from './reviews/reviews.controller';
import { SlaPolicies } from './sla-policy/sla-policies';
import { SlaPolicyController } from './sla-policy/sla-policy.controller';
import { StorageModule, type StorageOptions } from './storage/storage.module';
import { ticketDeciderProvider } from './tickets/ticket-decider.provider';
import { ticketSearchCursorsProvider } from './tickets/ticket-search-cursors.provider';
import { TicketCommands } from './tickets/ticket-commands';
import { TicketQueriesController } from './tickets/ticket-queries.controller';
import { TicketsController } from './tickets/tickets.controller';
import { WorkloadsController } from './workloads/workloads.controller';

export interface AppOptions extends StorageOptions {
  observability: ObservabilityOptions;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        StorageModule.forRoot(options),
        ObservabilityModule.forRoot(options.observability),
        CommandsModule,
        IdentityModule,
        FeedModule,
        AuditModule,
        // Its own error log would repeat each failed probe: the answer names what is down.
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [
        HealthController,
        TicketsController,
        TicketQueriesController,
        QueuesController,
        WorkloadsController,
        KpisController,
        ProjectionsController,
        SlaPolicyController,
        AgentsController,
        AlertsController,
        MetricsController,
        DashboardController,
        PostMortemsController,
        ReviewsController,
        CustomersController,
      ],
      providers: [
        ticketDeciderProvider,
        TicketCommands,
        PostMortemCommands,
        ReadYourWrites,
        queueCursorsProvider,
        ticketSearchCursorsProvider,
        SlaPolicies,
        Automation,
        ReadModelPositions,
        Readiness,
        { provide: DashboardAssets, useFactory: () => new DashboardAssets() },
        CustomerErasure,
      ],
    };
  }
}
