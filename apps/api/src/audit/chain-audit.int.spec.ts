import { HttpAdapterHost } from '@nestjs/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SqliteEventStore,
  type ChainReceipt,
  type EventStore,
  type LogChain,
} from '@ledger/event-store';
import { testMetadata } from '../../../../test/support/test-events';
import { ChainAudit, MAX_WAITING_VERIFICATIONS } from './chain-audit';

describe('ChainAudit', () => {
  let dir: string;
  let store: SqliteEventStore;
  let running: number;
  let mostAtOnce: number;
  let runs: (ChainReceipt | undefined)[];
  let audit: ChainAudit;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-chain-audit-'));
    store = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
    await store.append('ticket-1', [{ type: 'X', data: {}, metadata: testMetadata() }], 'any');
    running = 0;
    mostAtOnce = 0;
    runs = [];
    // The store's own chain, counting the verifications that reach it.
    const chain: LogChain = {
      head: () => store.chain.head(),
      verify: async (receipt, options) => {
        runs.push(receipt);
        mostAtOnce = Math.max(mostAtOnce, ++running);
        try {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return await store.chain.verify(receipt, options);
        } finally {
          running--;
        }
      },
    };
    audit = new ChainAudit(
      Object.assign(Object.create(store) as EventStore, { chain }),
      new HttpAdapterHost(),
    );
  });

  afterEach(async () => {
    await audit.beforeApplicationShutdown();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs one verification at a time, and lets requests for the same receipt share one', async () => {
    const head = await store.chain.head();
    const receipt = { position: head.position, hash: head.hash! };

    const answers = await Promise.all([
      audit.verify(),
      audit.verify(),
      audit.verify(receipt),
      audit.verify(receipt),
      audit.verify(),
    ]);

    expect(answers.every((answer) => answer.ok)).toBe(true);
    expect(runs).toEqual([undefined, receipt]);
    expect(mostAtOnce).toBe(1);
  });

  it('starts a new verification for a request that comes after one started', async () => {
    const first = audit.verify();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = audit.verify();

    await Promise.all([first, second]);

    expect(runs).toHaveLength(2);
  });

  it('refuses more verifications than may wait their turn', async () => {
    const head = await store.chain.head();
    const receipts = Array.from({ length: MAX_WAITING_VERIFICATIONS + 3 }, (_, index) => ({
      position: head.position,
      hash: index.toString(16).padStart(64, '0'),
    }));

    const outcomes = await Promise.allSettled(receipts.map((receipt) => audit.verify(receipt)));

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(
      MAX_WAITING_VERIFICATIONS,
    );
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({
      status: 429,
      code: 'VERIFICATIONS_QUEUED',
      retryAfterSeconds: expect.any(Number),
    });
  });
});
