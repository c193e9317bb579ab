import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { Automation } from './automation';

/** The SLA clock and the assigner, acting through the tickets' commands. */
@Module({
  imports: [TicketsModule],
  providers: [Automation],
})
export class AutomationModule {}
