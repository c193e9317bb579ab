import type { Provider } from '@nestjs/common';
import { createTicketDecider } from '@ledger/domain';
import { APP_CONFIG, type AppConfig } from '@ledger/runtime';

export const TICKET_DECIDER = Symbol('TICKET_DECIDER');

/** The ticket's rules, with the keyword rules of the configuration. */
export const ticketDeciderProvider: Provider = {
  provide: TICKET_DECIDER,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => createTicketDecider({ priorityRules: config.priorityRules }),
};
