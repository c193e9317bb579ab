import type { Provider } from '@nestjs/common';
import { QueueCursorCodec } from '@ledger/projections';
import { READ_STORE, type ReadStore } from '@ledger/read-store';

/** Signs with a key kept in the read store, so every api process and restart accepts the same cursors. */
export const queueCursorsProvider: Provider = {
  provide: QueueCursorCodec,
  inject: [READ_STORE],
  useFactory: async (readStore: ReadStore) =>
    new QueueCursorCodec(await readStore.secret('queue-cursors')),
};
