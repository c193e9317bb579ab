import { ACCESS_STREAM } from '@ledger/domain';
import {
  ForwardingEventStore,
  SqliteEventStore,
  type EventStore,
  type ReadStreamOptions,
} from '@ledger/event-store';
import { testMetadata } from '../../../../test/support/test-events';
import { hashSecret } from './key-secrets';
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

/** The real store, counting its reads of the access stream. */
class CountingEventStore extends ForwardingEventStore {
  accessReads = 0;

  override readStream(streamId: string, options?: ReadStreamOptions) {
    if (streamId === ACCESS_STREAM) this.accessReads += 1;
    return super.readStream(streamId, options);
  }
}

function issued(keyId: string, secret: string) {
  return {
    type: 'ApiKeyIssued',
    data: { keyId, name: keyId, roles: ['admin'], secretHash: hashSecret(secret) },
    metadata: testMetadata(),
  };
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

  it('reads the access stream only when it may have changed: appended here, or the file written by another connection', async () => {
    const counting = new CountingEventStore(store);
    const registry = new ApiKeyRegistry(counting);
    const other = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
    try {
      await counting.append(ACCESS_STREAM, [issued('k-1', 'secret-1')], 'no_stream');
      expect(await registry.principalFor('secret-1')).toMatchObject({ keyId: 'k-1' });
      const afterFirst = counting.accessReads;
      await registry.refresh();
      await counting.append(
        'ticket-1',
        [{ type: 'Noted', data: {}, metadata: testMetadata() }],
        'no_stream',
      );
      await registry.refresh();
      expect(counting.accessReads).toBe(afterFirst);

      await counting.append(ACCESS_STREAM, [issued('k-2', 'secret-2')], 1);
      expect(await registry.principalFor('secret-2')).toMatchObject({ keyId: 'k-2' });
      await other.append(ACCESS_STREAM, [issued('k-3', 'secret-3')], 2);
      expect(await registry.principalFor('secret-3')).toMatchObject({ keyId: 'k-3' });
      await other.append(
        ACCESS_STREAM,
        [{ type: 'ApiKeyRevoked', data: { keyId: 'k-1' }, metadata: testMetadata() }],
        3,
      );
      expect(await registry.principalFor('secret-1')).toBeUndefined();
      expect(counting.accessReads).toBe(afterFirst + 3);
    } finally {
      registry.onModuleDestroy();
      await other.close();
    }
  });

  it('never answers from the keys it had once a read of the stream could not be applied', async () => {
    const registry = new ApiKeyRegistry(store);
    const other = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
    try {
      await store.append(ACCESS_STREAM, [issued('k-1', 'secret-1')], 'no_stream');
      expect(await registry.principalFor('secret-1')).toMatchObject({ keyId: 'k-1' });
      // Written by a newer release: an event this one cannot fold, then a revocation.
      await other.append(
        ACCESS_STREAM,
        [
          { type: 'ApiKeyRenamed', data: { keyId: 'k-1' }, metadata: testMetadata() },
          { type: 'ApiKeyRevoked', data: { keyId: 'k-1' }, metadata: testMetadata() },
        ],
        1,
      );

      const looks = await Promise.allSettled(
        [1, 2, 3].map(async () => registry.principalFor('secret-1')),
      );

      expect(looks.map((look) => look.status)).toEqual(['rejected', 'rejected', 'rejected']);
    } finally {
      registry.onModuleDestroy();
      await other.close();
    }
  });

  it('reads at every look once destroyed: its own appends are no longer heard', async () => {
    const registry = new ApiKeyRegistry(store);
    await store.append(ACCESS_STREAM, [issued('k-1', 'secret-1')], 'no_stream');
    expect(await registry.principalFor('secret-1')).toMatchObject({ keyId: 'k-1' });

    registry.onModuleDestroy();
    await store.append(
      ACCESS_STREAM,
      [{ type: 'ApiKeyRevoked', data: { keyId: 'k-1' }, metadata: testMetadata() }],
      1,
    );

    expect(await registry.principalFor('secret-1')).toBeUndefined();
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
