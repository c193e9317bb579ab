/** One event of a text/event-stream. */
export interface StreamEvent {
  /** The last `id:` seen on the stream, this event's or an earlier one's. */
  id: string | undefined;
  /** `event:`, or `message` when the event named none. */
  type: string;
  data: string;
}

export class StreamTooLongLineError extends Error {
  constructor(limit: number) {
    super(`A line of the event stream is longer than ${limit} characters`);
    this.name = 'StreamTooLongLineError';
  }
}

/**
 * Reads a text/event-stream (the HTML standard's format) from chunks as they
 * arrive, in any split: `push` answers the events that the chunk completes.
 * A line longer than `maxLineLength` throws, so a stream that never ends a
 * line cannot grow the buffer without bound. A block with an `id:` or
 * `event:` but no `data:` is still an event: envelopes without data count.
 */
export class EventStreamParser {
  private buffer = '';
  private lastId: string | undefined;
  private type = '';
  private data: string[] = [];
  private seen = false;
  private afterCarriageReturn = false;

  constructor(private readonly maxLineLength = 1024 * 1024) {}

  push(chunk: string): StreamEvent[] {
    const events: StreamEvent[] = [];
    let text = chunk;
    // A CRLF split between two chunks is one line end, not two.
    if (this.afterCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    this.afterCarriageReturn = text.endsWith('\r');
    this.buffer += text;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop()!;
    if (this.buffer.length > this.maxLineLength)
      throw new StreamTooLongLineError(this.maxLineLength);
    for (const line of lines) {
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): StreamEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    else return undefined;
    this.seen = true;
    return undefined;
  }

  private dispatch(): StreamEvent | undefined {
    const event = this.seen
      ? { id: this.lastId, type: this.type || 'message', data: this.data.join('\n') }
      : undefined;
    this.type = '';
    this.data = [];
    this.seen = false;
    return event;
  }
}
