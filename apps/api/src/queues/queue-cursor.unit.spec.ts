import type { Ticket } from '@ledger/domain';
import { InvalidCursorError, QueueCursorCodec } from './queue-cursor';

const last = {
  ticketId: '4a4b8b8e-6a43-4d8e-9c1e-0f0f3d5b8a11',
  priority: 'high',
  customer: { id: 'c', tier: 'vip' },
  openedAt: '2026-01-05T09:00:00.000Z',
} as Ticket;
const filters = { tier: 'L1' as const, status: 'open' as const };

describe('queue cursors', () => {
  const codec = new QueueCursorCodec('a secret of this deployment');

  it('lead back to the sort key of the page they ended', () => {
    const cursor = codec.encode(filters, last);

    expect(codec.decode(cursor, filters)).toEqual({
      priority: 'high',
      vip: true,
      openedAt: '2026-01-05T09:00:00.000Z',
      ticketId: last.ticketId,
    });
  });

  it('are refused when made with another key, however well formed', () => {
    const forged = new QueueCursorCodec('a guess').encode(filters, last);

    expect(() => codec.decode(forged, filters)).toThrow(InvalidCursorError);
  });

  it('are refused when their payload is changed', () => {
    const [, signature] = codec.encode(filters, last).split('.');
    const other = Buffer.from(
      JSON.stringify({ f: ['L1', 'open', null, null], k: ['low', false, last.openedAt, 'x'] }),
    ).toString('base64url');

    expect(() => codec.decode(`${other}.${signature}`, filters)).toThrow(InvalidCursorError);
  });

  it('are refused with other filters than they were issued for', () => {
    const cursor = codec.encode(filters, last);

    expect(() => codec.decode(cursor, { tier: 'L1' })).toThrow(/other filters/);
  });
});
