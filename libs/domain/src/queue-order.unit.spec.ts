import { compareQueuePlaces, queuePlaceOf, type QueuePlace } from './queue-order';

const place = (overrides: Partial<QueuePlace>): QueuePlace => ({
  priority: 'medium',
  vip: false,
  openedAt: '2026-01-05T09:00:00.000Z',
  ticketId: 't-1',
  ...overrides,
});

const order = (...places: QueuePlace[]) =>
  [...places].sort(compareQueuePlaces).map((one) => one.ticketId);

describe('the queue order', () => {
  it('puts higher priorities first, whoever the customer and however old the ticket', () => {
    expect(
      order(
        place({
          ticketId: 'low',
          priority: 'low',
          vip: true,
          openedAt: '2026-01-01T00:00:00.000Z',
        }),
        place({ ticketId: 'urgent', priority: 'urgent' }),
        place({ ticketId: 'high', priority: 'high' }),
      ),
    ).toEqual(['urgent', 'high', 'low']);
  });

  it('puts VIP customers first within a priority, however old the other ticket', () => {
    expect(
      order(
        place({ ticketId: 'older', openedAt: '2026-01-01T00:00:00.000Z' }),
        place({ ticketId: 'vip', vip: true }),
      ),
    ).toEqual(['vip', 'older']);
  });

  it('puts the oldest first among equals, then the lower ticket id, so no two tie', () => {
    expect(
      order(
        place({ ticketId: 'b', openedAt: '2026-01-05T10:00:00.000Z' }),
        place({ ticketId: 'c' }),
        place({ ticketId: 'a', openedAt: '2026-01-05T10:00:00.000Z' }),
      ),
    ).toEqual(['c', 'a', 'b']);
    expect(compareQueuePlaces(place({}), place({}))).toBe(0);
  });

  it('places a ticket by its priority, its customer’s tier, when it opened and its id', () => {
    expect(
      queuePlaceOf({
        ticketId: 't-9',
        priority: 'high',
        customer: { id: 'c-1', tier: 'vip' },
        openedAt: '2026-01-05T09:00:00.000Z',
      }),
    ).toEqual({
      ticketId: 't-9',
      priority: 'high',
      vip: true,
      openedAt: '2026-01-05T09:00:00.000Z',
    });
  });
});
