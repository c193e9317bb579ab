import type { NewEvent, RecordedEvent } from '../event-store';
import type { ChainHead, ChainReceipt } from '../chain/chain-verification';
import { nextSeal, type LedgerSealed } from '../chain/seals';
import { chainEvents, EMPTY_STREAM, linkOf, withoutLink } from '../chain/stream-chain';
import { EsdbLogChain, StreamHeadCache, type EsdbChainSource } from './esdb-chain';
import { compareEsdbPositions } from './esdb-position';
import { testMetadata } from '../../../../test/support/test-events';

function note(body: string): NewEvent {
  return {
    type: 'TicketNoteAdded',
    data: { body, tags: { 2: 'b', 1: 'a' } },
    metadata: testMetadata(),
  };
}

/**
 * A log held in arrays, as the server would hold what the store appends:
 * events chained by `chainEvents`, stored as JSON and parsed back (so key
 * order and number forms are what a read gives), positions in `$all` order.
 * What an administrator can do to the server is done to the arrays.
 */
class ArrayLog implements EsdbChainSource {
  readonly origin = '0/0';
  readonly compare = compareEsdbPositions;
  events: RecordedEvent[] = [];
  seals: LedgerSealed[] = [];
  private written = 0;

  append(streamId: string, count = 1): RecordedEvent[] {
    const last = this.events.filter((event) => event.streamId === streamId).at(-1);
    const after = last
      ? { version: last.version, hash: linkOf(last.metadata)!.hash }
      : EMPTY_STREAM;
    const { events } = chainEvents(
      streamId,
      after,
      Array.from({ length: count }, (_, i) => note(`${streamId} ${after.version + i + 1}`)),
    );
    const recorded = events.map((event, i) => {
      this.written += 1;
      return JSON.parse(
        JSON.stringify({
          ...event,
          streamId,
          version: after.version + i + 1,
          position: `${this.written * 100}/${this.written * 100}`,
        }),
      ) as RecordedEvent;
    });
    this.events.push(...recorded);
    return recorded;
  }

  deleteStream(streamId: string): void {
    this.events = this.events.filter((event) => event.streamId !== streamId);
  }

  async readLinked(after: string | undefined, limit: number): Promise<RecordedEvent[]> {
    return this.events
      .filter((event) => after === undefined || this.compare(event.position, after) > 0)
      .slice(0, limit);
  }

  async *readSeals(): AsyncIterable<LedgerSealed> {
    for (const seal of this.seals) yield JSON.parse(JSON.stringify(seal));
  }

  async newestSeal(): Promise<LedgerSealed | undefined> {
    return this.seals.at(-1);
  }

  async appendSeal(seal: LedgerSealed, count: number): Promise<boolean> {
    if (this.seals.length !== count) return false;
    this.seals.push(seal);
    return true;
  }
}

const SEALED_AT = '2025-03-01T11:00:00.000Z';

/** The item at `index`, which the test knows is there. */
function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`No item ${index} among ${items.length}`);
  return item;
}

function receiptOf(head: ChainHead): ChainReceipt {
  return { position: head.position, hash: head.hash! };
}

describe('the EventStoreDB log chain', () => {
  let log: ArrayLog;
  let chain: EsdbLogChain;

  beforeEach(() => {
    log = new ArrayLog();
    chain = new EsdbLogChain(log);
    for (let round = 0; round < 3; round++) {
      for (const stream of ['ticket-a', 'ticket-b', 'ticket-c']) log.append(stream);
    }
    log.append('ticket-b', 2);
  });

  describe('each stream chained on its own', () => {
    it('holds on the log as appended, its metadata read back in the server’s key order', async () => {
      expect(await chain.verify()).toEqual({ ok: true, eventsChecked: 11 });
    });

    it('gives reads the metadata without the link, as it was appended', () => {
      const event = nth(chainEvents('ticket-z', EMPTY_STREAM, [note('x')]).events, 0);

      expect(Object.keys(withoutLink(event.metadata))).toEqual(Object.keys(note('y').metadata));
    });

    it('finds edited data at the edited event', async () => {
      (nth(log.events, 4).data as { body: string }).body = 'edited';

      expect((await chain.verify()).firstBroken).toMatchObject({
        position: nth(log.events, 4).position,
        reason: 'hash_mismatch',
      });
    });

    it('finds an event missing from its stream at the next one of the stream', async () => {
      const removed = nth(log.events.splice(4, 1), 0);
      const next = log.events.find(
        (event) => event.streamId === removed.streamId && event.version === removed.version + 1,
      )!;

      expect((await chain.verify()).firstBroken).toMatchObject({
        streamId: next.streamId,
        version: next.version,
        reason: 'version_gap',
      });
    });

    it('cannot tell a stream deleted and written anew from a new stream: that takes a seal', async () => {
      log.deleteStream('ticket-c');
      log.append('ticket-c');

      expect((await chain.verify()).ok).toBe(true);
    });

    it('finds a forged event chained to another predecessor', async () => {
      const forged = nth(log.append('ticket-c'), 0);
      forged.metadata = {
        ...forged.metadata,
        chain: { ...linkOf(forged.metadata)!, prev: 'e'.repeat(64) },
      } as typeof forged.metadata;

      expect((await chain.verify()).firstBroken).toMatchObject({
        position: forged.position,
        reason: 'link_broken',
      });
    });

    it('finds an event written without a link', async () => {
      const unlinked = nth(log.events, 2);
      unlinked.metadata = withoutLink(unlinked.metadata);

      expect((await chain.verify()).firstBroken).toMatchObject({
        position: unlinked.position,
        reason: 'hash_missing',
      });
    });
  });

  describe('seals', () => {
    it('record the heads of the streams that moved, and stand as the head to keep', async () => {
      expect(await chain.seal(SEALED_AT)).toBe(1);
      log.append('ticket-a');
      expect(await chain.seal(SEALED_AT)).toBe(1);
      expect(await chain.seal(SEALED_AT)).toBe(0);

      expect(
        log.seals.map((seal) => seal.heads.map(([streamId, version]) => [streamId, version])),
      ).toEqual([
        [
          ['ticket-a', 3],
          ['ticket-b', 5],
          ['ticket-c', 3],
        ],
        [['ticket-a', 4]],
      ]);
      expect(await chain.head()).toEqual({
        position: log.events.at(-1)!.position,
        hash: nth(log.seals, 1).root,
        at: SEALED_AT,
      });
      expect(await chain.verify(receiptOf(await chain.head()))).toEqual({
        ok: true,
        eventsChecked: 12,
      });
    });

    it('find a whole stream deleted after a seal, where its sealed head was', async () => {
      await chain.seal(SEALED_AT);
      const sealedHead = log.events.filter((event) => event.streamId === 'ticket-a').at(-1)!;
      log.deleteStream('ticket-a');
      log.append('ticket-a');

      expect((await chain.verify()).firstBroken).toEqual({
        streamId: 'ticket-a',
        version: 3,
        position: sealedHead.position,
        reason: 'sealed_event_missing',
        detail: expect.any(String),
      });
    });

    it('find a stream cut short and written on again after a seal', async () => {
      await chain.seal(SEALED_AT);
      const b = log.events.filter((event) => event.streamId === 'ticket-b');
      log.events = log.events.filter(
        (event) => !(event.streamId === 'ticket-b' && event.version > 3),
      );
      log.append('ticket-b', 2);

      expect((await chain.verify()).firstBroken).toMatchObject({
        position: b.at(-1)!.position,
        reason: 'sealed_event_missing',
      });
    });

    it('are written by one sealer: another that comes second stops', async () => {
      const racing = new EsdbLogChain({
        ...log,
        compare: log.compare,
        origin: log.origin,
        readLinked: (after, limit) => log.readLinked(after, limit),
        readSeals: () => log.readSeals(),
        newestSeal: async () => undefined,
        appendSeal: (seal, count) => log.appendSeal(seal, count),
      });
      await chain.seal(SEALED_AT);

      expect(await racing.seal(SEALED_AT)).toBe(0);
      expect(log.seals).toHaveLength(1);
    });

    it('are checked against each other: an edited seal breaks the seals’ chain', async () => {
      await chain.seal(SEALED_AT);
      log.append('ticket-a');
      await chain.seal(SEALED_AT);
      const edited = nth(log.seals, 0);
      edited.heads = edited.heads.filter(([streamId]) => streamId !== 'ticket-a');

      expect(await chain.verify()).toMatchObject({
        ok: false,
        eventsChecked: 0,
        firstBroken: { streamId: 'ledger-seals', version: 1, reason: 'seal_broken' },
      });
    });

    it('hold a receipt only while the seal it names is there', async () => {
      await chain.seal(SEALED_AT);
      const kept = receiptOf(await chain.head());
      log.append('ticket-a');
      await chain.seal(SEALED_AT);

      expect((await chain.verify(kept)).ok).toBe(true);
      expect((await chain.verify({ ...kept, hash: 'f'.repeat(64) })).firstBroken).toMatchObject({
        reason: 'receipt_mismatch',
      });
      log.seals = [];
      expect((await chain.verify(kept)).firstBroken).toMatchObject({
        position: kept.position,
        reason: 'receipt_beyond_log',
      });
    });

    it('fit a server’s largest append however many streams moved', async () => {
      for (let i = 0; i < 4500; i++) log.append(`ticket-many-${i}`);

      expect(await chain.seal(SEALED_AT)).toBe(3);
      for (const seal of log.seals) {
        expect(Buffer.byteLength(JSON.stringify(seal))).toBeLessThan(1024 * 1024);
      }
      expect(await chain.verify(receiptOf(await chain.head()))).toEqual({
        ok: true,
        eventsChecked: 4511,
      });
    });

    it('start at the origin: its receipt holds before any seal', async () => {
      expect(await chain.head()).toEqual({ position: '0/0', hash: '0'.repeat(64), at: null });
      expect((await chain.verify({ position: '0/0', hash: '0'.repeat(64) })).ok).toBe(true);
    });
  });

  describe('nextSeal', () => {
    it('sorts the heads by stream and chains the root over the previous one', () => {
      const first = nextSeal(
        undefined,
        '1/1',
        [
          { streamId: 'b', version: 1, hash: 'b'.repeat(64), position: '1/1' },
          { streamId: 'a', version: 2, hash: 'a'.repeat(64), position: '0/0' },
        ],
        SEALED_AT,
      );
      const second = nextSeal(first, '2/2', [], SEALED_AT);

      expect(first.heads.map(([streamId]) => streamId)).toEqual(['a', 'b']);
      expect(first).toMatchObject({ sequence: 1, previous: '0'.repeat(64) });
      expect(second).toMatchObject({ sequence: 2, previous: first.root });
      expect(second.root).not.toBe(first.root);
    });
  });
});

describe('StreamHeadCache', () => {
  it('answers a stream’s head only at the version asked for', () => {
    const cache = new StreamHeadCache();
    cache.remember('ticket-a', { version: 3, hash: 'a'.repeat(64) });

    expect(cache.at('ticket-a', 3)).toEqual({ version: 3, hash: 'a'.repeat(64) });
    expect(cache.at('ticket-a', 2)).toBeUndefined();
    expect(cache.at('ticket-b', 0)).toBeUndefined();
  });

  it('forgets the least recently used stream past its capacity', () => {
    const cache = new StreamHeadCache(2);
    cache.remember('a', { version: 1, hash: 'a'.repeat(64) });
    cache.remember('b', { version: 1, hash: 'b'.repeat(64) });
    cache.at('a', 1);
    cache.remember('c', { version: 1, hash: 'c'.repeat(64) });

    expect(cache.at('a', 1)).toBeDefined();
    expect(cache.at('b', 1)).toBeUndefined();
    expect(cache.at('c', 1)).toBeDefined();
  });
});
