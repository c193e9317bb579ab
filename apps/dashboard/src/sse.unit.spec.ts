import { EventStreamParser, StreamTooLongLineError } from './sse';

const STREAM =
  ': a comment\n' +
  'id: 41\nevent: TicketOpened\ndata: {"type":"TicketOpened"}\n\n' +
  'id: 42\r\nevent: TicketEscalated\r\n\r\n' +
  'data: first\ndata: second\n\n';

describe('the event stream parser', () => {
  it('reads ids, types and data, and keeps the last id for events without one', () => {
    expect(new EventStreamParser().push(STREAM)).toEqual([
      { id: '41', type: 'TicketOpened', data: '{"type":"TicketOpened"}' },
      { id: '42', type: 'TicketEscalated', data: '' },
      { id: '42', type: 'message', data: 'first\nsecond' },
    ]);
  });

  it('gives the same events however the stream is cut into chunks', () => {
    const whole = new EventStreamParser().push(STREAM);
    for (let size = 1; size <= 7; size++) {
      const parser = new EventStreamParser();
      const events = [];
      for (let at = 0; at < STREAM.length; at += size) {
        events.push(...parser.push(STREAM.slice(at, at + size)));
      }
      expect({ size, events }).toEqual({ size, events: whole });
    }
  });

  it('holds an event back until the blank line that ends it', () => {
    const parser = new EventStreamParser();
    expect(parser.push('id: 7\ndata: x\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ id: '7', type: 'message', data: 'x' }]);
  });

  it('refuses a line longer than its limit instead of buffering it', () => {
    const parser = new EventStreamParser(64);
    expect(() => parser.push(`data: ${'x'.repeat(100)}`)).toThrow(StreamTooLongLineError);
  });
});
