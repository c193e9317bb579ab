import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { ReadModelsModule } from '../read-models/read-models.module';
import { SlaPolicyModule } from '../sla-policy/sla-policy.module';
import { ticketDeciderProvider } from './ticket-decider.provider';
import { TicketCommands } from './ticket-commands';
import { TicketQueriesController } from './ticket-queries.controller';
import { ticketSearchCursorsProvider } from './ticket-search-cursors.provider';
import { TicketsController } from './tickets.controller';

/** Tickets: their commands (under the SLA policy in force, for customers not erased) and their reads. */
@Module({
  imports: [SlaPolicyModule, CustomersModule, ReadModelsModule],
  controllers: [TicketsController, TicketQueriesController],
  providers: [ticketDeciderProvider, TicketCommands, ticketSearchCursorsProvider],
  exports: [TicketCommands],
})
export class TicketsModule {}
