import { foldTicket, ticketStreamId, type TicketEvent } from '@ledger/domain';
import { datedEvent, type EventStore } from '@ledger/event-store';
import type { AutomationView } from './automation-view';

const READ_BATCH = 5000;

/**
 * Applies to `view` every event of the log after its position, a batch at a
 * time; a reopened ticket the view had let go of is folded again from its
 * own stream, up to the position reached.
 */
export async function foldLog(
  view: AutomationView,
  events: EventStore,
  stopped: () => boolean = () => false,
): Promise<void> {
  while (!stopped()) {
    const batch = await events.readAll({ after: view.position, limit: READ_BATCH });
    for (const event of batch) view.apply(event);
    for (const ticketId of [...view.toRestore]) {
      const upTo = view.position!;
      const history = (await events.readStream(ticketStreamId(ticketId))).filter(
        (event) => events.comparePositions(event.position, upTo) <= 0,
      );
      view.restore(foldTicket(history.map((event) => datedEvent<TicketEvent>(event))));
    }
    if (batch.length < READ_BATCH) return;
  }
}
