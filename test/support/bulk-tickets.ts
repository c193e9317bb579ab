import { ticketStreamId } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { testMetadata, ticketOpened } from './test-events';

/**
 * Opens `count` tickets straight into the log, a second of event time apart
 * from `from` on: a long log in seconds, where sending as many commands over
 * HTTP would take minutes.
 */
export async function appendOpenedTickets(
  events: EventStore,
  count: number,
  from: string,
): Promise<void> {
  const appends: Promise<unknown>[] = [];
  for (let index = 0; index < count; index++) {
    const event = ticketOpened(`bulk-${index}`);
    const occurredAt = new Date(Date.parse(from) + index * 1000).toISOString();
    appends.push(
      events.append(
        ticketStreamId(event.data.ticketId),
        [{ ...event, metadata: testMetadata({ occurredAt }) }],
        'no_stream',
      ),
    );
  }
  await Promise.all(appends);
}
