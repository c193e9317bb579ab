import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type ChainReceipt } from '@ledger/event-store';
import {
  deleteEvent,
  editColumn,
  insertAfter,
  swapEvents,
  truncateAfter,
} from '../support/log-tampering';
import { appendAccepted, decideScenario } from './support/scenario-log';
import { scenario } from './support/ticket-commands.arbitrary';

/** One change made to the file behind the store's back; indices are taken modulo the log's length. */
type Mutation =
  | { kind: 'edit'; column: 'data' | 'metadata' | 'type'; at: number }
  | { kind: 'delete'; at: number }
  | { kind: 'swap'; at: number; other: number }
  | { kind: 'insert'; after: number; rechained: boolean }
  | { kind: 'truncate'; keep: number }
  | { kind: 'none' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('edit' as const),
    column: fc.constantFrom('data' as const, 'metadata' as const, 'type' as const),
    at: fc.nat(),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), after: fc.nat(), rechained: fc.boolean() }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
  fc.constant({ kind: 'none' as const }),
);

/** Positions run 1..n after appends that all succeeded; `at` picks one. */
const pick = (at: number, n: number) => (at % n) + 1;

interface Expected {
  position: number;
  reason: string;
}

/**
 * Where verification must stop, worked out from what the mutation did, not
 * by hashing: the first position, in log order, whose event is not the one
 * the chain recorded there, or (with the head as receipt, at position n)
 * where the receipt no longer holds. Undefined: the log must verify.
 */
function firstAffected(change: Mutation, n: number, withReceipt: boolean): Expected | undefined {
  switch (change.kind) {
    case 'none':
      return undefined;
    case 'edit':
      return { position: pick(change.at, n), reason: 'hash_mismatch' };
    case 'delete': {
      const at = pick(change.at, n);
      if (at < n) return { position: at + 1, reason: 'hash_mismatch' };
      return withReceipt ? { position: n, reason: 'receipt_beyond_log' } : undefined;
    }
    case 'swap': {
      const [a, b] = [pick(change.at, n), pick(change.other, n)];
      return a === b ? undefined : { position: Math.min(a, b), reason: 'hash_mismatch' };
    }
    case 'insert': {
      const after = change.after % (n + 1);
      if (!change.rechained) return { position: after + 1, reason: 'hash_missing' };
      // A well-forged event at the end is a later append as far as any hash can tell.
      if (after === n) return undefined;
      // The forged event stands on the receipt's position, chained correctly but not the receipt's.
      if (withReceipt && after + 1 === n) return { position: n, reason: 'receipt_mismatch' };
      return { position: after + 2, reason: 'hash_mismatch' };
    }
    case 'truncate':
      // At least the last event goes: only the receipt knew it was there.
      return withReceipt ? { position: n, reason: 'receipt_beyond_log' } : undefined;
  }
}

function apply(db: Database.Database, change: Mutation, n: number): void {
  switch (change.kind) {
    case 'none':
      return;
    case 'edit':
      // A space after the JSON, or a letter after the type: the same meaning, other bytes.
      return editColumn(db, pick(change.at, n), change.column, (value: string) =>
        change.column === 'type' ? `${value}X` : `${value} `,
      );
    case 'delete':
      return deleteEvent(db, pick(change.at, n));
    case 'swap': {
      const [a, b] = [pick(change.at, n), pick(change.other, n)];
      if (a !== b) swapEvents(db, a, b);
      return;
    }
    case 'insert':
      insertAfter(
        db,
        change.after % (n + 1),
        {
          streamId: 'ticket-forged',
          version: 1,
          type: 'TicketNoteAdded',
          data: '{"body":"forged"}',
          metadata: '{}',
        },
        change.rechained ? 'rechained' : null,
      );
      return;
    case 'truncate':
      return truncateAfter(db, change.keep % n);
  }
}

describe('verifying the SQLite log chain', () => {
  it('names the first event a random change to a random log affects, and passes an unchanged log', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario({ maxTickets: 5, maxSteps: 30 }),
        mutation,
        fc.boolean(),
        async (generated, change, withReceipt) => {
          const accepted = decideScenario(generated).accepted;
          fc.pre(accepted.length > 0);
          const dir = mkdtempSync(join(tmpdir(), 'ledger-chain-property-'));
          const file = join(dir, 'ledger.sqlite');
          const store = SqliteEventStore.open(file);
          try {
            // Commands of different tickets sent together share group-committed batches.
            const byTicket = new Map<string, typeof accepted>();
            for (const command of accepted) {
              byTicket.set(command.ticketId, [...(byTicket.get(command.ticketId) ?? []), command]);
            }
            await Promise.all(
              [...byTicket.values()].map(async (commands) => {
                for (const command of commands) await appendAccepted(store, command);
              }),
            );
            const head = await store.chain.head();
            const n = Number(head.position);
            const receipt: ChainReceipt | undefined = withReceipt
              ? { position: head.position, hash: head.hash! }
              : undefined;
            const db = new Database(file);
            try {
              apply(db, change, n);
            } finally {
              db.close();
            }

            const answer = await store.chain.verify(receipt);

            const expected = firstAffected(change, n, withReceipt);
            if (expected === undefined) {
              expect(answer).toEqual({
                ok: true,
                eventsChecked: change.kind === 'none' ? n : expect.any(Number),
              });
            } else {
              expect(answer.ok).toBe(false);
              expect(answer.firstBroken).toMatchObject({
                position: String(expected.position),
                reason: expected.reason,
              });
            }
          } finally {
            await store.close();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
