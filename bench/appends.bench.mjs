import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTENDERS, refusesStaleAppend, sqlite3Defaults } from './appends/contenders.mjs';
import { driveAppenders, driveBatches } from './appends/drive.mjs';
import {
  APPEND_DURATION_MS as DURATION_MS,
  APPEND_WARMUP_MS as WARMUP_MS,
  APPENDER_SCENARIOS as SCENARIOS,
  APPENDS_PER_STREAM,
  createWorkload,
} from './appends/workload.mjs';
import { QUICK } from './lib/quick.mjs';
import { alternate } from './lib/rounds.mjs';
import { percentile, round, roundRatios, summarize } from './lib/stats.mjs';
import { withTempDir } from './lib/temp-dir.mjs';

const ROUNDS = QUICK ? 2 : 5;

const NAMES = ['ours', 'emmett', 'emmettHeld', 'ceiling'];

const TARGETS = {
  oneAppender: { emmett: 5, ceiling: 0.5, ceilingLabel: 'one transaction per append' },
  concurrent64: { emmett: 50, ceiling: 0.5, ceilingLabel: 'batches of 64 per transaction' },
};

export function run() {
  return withTempDir('appends-bench-', measureAll);
}

async function measureAll(dir) {
  const workload = createWorkload();
  const refusesStale = {};
  for (const name of NAMES) {
    refusesStale[name] = await refusesStaleAppend(
      CONTENDERS[name],
      join(dir, `probe-${name}.db`),
      workload,
    );
    if (!refusesStale[name]) throw new Error(`${name} accepted an append at a stale version`);
  }
  const emmettConnection = await sqlite3Defaults(join(dir, 'sqlite3-defaults.db'));

  const results = {};
  const samples = {};
  for (const scenario of SCENARIOS) {
    samples[scenario.key] = Object.fromEntries(NAMES.map((name) => [name, []]));
    results[scenario.key] = await alternate(NAMES, ROUNDS, async (name, roundIndex) => {
      const file = join(dir, `${scenario.key}-${name}-${roundIndex}.db`);
      const sample = await measureOne(name, scenario, file, workload);
      rmSync(file, { force: true });
      rmSync(`${file}-wal`, { force: true });
      rmSync(`${file}-shm`, { force: true });
      samples[scenario.key][name].push(sample);
      return sample;
    });
  }

  const ratios = {};
  for (const scenario of SCENARIOS) {
    const s = samples[scenario.key];
    // Emmett's better variant, so a met target does not rest on its worst case.
    const emmettBest =
      results[scenario.key].emmettHeld.appendsPerSec.median >=
      results[scenario.key].emmett.appendsPerSec.median
        ? 'emmettHeld'
        : 'emmett';
    ratios[scenario.key] = {
      emmettBest,
      oursOverEmmett: ratio(s.ours, s[emmettBest]),
      oursOverEmmettAsShipped: ratio(s.ours, s.emmett),
      oursOverEmmettHeld: ratio(s.ours, s.emmettHeld),
      oursOverCeiling: ratio(s.ours, s.ceiling),
    };
  }

  const rows = [];
  for (const scenario of SCENARIOS) {
    for (const name of NAMES) {
      const r = results[scenario.key][name];
      const ours = results[scenario.key].ours.appendsPerSec.median;
      rows.push({
        scenario: scenario.label,
        contender: CONTENDERS[name].label,
        'appends/s': Math.round(r.appendsPerSec.median),
        'min–max': `${Math.round(r.appendsPerSec.min)}–${Math.round(r.appendsPerSec.max)}`,
        'spread %': r.appendsPerSec.spreadPct,
        'p50 ms': round(r.p50Ms.median, 2),
        'p99 ms': round(r.p99Ms.median, 2),
        'appends/tx': r.appendsPerTransaction ? round(r.appendsPerTransaction.median, 1) : '',
        'Emmett retries (max/round)': r.retries ? r.retries.max : '',
        'ours ÷ this': name === 'ours' ? '' : round(ours / r.appendsPerSec.median, 2),
      });
    }
  }

  const checks = [];
  for (const scenario of SCENARIOS) {
    const target = TARGETS[scenario.key];
    const r = ratios[scenario.key];
    checks.push(
      {
        name: `${scenario.label}: ours ÷ Emmett (${CONTENDERS[r.emmettBest].label}), per-round ${r.oursOverEmmett.perRound.min}–${r.oursOverEmmett.perRound.max}`,
        value: r.oursOverEmmett.ofMedians,
        target: `≥ ${target.emmett}`,
        met: r.oursOverEmmett.ofMedians >= target.emmett,
      },
      {
        name: `${scenario.label}: ours ÷ better-sqlite3 ceiling (${target.ceilingLabel}), per-round ${r.oursOverCeiling.perRound.min}–${r.oursOverCeiling.perRound.max}`,
        value: r.oursOverCeiling.ofMedians,
        target: `≥ ${target.ceiling}`,
        met: r.oursOverCeiling.ofMedians >= target.ceiling,
      },
    );
  }

  return {
    title: `Event-store appends: ours vs Emmett SQLite vs plain better-sqlite3 (WAL, synchronous=FULL; ${ROUNDS} rounds × ${DURATION_MS / 1000} s)`,
    rows,
    checks,
    data: {
      config: {
        quick: QUICK,
        rounds: ROUNDS,
        durationMs: DURATION_MS,
        warmupMs: WARMUP_MS,
        appendsPerStream: APPENDS_PER_STREAM,
        eventsPerAppend: 1,
        payloads: workload.sample,
        tmpdir: tmpdir(),
        durability: {
          ours: 'WAL, synchronous=FULL (SqliteEventStore.open)',
          ceiling: 'WAL, synchronous=FULL',
          emmett: `node-sqlite3 defaults plus Emmett's journal_mode=WAL: ${JSON.stringify(emmettConnection)}`,
        },
        emmettConcurrency: 'one store; appends serialised (concurrent calls on one store fail)',
        refusesStaleAppend: refusesStale,
      },
      results,
      ratios,
      samples,
    },
  };
}

async function measureOne(name, scenario, file, workload) {
  const opened = await CONTENDERS[name].open(file);
  const batched = name === 'ceiling' && scenario.appenders > 1;
  const drive = (durationMs) =>
    batched
      ? driveBatches({
          appendBatch: opened.appendBatch,
          appenders: scenario.appenders,
          durationMs,
          workload,
        })
      : driveAppenders({
          append: opened.append,
          appenders: scenario.appenders,
          durationMs,
          workload,
        });
  let measured;
  let warm;
  let statsBefore;
  try {
    warm = await drive(WARMUP_MS);
    statsBefore = opened.stats?.();
    measured = await drive(DURATION_MS);
  } finally {
    await opened.close();
  }
  const stats = opened.stats?.();
  // Every counted append must be in the file once the store is closed.
  const rows = countRows(file, opened.table) - opened.extraRows;
  if (rows !== warm.appends + measured.appends) {
    throw new Error(`${name}: ${rows} rows for ${warm.appends + measured.appends} appends`);
  }
  const sample = {
    appendsPerSec: measured.appends / measured.seconds,
    p50Ms: percentile(measured.latenciesMs, 50),
    p99Ms: percentile(measured.latenciesMs, 99),
  };
  if (stats?.transactions !== undefined) {
    sample.appendsPerTransaction =
      (stats.appends - statsBefore.appends) / (stats.transactions - statsBefore.transactions);
  }
  if (stats?.retries !== undefined) sample.retries = stats.retries - statsBefore.retries;
  return sample;
}

function countRows(file, table) {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get();
  } finally {
    db.close();
  }
}

/** The ratio of the medians, and the spread of the ratios taken round by round. */
function ratio(numerators, denominators) {
  const ofMedians =
    summarize(numerators.map((s) => s.appendsPerSec)).median /
    summarize(denominators.map((s) => s.appendsPerSec)).median;
  const perRound = roundRatios(numerators, denominators, 'appendsPerSec');
  return {
    ofMedians: round(ofMedians, 2),
    perRound: {
      median: round(perRound.median, 2),
      min: round(perRound.min, 2),
      max: round(perRound.max, 2),
    },
  };
}
