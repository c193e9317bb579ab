import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { scratchCopy } from './dataset/api-process.mjs';
import { DATABASE_FILE, defaultTickets, ensureDataset, readManifest } from './dataset/generate.mjs';
import { BetterSqlite3, eventStore } from './dataset/product.mjs';
import { inChild, runIfChild, throughputRow } from './lib/child.mjs';
import { alternate } from './lib/rounds.mjs';
import { round } from './lib/stats.mjs';

/**
 * Verification of the log's hash chain (GET /v1/audit/verify), against its
 * ceiling: the same rows read in the same batches, without hashing them.
 * Both read the generated log read-only, each in a child process of its own
 * so peak RSS is theirs alone. Once, outside the rounds: chaining the same
 * log as a file from before the chain, at the first open after an upgrade.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MB = 1024; // maxRSS is in KiB

/** 1M events verified in 10 s at most. */
const TARGET_EVENTS_PER_SECOND = 100_000;
const TARGET_PEAK_RSS_MB = 150;

export async function run() {
  const tickets = defaultTickets();
  const dataset = await ensureDataset({ tickets });
  const manifest = readManifest(dataset);
  const file = join(dataset, DATABASE_FILE);
  const measured = await alternate(['scan', 'verify'], ROUNDS, async (contender, index) => {
    const outcome = await inChild(import.meta.url, contender, file);
    if (outcome.events !== manifest.events || outcome.ok === false) {
      throw new Error(`${contender} checked ${outcome.events} events (ok: ${outcome.ok})`);
    }
    const eventsPerSecond = Math.round(outcome.events / (outcome.ms / 1000));
    console.log(
      `[verify] round ${index + 1}: ${contender} ${eventsPerSecond} events/s, ` +
        `${round(outcome.ms / 1000)} s, peak RSS ${round(outcome.maxRssKb / MB, 0)} MB`,
    );
    return {
      eventsPerSecond,
      seconds: round(outcome.ms / 1000, 2),
      peakRssMb: round(outcome.maxRssKb / MB, 0),
    };
  });
  const scratch = scratchCopy(dataset, 'verify-migration');
  let migration;
  try {
    migration = await inChild(import.meta.url, 'migrate', join(scratch.dir, DATABASE_FILE));
  } finally {
    scratch.remove();
  }
  console.log(`[verify] chaining a file from before the chain: ${round(migration.ms / 1000)} s`);

  const { scan, verify } = measured;
  const ratio = round(verify.eventsPerSecond.median / scan.eventsPerSecond.median, 2);
  const secondsPerMillion = round(1_000_000 / verify.eventsPerSecond.median, 2);
  return {
    title: `Verification of the hash chain: ${manifest.events} events, ${tickets} tickets (${ROUNDS} rounds, medians)`,
    rows: [
      throughputRow('read the same rows, no hashing (ceiling)', scan, 1),
      throughputRow('verify the chain', verify, ratio),
    ],
    checks: [
      {
        name: `verify events/s (median; ${secondsPerMillion} s per million events)`,
        value: verify.eventsPerSecond.median,
        target: `>= ${TARGET_EVENTS_PER_SECOND}`,
        met: verify.eventsPerSecond.median >= TARGET_EVENTS_PER_SECOND,
      },
      {
        name: 'verify peak RSS MB (max over rounds)',
        value: verify.peakRssMb.max,
        target: `<= ${TARGET_PEAK_RSS_MB}`,
        met: verify.peakRssMb.max <= TARGET_PEAK_RSS_MB,
      },
    ],
    data: {
      events: manifest.events,
      tickets,
      rounds: ROUNDS,
      scan,
      verify,
      ratio,
      migration: { events: migration.events, seconds: round(migration.ms / 1000, 2) },
    },
  };
}

/** The ceiling: the rows verification reads, in its batches, with nothing done to them. */
function scan(file) {
  const Database = BetterSqlite3();
  const db = new Database(file, { readonly: true });
  const batch = db
    .prepare(
      'SELECT position, stream_id, version, type, data, metadata, hash FROM events WHERE position > ? ORDER BY position LIMIT 2000',
    )
    .raw();
  const started = performance.now();
  let events = 0;
  let bytes = 0;
  for (let after = 0; ;) {
    const rows = batch.all(after);
    for (const row of rows) bytes += row[4].length + row[5].length + row[6].length;
    events += rows.length;
    if (rows.length < 2000) break;
    after = rows[rows.length - 1][0];
  }
  const ms = performance.now() - started;
  db.close();
  return { events, ms, checksum: bytes };
}

async function verify(file) {
  const { verifySqliteLogFile } = eventStore();
  const started = performance.now();
  const { ok, eventsChecked } = await verifySqliteLogFile(file);
  return { events: eventsChecked, ok, ms: performance.now() - started };
}

/** The log as a file from before the chain, chained by the store at open. */
async function migrate(file) {
  const Database = BetterSqlite3();
  const db = new Database(file);
  db.exec('ALTER TABLE events DROP COLUMN hash');
  const events = db.prepare('SELECT COUNT(*) FROM events').pluck().get();
  db.close();
  const { SqliteEventStore } = eventStore();
  const started = performance.now();
  const store = SqliteEventStore.open(file);
  const ms = performance.now() - started;
  await store.close();
  return { events, ms };
}

await runIfChild(import.meta.url, { scan, verify, migrate });
