import { PRIORITIES, STATUSES, TIERS, type Ticket } from '@ledger/domain';
import type { QueueKey, QueueQuery } from '@ledger/read-store';

/** The filters a cursor was issued for: a page must be asked with the same ones. */
type QueueFilters = Pick<QueueQuery, 'tier' | 'status' | 'priority' | 'assigned'>;

interface CursorPayload {
  f: [string, string | null, string | null, boolean | null];
  k: [string, boolean, string, string];
}

export class InvalidCursorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCursorError';
  }
}

function filtersOf(query: QueueFilters): CursorPayload['f'] {
  return [query.tier, query.status ?? null, query.priority ?? null, query.assigned ?? null];
}

export function encodeQueueCursor(query: QueueFilters, last: Ticket): string {
  const payload: CursorPayload = {
    f: filtersOf(query),
    k: [last.priority, last.customer.tier === 'vip', last.openedAt, last.ticketId],
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function isKey(value: unknown): value is CursorPayload['k'] {
  if (!Array.isArray(value) || value.length !== 4) return false;
  const [priority, vip, openedAt, ticketId] = value as unknown[];
  return (
    (PRIORITIES as readonly unknown[]).includes(priority) &&
    typeof vip === 'boolean' &&
    typeof openedAt === 'string' &&
    ISO_INSTANT.test(openedAt) &&
    typeof ticketId === 'string' &&
    ticketId.length > 0 &&
    ticketId.length <= 100
  );
}

function isFilters(value: unknown): value is CursorPayload['f'] {
  if (!Array.isArray(value) || value.length !== 4) return false;
  const [tier, status, priority, assigned] = value as unknown[];
  return (
    (TIERS as readonly unknown[]).includes(tier) &&
    (status === null || (STATUSES as readonly unknown[]).includes(status)) &&
    (priority === null || (PRIORITIES as readonly unknown[]).includes(priority)) &&
    (assigned === null || typeof assigned === 'boolean')
  );
}

/** The key to start after; throws InvalidCursorError for anything this API did not issue for these filters. */
export function decodeQueueCursor(cursor: string, query: QueueFilters): QueueKey {
  let payload: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,1000}$/.test(cursor)) throw new Error('not base64url');
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('The cursor is not one this API issued');
  }
  const { f, k } = (payload ?? {}) as Partial<CursorPayload>;
  if (!isFilters(f) || !isKey(k)) {
    throw new InvalidCursorError('The cursor is not one this API issued');
  }
  if (JSON.stringify(f) !== JSON.stringify(filtersOf(query))) {
    throw new InvalidCursorError('The cursor belongs to a query with other filters');
  }
  return { priority: k[0], vip: k[1], openedAt: k[2], ticketId: k[3] } as QueueKey;
}
