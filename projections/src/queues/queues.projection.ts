import { withoutPersonalData } from '@ledger/domain';
import { TICKET_EVENTS, evolveTicketDocument, type Projection } from '../projection';

/**
 * The whole ticket, kept after it leaves the queue so a reopen can bring it
 * back; the store indexes the unresolved ones in queue order.
 */
export const queuesProjection: Projection<'queues'> = {
  name: 'queues',
  source: TICKET_EVENTS,
  version: 5,
  apply: evolveTicketDocument,
  eraseCustomer: withoutPersonalData,
};
