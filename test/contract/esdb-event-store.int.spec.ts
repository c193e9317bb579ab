import { randomUUID } from 'node:crypto';
import { EsdbEventStore, type EventStore } from '@ledger/event-store';
import { describeEventStoreContract } from './event-store.contract';

const url = process.env.EVENTSTORE_URL;

describeEventStoreContract(
  'EventStoreDB',
  async () => {
    // Every test gets streams of its own on the shared server: an empty log.
    const namespace = `contract-${randomUUID()}-`;
    const opened: EventStore[] = [EsdbEventStore.connect(url!, { namespace })];
    return {
      store: opened[0],
      reopen: async () => {
        const store = EsdbEventStore.connect(url!, { namespace });
        opened.push(store);
        return store;
      },
      cleanup: async () => {
        await Promise.all(opened.map((store) => store.close()));
      },
    };
  },
  url ? undefined : 'EVENTSTORE_URL is not set',
);
