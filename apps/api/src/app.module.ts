import { Module, type DynamicModule } from '@nestjs/common';
import { AgentsController } from './agents/agents.controller';
import { AlertsController } from './alerts/alerts.controller';
import { Automation } from './automation/automation';
import { CommandsModule } from './commands/commands.module';
import { CustomerErasure } from './customers/customer-erasure';
import { CustomersController } from './customers/customers.controller';
import { HealthController } from './health/health.controller';
import { IdentityModule } from './identity/identity.module';
import { KpisController } from './kpis/kpis.controller';
import { ProjectionsController } from './projections/projections.controller';
import { queueCursorsProvider } from './queues/queue-cursors.provider';
import { QueuesController } from './queues/queues.controller';
import { ReadYourWrites } from './read-models/read-your-writes';
import { SlaPolicies } from './sla-policy/sla-policies';
import { SlaPolicyController } from './sla-policy/sla-policy.controller';
import { StorageModule, type StorageOptions } from './storage/storage.module';
import { ticketDeciderProvider } from './tickets/ticket-decider.provider';
import { TicketCommands } from './tickets/ticket-commands';
import { TicketQueriesController } from './tickets/ticket-queries.controller';
import { TicketsController } from './tickets/tickets.controller';
import { WorkloadsController } from './workloads/workloads.controller';

@Module({})
export class AppModule {
  static forRoot(options: StorageOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [StorageModule.forRoot(options), CommandsModule, IdentityModule],
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
        CustomersController,
      ],
      providers: [
        ticketDeciderProvider,
        TicketCommands,
        ReadYourWrites,
        queueCursorsProvider,
        SlaPolicies,
        Automation,
        CustomerErasure,
      ],
    };
  }
}
