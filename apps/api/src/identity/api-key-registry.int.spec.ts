import { SqliteEventStore, type EventStore, type ReadStreamOptions } from '@ledger/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DelayedEventStore } from '../../../../test/support/delayed-event-store';
import { ApiKeyRegistry } from './api-key-registry';

/** The real store, read late, whose next stream read fails once (a busy database, a dropped connection). */
class FlakyEventStore extends DelayedEventStore {
  failures = 0;

  constructor(store: EventStore) {
    super(store, () => 5);
  }

  override async readStream(streamId: string, options?: ReadStreamOptions) {
    if (this.failures > 0) {
      this.failures -= 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('the store is busy');
    }
    return super.readStream(streamId, options);
  }
}

describe('the key registry', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-registry-'));
    store = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails only the requests of a failed read: the next ones read again', async () => {
    const flaky = new FlakyEventStore(store);
    const registry = new ApiKeyRegistry(flaky);
    flaky.failures = 1;

    const during = await Promise.allSettled([registry.refresh(), registry.refresh()]);
    expect(during[0].status).toBe('rejected');

    const after = await Promise.allSettled([1, 2, 3, 4, 5].map(() => registry.refresh()));
    expect(after.map((outcome) => outcome.status)).toEqual(Array(5).fill('fulfilled'));
  });
});
