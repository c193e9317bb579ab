import type { Document } from 'mongodb';
import type { TicketDocument } from '../read-models';
import type { TicketSearch } from '../read-store';
import { encodeDocument } from './mongo-documents';
import { SEARCH_ORDER, ticketSearchFilter } from './mongo-ticket-search';

/**
 * The part of MongoDB's query language the search filter uses: equality,
 * `$gte`, `$lt`, `$gt` on a field, and `$or`. What the stored documents
 * hold and what the filter asks of them are checked against each other
 * without a server; the contract suite runs the real thing when one is given.
 */
function matches(doc: Document, filter: Document): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    if (field === '$or') return (condition as Document[]).some((inner) => matches(doc, inner));
    const value = doc[field];
    if (condition === null || typeof condition !== 'object') return value === condition;
    return Object.entries(condition as Document).every(([operator, operand]) => {
      if (operator === '$gte') return value >= operand;
      if (operator === '$lt') return value < operand;
      if (operator === '$gt') return value > operand;
      throw new Error(`The search filter uses ${operator}, which this check does not know`);
    });
  });
}

function sorted(docs: Document[]): Document[] {
  return [...docs].sort((a, b) => {
    for (const [field, direction] of Object.entries(SEARCH_ORDER)) {
      if (a[field] !== b[field]) return (a[field] < b[field] ? -1 : 1) * direction;
    }
    return 0;
  });
}

const ticket = (ticketId: string, overrides: Partial<TicketDocument>) =>
  ({
    ticketId,
    channel: 'email',
    customer: { id: 'c-1', tier: 'standard' },
    category: 'billing',
    priority: 'medium',
    status: 'open',
    tier: 'L1',
    assigneeId: null,
    escalationCount: 0,
    openedAt: '2025-03-01T09:00:00.000Z',
    ...overrides,
  }) as TicketDocument;

const TICKETS = [
  ticket('t-1', { tier: 'L2', escalationCount: 1, assigneeId: 'ann' }),
  ticket('t-2', { customer: { id: 'c-2', tier: 'vip' }, channel: 'chat', status: 'resolved' }),
  ticket('t-3', { openedAt: '2025-03-02T09:00:00.000Z', category: 'access', priority: 'urgent' }),
  ticket('t-4', { openedAt: '2025-03-03T09:00:00.000Z', escalationCount: 2, assigneeId: 'bob' }),
];
const STORED = TICKETS.map((doc) => encodeDocument('ticket-view', doc.ticketId, doc));

function found(search: TicketSearch): string[] {
  const filter = ticketSearchFilter(search);
  return sorted(STORED.filter((doc) => matches(doc, filter)))
    .slice(0, search.limit)
    .map((doc) => doc._id as string);
}

describe('ticket search in MongoDB', () => {
  it.each<[Omit<TicketSearch, 'limit'>, string[]]>([
    [{}, ['t-4', 't-3', 't-2', 't-1']],
    [{ tier: 'L2' }, ['t-1']],
    [{ status: 'resolved' }, ['t-2']],
    [{ priority: 'urgent' }, ['t-3']],
    [{ category: 'access' }, ['t-3']],
    [{ channel: 'chat' }, ['t-2']],
    [{ assigneeId: 'bob' }, ['t-4']],
    [{ customerId: 'c-2' }, ['t-2']],
    [{ escalated: true }, ['t-4', 't-1']],
    [{ escalated: false }, ['t-3', 't-2']],
    [{ openedFrom: '2025-03-02T09:00:00.000Z' }, ['t-4', 't-3']],
    [{ openedTo: '2025-03-02T09:00:00.000Z' }, ['t-2', 't-1']],
    [{ after: { openedAt: '2025-03-01T09:00:00.000Z', ticketId: 't-2' } }, ['t-1']],
    [{ after: { openedAt: '2025-03-02T09:00:00.000Z', ticketId: 't-3' } }, ['t-2', 't-1']],
  ])('finds what the stored fields say for %j', (search, expected) => {
    expect(found({ ...search, limit: 10 })).toEqual(expected);
  });
});
