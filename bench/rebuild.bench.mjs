import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { scratchCopy } from './dataset/api-process.mjs';
import { DATABASE_FILE, defaultTickets, ensureDataset } from './dataset/generate.mjs';
import { BetterSqlite3, projectToHead } from './dataset/product.mjs';
import { inChild, runIfChild, throughputRow } from './lib/child.mjs';
import { alternate } from './lib/rounds.mjs';
import { round } from './lib/stats.mjs';

/**
 * Rebuild of every read model from the whole log, against its ceiling: a plain
 * scan of the same SQLite file that reads and JSON-parses every event and does
 * nothing else.
 *
 * What is fair: the rebuild runs as the product lays data out, on a fresh copy
 * of the generated log with no read models in it (the copy is made before the
 * clock starts): the ProjectionDaemon creates a generation of each of the
 * read models in that same file and catches them all up to the head, exactly
 * what the API does on its first start or after the read models are dropped.
 * So its read-model writes share the file, WAL and page cache with the log it
 * reads. The scan reads the same bytes from the cached log read-only. Both run
 * in a child process of their own, so peak RSS is theirs alone, alternating
 * which goes first.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MB = 1024; // maxRSS is in KiB

const TARGET_EVENTS_PER_SECOND = 150_000;
const TARGET_RATIO_TO_SCAN = 0.5;
const TARGET_PEAK_RSS_MB = 400;

export async function run() {
  const tickets = defaultTickets();
  const dataset = await ensureDataset({ tickets });
  const manifest = JSON.parse(readFileSync(join(dataset, 'manifest.json'), 'utf8'));
  const measured = await alternate(['scan', 'rebuild'], ROUNDS, async (contender, index) => {
    let file = join(dataset, DATABASE_FILE);
    let scratch;
    if (contender === 'rebuild') {
      scratch = scratchCopy(dataset, 'rebuild');
      file = join(scratch.dir, DATABASE_FILE);
    }
    try {
      const outcome = await inChild(import.meta.url, contender, file);
      if (outcome.events !== manifest.events) {
        throw new Error(`${contender} saw ${outcome.events} events, expected ${manifest.events}`);
      }
      console.log(
        `[rebuild] round ${index + 1}: ${contender} ${Math.round(outcome.events / (outcome.ms / 1000))} events/s, ` +
          `${round(outcome.ms / 1000)} s, peak RSS ${round(outcome.maxRssKb / MB, 0)} MB`,
      );
      return {
        eventsPerSecond: Math.round(outcome.events / (outcome.ms / 1000)),
        seconds: round(outcome.ms / 1000, 2),
        peakRssMb: round(outcome.maxRssKb / MB, 0),
      };
    } finally {
      scratch?.remove();
    }
  });

  const scan = measured.scan;
  const rebuild = measured.rebuild;
  const ratio = round(rebuild.eventsPerSecond.median / scan.eventsPerSecond.median, 2);
  return {
    title: `Rebuild of every projection from zero: ${manifest.events} events, ${tickets} tickets (${ROUNDS} rounds, medians)`,
    rows: [
      throughputRow('plain scan + JSON.parse (ceiling)', scan, 1),
      throughputRow('rebuild, every projection', rebuild, ratio),
    ],
    checks: [
      {
        name: 'rebuild events/s (median)',
        value: rebuild.eventsPerSecond.median,
        target: `>= ${TARGET_EVENTS_PER_SECOND}`,
        met: rebuild.eventsPerSecond.median >= TARGET_EVENTS_PER_SECOND,
      },
      {
        name: 'rebuild / plain scan (medians)',
        value: ratio,
        target: `>= ${TARGET_RATIO_TO_SCAN}`,
        met: ratio >= TARGET_RATIO_TO_SCAN,
      },
      {
        name: 'rebuild peak RSS MB (max over rounds)',
        value: rebuild.peakRssMb.max,
        target: `<= ${TARGET_PEAK_RSS_MB}`,
        met: rebuild.peakRssMb.max <= TARGET_PEAK_RSS_MB,
      },
    ],
    data: { events: manifest.events, tickets, rounds: ROUNDS, scan, rebuild, ratio },
  };
}

/** The ceiling: every event read and its data and metadata parsed, nothing else. */
function scan(file) {
  const Database = BetterSqlite3();
  const db = new Database(file, { readonly: true });
  const rows = db
    .prepare(
      'SELECT position, stream_id, version, type, data, metadata FROM events ORDER BY position',
    )
    .raw();
  const started = performance.now();
  let events = 0;
  let versions = 0;
  for (const row of rows.iterate()) {
    const data = JSON.parse(row[4]);
    const metadata = JSON.parse(row[5]);
    if (data !== null && metadata.schemaVersion !== undefined) versions += row[2];
    events++;
  }
  const ms = performance.now() - started;
  db.close();
  return { events, ms, checksum: versions };
}

/** Every projection from zero to the head, as the API does before it listens. */
async function rebuild(file) {
  const { head, ms } = await projectToHead(file);
  return { events: Number(head), ms };
}

await runIfChild(import.meta.url, { scan, rebuild });
