import { randomUUID } from 'node:crypto';
import { EsdbEventStore, type EventStore } from '@ledger/event-store';
import { describeEventStoreContract } from './event-store.contract';
import { reopenableStore } from './reopenable-store';

const url = process.env.EVENTSTORE_URL;

describeEventStoreContract(
  'EventStoreDB',
  async () => {
    // Every test gets streams of its own on the shared server: an empty log.
    const namespace = `contract-${randomUUID()}-`;
    return reopenableStore<EventStore>(
      () => EsdbEventStore.connect(url!, { namespace }),
      async () => {},
    );
  },
  url ? undefined : 'EVENTSTORE_URL is not set',
);
