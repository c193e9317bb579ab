import { withoutPersonalData } from '@ledger/domain';
import { TICKET_EVENTS, evolveTicketDocument, type Projection } from '../projection';

/** The ticket as the domain folds it, one document per ticket. */
export const ticketViewProjection: Projection<'ticket-view'> = {
  name: 'ticket-view',
  source: TICKET_EVENTS,
  // 5: stored with the fields a ticket search filters on.
  // 6: and with the customer id an erasure finds its tickets by, never updated.
  version: 6,
  apply: evolveTicketDocument,
  eraseCustomer: withoutPersonalData,
};
