import { TicketSearchCursorCodec } from '@ledger/projections';
import { cursorCodecProvider } from '../read-models/page-cursors';

export const ticketSearchCursorsProvider = cursorCodecProvider(
  TicketSearchCursorCodec,
  'ticket-search-cursors',
);
