import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import {
  verifyInPages,
  type ChainHead,
  type ChainReceipt,
  type ChainVerification,
  type LogChain,
  type VerifyOptions,
} from '../chain/chain-verification';
import { GENESIS_HASH } from '../chain/event-hash';
import { LinearChainCheck, type LinkedEvent } from '../chain/linear-chain-check';
import { CHAIN_COLUMNS, type ChainRow } from './sqlite-event-store.schema';
import { parseSqlitePosition } from './sqlite-position';
import { CHAIN_THREAD_ENTRY, verifyInThread } from './verify-in-thread';

/** Events read per batch while verifying; the event loop runs in between. */
const VERIFY_BATCH = 2000;

export function toLinkedEvent(row: ChainRow): LinkedEvent {
  return {
    position: row[0],
    streamId: row[1],
    version: row[2],
    type: row[3],
    data: row[4],
    metadata: row[5],
    hash: row[6],
  };
}

/**
 * The chain of a log kept in SQLite: every event chained to the one before
 * it in position order, its hash in its row. Verification reads the rows in
 * batches by position, so it holds one batch at a time however long the log.
 */
export class SqliteLogChain implements LogChain {
  private readonly selectBatch: Database.Statement<[number, number], ChainRow>;
  private readonly selectHead: Database.Statement<[], [number, string | null, string]>;

  constructor(
    db: Database.Database,
    /** Throws once the connection is closed, before a statement would. */
    private readonly assertOpen: () => void = () => undefined,
    /**
     * The log's file, when verifications should run in a thread of their own
     * (`verifyInThread`); they do once that thread's entry is built.
     */
    private readonly verifiedInThread?: { file: string; entry?: string },
  ) {
    // A file from before the chain, opened read-only and so not migrated, has no hash to read.
    const hash = hasHashColumn(db) ? 'hash' : 'NULL AS hash';
    const columns = CHAIN_COLUMNS.replace(/\bhash$/, hash);
    this.selectBatch = db
      .prepare<[number, number], ChainRow>(
        `SELECT ${columns} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      )
      .raw();
    this.selectHead = db
      .prepare<[], [number, string | null, string]>(
        `SELECT position, ${hash}, metadata FROM events ORDER BY position DESC LIMIT 1`,
      )
      .raw();
  }

  async head(): Promise<ChainHead> {
    this.assertOpen();
    const row = this.selectHead.get();
    if (!row) return { position: '0', hash: GENESIS_HASH, at: null };
    return { position: String(row[0]), hash: row[1], at: occurredAt(row[2]) };
  }

  async verify(receipt?: ChainReceipt, options: VerifyOptions = {}): Promise<ChainVerification> {
    this.assertOpen();
    if (receipt) parseSqlitePosition(receipt.position);
    const thread = this.verifiedInThread;
    const entry = thread?.entry ?? CHAIN_THREAD_ENTRY;
    if (thread && existsSync(entry)) return verifyInThread(thread.file, receipt, options, entry);
    return this.verifyHere(receipt, options);
  }

  /** The verification in this thread, a batch at a time with other work in between. */
  async verifyHere(
    receipt?: ChainReceipt,
    options: VerifyOptions = {},
  ): Promise<ChainVerification> {
    const check = new LinearChainCheck(
      receipt && { position: parseSqlitePosition(receipt.position), hash: receipt.hash },
    );
    const readBatch = (after = 0) => {
      this.assertOpen();
      return this.selectBatch.all(after, VERIFY_BATCH).map(toLinkedEvent);
    };
    return verifyInPages(check, readBatch, VERIFY_BATCH, options);
  }
}

function occurredAt(metadata: string): string | null {
  try {
    const at = (JSON.parse(metadata) as { occurredAt?: unknown }).occurredAt;
    return typeof at === 'string' ? at : null;
  } catch {
    return null;
  }
}

export function hasHashColumn(db: Database.Database): boolean {
  return db
    .prepare<[], string>("SELECT name FROM pragma_table_info('events')")
    .pluck()
    .all()
    .includes('hash');
}

/**
 * Verifies the log in a SQLite file without opening it as a store: read-only,
 * so nothing is migrated or locked, and safe beside a running API.
 */
export async function verifySqliteLogFile(
  file: string,
  receipt?: ChainReceipt,
  options?: VerifyOptions,
): Promise<ChainVerification> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return await new SqliteLogChain(db).verifyHere(receipt, options);
  } finally {
    db.close();
  }
}
