import { TicketSearchCursorCodec } from './ticket-search-cursor';
import { cursorCodecProvider } from '../read-models/page-cursors';

export const ticketSearchCursorsProvider = cursorCodecProvider(
  TicketSearchCursorCodec,
  'ticket-search-cursors',
);
