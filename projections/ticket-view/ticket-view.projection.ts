import { withoutPersonalData } from '@ledger/domain';
import { TICKET_EVENTS, foldTicket, type Projection } from '../projection';

/** The ticket as the domain folds it, one document per ticket. */
export const ticketViewProjection: Projection<'ticket-view'> = {
  name: 'ticket-view',
  source: TICKET_EVENTS,
  version: 5,
  apply: foldTicket,
  eraseCustomer: withoutPersonalData,
};
