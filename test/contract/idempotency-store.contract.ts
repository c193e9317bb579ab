import type {
  IdempotencyStore,
  IdempotentAnswer,
} from '../../apps/api/src/idempotency/idempotency-store';
import { describeUnless } from '../support/describe-unless';

export interface OpenedIdempotencyStore {
  store: IdempotencyStore;
  /** Another store on the same storage: another API instance. */
  reopen(): Promise<IdempotencyStore>;
  cleanup(): Promise<void>;
}

const HOUR = 3_600_000;

export function describeIdempotencyStoreContract(
  adapterName: string,
  open: () => Promise<OpenedIdempotencyStore>,
  /** Why the adapter cannot be reached in this run; its cases are then reported as skipped. */
  skipReason?: string,
): void {
  describeUnless(skipReason, `IdempotencyStore contract: ${adapterName}`, () => {
    let opened: OpenedIdempotencyStore;
    let store: IdempotencyStore;
    // Ahead of the real clock: a store that expires answers by its own clock
    // (a TTL monitor) must not take away those the cases still read.
    const start = Date.now() + 24 * HOUR;
    const at = (hours: number) => new Date(start + hours * HOUR);
    let scopeCount = 0;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });

    afterEach(async () => {
      await opened.cleanup();
    });

    function anAnswer(overrides: Partial<IdempotentAnswer> = {}): IdempotentAnswer {
      scopeCount += 1;
      return {
        scope: JSON.stringify(['agent-1', 'POST /v1/tickets', `key-${scopeCount}`]),
        requestHash: 'hash-1',
        status: 201,
        body: { ticketId: 't-1', version: 1 },
        expiresAt: at(24),
        ...overrides,
      };
    }

    it('finds no answer for a scope never answered', async () => {
      expect(await store.find(anAnswer().scope, at(0))).toBeUndefined();
    });

    it('finds the answer saved for a scope until it expires', async () => {
      const answer = anAnswer();
      await store.save(answer, at(0));

      expect(await store.find(answer.scope, at(1))).toEqual(answer);
      expect(await store.find(answer.scope, at(23.9))).toEqual(answer);
    });

    it('treats an answer as absent from the moment it expires, deleted or not', async () => {
      const answer = anAnswer();
      await store.save(answer, at(0));

      expect(await store.find(answer.scope, at(24))).toBeUndefined();
      expect(await store.find(answer.scope, at(48))).toBeUndefined();
    });

    it('keeps the first answer of a scope', async () => {
      const first = anAnswer();
      await store.save(first, at(0));

      await store.save({ ...first, requestHash: 'hash-2', body: { other: true } }, at(1));

      expect(await store.find(first.scope, at(2))).toEqual(first);
    });

    it('takes a new answer in the place of an expired one of the same scope', async () => {
      const expired = anAnswer({ expiresAt: at(1) });
      await store.save(expired, at(0));
      const next = {
        ...expired,
        requestHash: 'hash-2',
        body: { ticketId: 't-2' },
        expiresAt: at(3),
      };

      await store.save(next, at(2));

      expect(await store.find(expired.scope, at(2))).toEqual(next);
    });

    it('keeps the answers of different scopes apart', async () => {
      const one = anAnswer();
      const other = anAnswer({ body: { ticketId: 't-2' } });
      await store.save(one, at(0));
      await store.save(other, at(0));

      expect(await store.find(one.scope, at(1))).toEqual(one);
      expect(await store.find(other.scope, at(1))).toEqual(other);
    });

    it('gives the body back as JSON carried it to the first caller', async () => {
      const answer = anAnswer({
        body: {
          at: new Date('2025-03-01T09:00:00.000Z'),
          gone: undefined,
          $where: 'a key MongoDB would refuse as a field',
          'dotted.key': [1, null, { nested: 'yes' }],
        },
      });
      await store.save(answer, at(0));

      expect((await store.find(answer.scope, at(1)))?.body).toEqual({
        at: '2025-03-01T09:00:00.000Z',
        $where: 'a key MongoDB would refuse as a field',
        'dotted.key': [1, null, { nested: 'yes' }],
      });
    });

    it('shares its answers with every store opened on the same storage', async () => {
      const answer = anAnswer();
      await store.save(answer, at(0));
      const another = await opened.reopen();

      expect(await another.find(answer.scope, at(1))).toEqual(answer);
      await another.save({ ...answer, body: { second: true } }, at(1));
      expect(await store.find(answer.scope, at(2))).toEqual(answer);
    });
  });
}
