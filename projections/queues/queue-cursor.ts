import { PRIORITIES, STATUSES, TIERS, type Ticket } from '@ledger/domain';
import { createHmac, timingSafeEqual } from 'node:crypto';
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

const SIGNATURE_LENGTH = 22;
const CURSOR = /^([A-Za-z0-9_-]{1,1000})\.([A-Za-z0-9_-]{22})$/;

/**
 * Queue cursors carry the sort key of a page's last ticket and the filters
 * they were issued for, signed so that a cursor this API did not issue is
 * refused rather than read as a place in the queue.
 */
export class QueueCursorCodec {
  constructor(private readonly key: string) {}

  encode(query: QueueFilters, last: Ticket): string {
    const payload: CursorPayload = {
      f: filtersOf(query),
      k: [last.priority, last.customer.tier === 'vip', last.openedAt, last.ticketId],
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The key to start after; throws InvalidCursorError for anything this API did not issue for these filters. */
  decode(cursor: string, query: QueueFilters): QueueKey {
    const parts = CURSOR.exec(cursor);
    if (!parts || !this.signedHere(parts[1], parts[2])) {
      throw new InvalidCursorError('The cursor is not one this API issued');
    }
    let payload: Partial<CursorPayload>;
    try {
      payload = (JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) ??
        {}) as Partial<CursorPayload>;
    } catch {
      throw new InvalidCursorError('The cursor is not one this API issued');
    }
    const { f, k } = payload;
    if (!isFilters(f) || !isKey(k)) {
      throw new InvalidCursorError('The cursor is not one this API issued');
    }
    if (JSON.stringify(f) !== JSON.stringify(filtersOf(query))) {
      throw new InvalidCursorError('The cursor belongs to a query with other filters');
    }
    return { priority: k[0], vip: k[1], openedAt: k[2], ticketId: k[3] } as QueueKey;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key)
      .update(body)
      .digest('base64url')
      .slice(0, SIGNATURE_LENGTH);
  }

  private signedHere(body: string, signature: string): boolean {
    return timingSafeEqual(Buffer.from(this.sign(body)), Buffer.from(signature));
  }
}
