import type { Ticket } from '@ledger/domain';
import {
  TICKET_SEARCH_EQUALITIES,
  type TicketSearch,
  type TicketSearchKey,
} from '@ledger/read-store';
import { isCursorTicketId, ISO_INSTANT, SignedCursors } from '../http/paging/signed-cursors';

/** The filters of a search: a page must be asked with the same ones. */
export type TicketSearchFilters = Omit<TicketSearch, 'limit' | 'after'>;

type EncodedFilters = (string | boolean | null)[];
type EncodedKey = [string, string];

const FILTER_ORDER = [...TICKET_SEARCH_EQUALITIES, 'openedFrom', 'openedTo'] as const;

function filtersOf(search: TicketSearchFilters): EncodedFilters {
  return FILTER_ORDER.map((name) => search[name] ?? null);
}

function isKey(value: unknown): value is EncodedKey {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [openedAt, ticketId] = value as unknown[];
  return typeof openedAt === 'string' && ISO_INSTANT.test(openedAt) && isCursorTicketId(ticketId);
}

/** Ticket search cursors: the opening instant and id of a page's last ticket, for the filters asked. */
export class TicketSearchCursorCodec {
  private readonly cursors: SignedCursors<EncodedFilters, EncodedKey>;

  constructor(key: string) {
    this.cursors = new SignedCursors(key, isKey);
  }

  encode(search: TicketSearchFilters, last: Ticket): string {
    return this.cursors.encode(filtersOf(search), [last.openedAt, last.ticketId]);
  }

  /** The key to start after; throws InvalidCursorError for anything this API did not issue for these filters. */
  decode(cursor: string, search: TicketSearchFilters): TicketSearchKey {
    const [openedAt, ticketId] = this.cursors.decode(cursor, filtersOf(search));
    return { openedAt, ticketId };
  }
}
