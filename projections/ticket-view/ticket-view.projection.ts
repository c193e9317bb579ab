import { foldTicket, type Projection } from '../projection';

/** The ticket as the domain folds it, one document per ticket. */
export const ticketViewProjection: Projection<'ticket-view'> = {
  name: 'ticket-view',
  version: 1,
  apply: foldTicket,
};
