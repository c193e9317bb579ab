import type { RecordedEvent } from '@ledger/event-store';
import { eventMessage, feedViewOf } from './feed-message';

const metadata = {
  eventId: 'e-1',
  occurredAt: '2026-01-05T09:00:00.000Z',
  actor: 'ana',
  correlationId: 'c-1',
  causationId: 'k-1',
  schemaVersion: 1,
};

const note: RecordedEvent = {
  type: 'TicketNoteAdded',
  streamId: 'ticket-7b0c2f6e-1c1e-4a53-9a43-0c9f7a3f1b11',
  version: 2,
  position: '17',
  data: { body: 'first line\nsecond line\r\n\nid: 99' },
  metadata: { ...metadata, idempotencyKey: '["ana","POST /v1/tickets/:id/notes","retry-1"]' },
};

const keyIssued: RecordedEvent = { ...note, type: 'ApiKeyIssued', streamId: 'access' };

function fieldsOf(message: string): string[] {
  expect(message.endsWith('\n\n')).toBe(true);
  return message.slice(0, -2).split('\n');
}

const envelope = {
  type: 'TicketNoteAdded',
  streamId: note.streamId,
  version: 2,
  position: '17',
  occurredAt: '2026-01-05T09:00:00.000Z',
};

describe('a feed message', () => {
  it('is one event: its position as id, its type as event, the event as one data line', () => {
    const [id, event, data = '', ...rest] = fieldsOf(eventMessage(note, 'whole'));
    expect([id, event, rest]).toEqual(['id: 17', 'event: TicketNoteAdded', []]);
    expect(JSON.parse(data.slice('data: '.length))).toEqual({
      ...envelope,
      metadata,
      data: note.data,
    });
  });

  it('as an envelope, holds no data and no metadata', () => {
    const [, , data = ''] = fieldsOf(eventMessage(note, 'envelope'));
    expect(JSON.parse(data.slice('data: '.length))).toEqual(envelope);
  });
});

describe('what a subscriber sees', () => {
  it.each([
    [['agent'], 'whole', 'envelope'],
    [['supervisor'], 'whole', 'envelope'],
    [['auditor'], 'whole', 'envelope'],
    [['analyst'], 'envelope', 'envelope'],
    [['analyst', 'auditor'], 'whole', 'envelope'],
    [['admin'], 'whole', 'whole'],
  ] as const)('holding %j: %s tickets, %s keys', (roles, ticketView, keyView) => {
    expect(feedViewOf(roles, note)).toBe(ticketView);
    expect(feedViewOf(roles, keyIssued)).toBe(keyView);
  });
});
