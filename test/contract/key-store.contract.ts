import type { KeyStore } from '@ledger/personal-data';
import { describeUnless } from '../support/describe-unless';

export interface OpenedKeyStore {
  store: KeyStore;
  /** Another store on the same storage: another process. */
  reopen(): Promise<KeyStore>;
  cleanup(): Promise<void>;
}

const AT = new Date('2026-03-02T09:00:00.000Z');
const LATER = new Date('2026-03-03T09:00:00.000Z');

export function describeKeyStoreContract(
  adapterName: string,
  open: () => Promise<OpenedKeyStore>,
  /** Why the adapter cannot be reached in this run; its cases are then reported as skipped. */
  skipReason?: string,
): void {
  describeUnless(skipReason, `KeyStore contract: ${adapterName}`, () => {
    let opened: OpenedKeyStore;
    let store: KeyStore;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });

    afterEach(async () => {
      await opened.cleanup();
    });

    it('finds nothing under a key id never kept', async () => {
      expect(await store.find('customer:c-1')).toBeUndefined();
    });

    it('keeps a wrapped key and finds it again', async () => {
      expect(await store.keep('customer:c-1', 'wrapped-1')).toEqual({
        kid: 'customer:c-1',
        wrapped: 'wrapped-1',
      });
      expect(await store.find('customer:c-1')).toEqual({
        kid: 'customer:c-1',
        wrapped: 'wrapped-1',
      });
    });

    it('keeps the first key of an id: a second keep answers the first', async () => {
      await store.keep('customer:c-1', 'wrapped-1');

      expect(await store.keep('customer:c-1', 'wrapped-2')).toEqual({
        kid: 'customer:c-1',
        wrapped: 'wrapped-1',
      });
    });

    it('gives writers racing for a new key all the same one', async () => {
      const another = await opened.reopen();
      const kept = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          (index % 2 === 0 ? store : another).keep('customer:c-race', `wrapped-${index}`),
        ),
      );

      expect(new Set(kept.map((key) => key.wrapped)).size).toBe(1);
      expect(await store.find('customer:c-race')).toEqual(kept[0]);
    });

    it('keeps the keys of different ids apart, ids compared exactly', async () => {
      await store.keep('customer:c-1', 'wrapped-1');
      await store.keep('customer:C-1', 'wrapped-2');
      await store.keep('customer:Émile', 'wrapped-3');

      expect((await store.find('customer:c-1'))?.wrapped).toBe('wrapped-1');
      expect((await store.find('customer:C-1'))?.wrapped).toBe('wrapped-2');
      expect((await store.find('customer:Émile'))?.wrapped).toBe('wrapped-3');
    });

    it('destroys a key, leaving a tombstone without the key', async () => {
      await store.keep('customer:c-1', 'wrapped-1');
      await store.keep('customer:c-2', 'wrapped-2');

      await store.destroy('customer:c-1', AT);

      expect(await store.find('customer:c-1')).toEqual({
        kid: 'customer:c-1',
        destroyedAt: AT.toISOString(),
      });
      expect((await store.find('customer:c-2'))?.wrapped).toBe('wrapped-2');
    });

    it('never makes a destroyed key again', async () => {
      await store.keep('customer:c-1', 'wrapped-1');
      await store.destroy('customer:c-1', AT);

      expect(await store.keep('customer:c-1', 'wrapped-2')).toEqual({
        kid: 'customer:c-1',
        destroyedAt: AT.toISOString(),
      });
    });

    it('leaves a tombstone for an id that had no key, so none is made later', async () => {
      await store.destroy('customer:never', AT);

      expect(await store.keep('customer:never', 'wrapped-1')).toEqual({
        kid: 'customer:never',
        destroyedAt: AT.toISOString(),
      });
    });

    it('keeps the first destruction’s date when destroyed again', async () => {
      await store.keep('customer:c-1', 'wrapped-1');
      await store.destroy('customer:c-1', AT);
      await store.destroy('customer:c-1', LATER);

      expect((await store.find('customer:c-1'))?.destroyedAt).toBe(AT.toISOString());
    });

    it('shares keys and tombstones with every store opened on the same storage', async () => {
      await store.keep('customer:c-1', 'wrapped-1');
      await store.keep('customer:c-2', 'wrapped-2');
      const another = await opened.reopen();

      await another.destroy('customer:c-2', AT);

      expect((await another.find('customer:c-1'))?.wrapped).toBe('wrapped-1');
      expect((await store.find('customer:c-2'))?.destroyedAt).toBe(AT.toISOString());
    });
  });
}
