import { PRIORITIES, queuePlaceOf, type Ticket } from '@ledger/domain';
import type { QueueKey, QueueQuery } from '@ledger/read-store';
import { isCursorTicketId, ISO_INSTANT, SignedCursors } from '../http/paging/signed-cursors';

export { InvalidCursorError } from '../http/paging/signed-cursors';

/** The filters a cursor was issued for: a page must be asked with the same ones. */
type QueueFilters = Pick<QueueQuery, 'tier' | 'status' | 'priority' | 'assigned'>;

type EncodedFilters = [string, string | null, string | null, boolean | null];
type EncodedKey = [string, boolean, string, string];

function filtersOf(query: QueueFilters): EncodedFilters {
  return [query.tier, query.status ?? null, query.priority ?? null, query.assigned ?? null];
}

function isKey(value: unknown): value is EncodedKey {
  if (!Array.isArray(value) || value.length !== 4) return false;
  const [priority, vip, openedAt, ticketId] = value as unknown[];
  return (
    (PRIORITIES as readonly unknown[]).includes(priority) &&
    typeof vip === 'boolean' &&
    typeof openedAt === 'string' &&
    ISO_INSTANT.test(openedAt) &&
    isCursorTicketId(ticketId)
  );
}

/** Queue cursors: the queue-order key of a page's last ticket, for the tier and filters asked. */
export class QueueCursorCodec {
  private readonly cursors: SignedCursors<EncodedFilters, EncodedKey>;

  constructor(key: string) {
    this.cursors = new SignedCursors(key, isKey);
  }

  encode(query: QueueFilters, last: Ticket): string {
    const { priority, vip, openedAt, ticketId } = queuePlaceOf(last);
    return this.cursors.encode(filtersOf(query), [priority, vip, openedAt, ticketId]);
  }

  /** The key to start after; throws InvalidCursorError for anything this API did not issue for these filters. */
  decode(cursor: string, query: QueueFilters): QueueKey {
    const [priority, vip, openedAt, ticketId] = this.cursors.decode(cursor, filtersOf(query));
    return { priority, vip, openedAt, ticketId } as QueueKey;
  }
}
