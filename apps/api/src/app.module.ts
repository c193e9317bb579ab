import { Module, type DynamicModule } from '@nestjs/common';
import { AgentsModule } from './agents/agents.module';
import { AuditModule } from './audit/audit.module';
import { AutomationModule } from './automation/automation.module';
import { CommandsModule } from './commands/commands.module';
import { CustomersModule } from './customers/customers.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { FeedModule } from './feed/feed.module';
import { HealthModule } from './health/health.module';
import { IdentityModule } from './identity/identity.module';
import { MetricsModule } from './observability/metrics.module';
import {
  ObservabilityModule,
  type ObservabilityOptions,
} from './observability/observability.module';
import { PostMortemsModule } from './post-mortems/post-mortems.module';
import { ProjectionsAdminModule } from './projections/projections-admin.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { SlaPolicyModule } from './sla-policy/sla-policy.module';
import { StorageModule, type StorageOptions } from './storage/storage.module';
import { TicketsModule } from './tickets/tickets.module';

export interface AppOptions extends StorageOptions {
  observability: ObservabilityOptions;
}

/**
 * The core — configuration, clock, stores and projections (StorageModule),
 * logs, metrics and traces (ObservabilityModule), the command path
 * (CommandsModule) and who is calling (IdentityModule) — and one module per
 * feature over it.
 */
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
        TicketsModule,
        AgentsModule,
        SlaPolicyModule,
        CustomersModule,
        PostMortemsModule,
        ReadModelsModule,
        ProjectionsAdminModule,
        // With PROJECTIONS=worker the automation runs in the worker, off the request thread.
        ...(options.config.projections === 'worker' ? [] : [AutomationModule]),
        FeedModule,
        AuditModule,
        HealthModule,
        MetricsModule,
        DashboardModule,
      ],
    };
  }
}
