import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteEventStore } from '../dist/libs/event-store/src/index.js';
import {
  KeyRing,
  PersonalDataEventStore,
  SqliteKeyStore,
} from '../dist/libs/personal-data/src/index.js';
import { driveAppenders } from './appends/drive.mjs';
import { driveCommands } from './encryption/commands.mjs';
import { startFreshApi } from './lib/fresh-api.mjs';
import {
  APPEND_DURATION_MS as DURATION_MS,
  APPEND_WARMUP_MS as WARMUP_MS,
  APPENDER_SCENARIOS as SCENARIOS,
  APPENDS_PER_STREAM,
  createWorkload,
} from './appends/workload.mjs';
import { QUICK } from './lib/quick.mjs';
import { alternate } from './lib/rounds.mjs';
import { percentile, round, roundRatios } from './lib/stats.mjs';
import { withTempDir } from './lib/temp-dir.mjs';

const ROUNDS = QUICK ? 2 : 7;
/** The sealed store may cost at most this share of the plain store's appends. */
const MAX_COST = 0.15;

/**
 * Whose tickets: the workload's 1,024 customers, met again and again (their
 * keys are made once, then held), or a customer never seen on every ticket
 * (a key made, wrapped and stored with its fsync for each).
 */
const CUSTOMERS = [
  { key: 'returning', label: 'returning customers' },
  { key: 'new', label: 'a new customer per ticket' },
];

const CONTENDERS = {
  plain: {
    label: 'SqliteEventStore',
    async open(dir) {
      return SqliteEventStore.open(join(dir, 'ledger.sqlite'));
    },
  },
  sealed: {
    label: 'PersonalDataEventStore over it (AES-256-GCM)',
    // As openStores lays them out in the default configuration: the keys in a
    // table of the log's file, the projections in another process.
    async open(dir) {
      const file = join(dir, 'ledger.sqlite');
      const keyStore = SqliteKeyStore.open(file, { synchronous: 'NORMAL' });
      const keys = await KeyRing.open(keyStore, randomBytes(32));
      return new PersonalDataEventStore(SqliteEventStore.open(file), keys, {
        readsBackWhatItSeals: false,
      });
    },
  },
};
const NAMES = Object.keys(CONTENDERS);

const HTTP_CONNECTIONS = 64;
const HTTP_DURATION_MS = QUICK ? 3000 : 8000;
const UNSEALED_PRELOAD = join(
  dirname(fileURLToPath(import.meta.url)),
  'encryption',
  'unsealed.cjs',
);

/** The API as built, and the same API with the decorator passing everything through. */
const SERVERS = {
  plain: {
    label: 'API, personal data in the clear',
    env: { NODE_OPTIONS: `--require ${UNSEALED_PRELOAD}` },
  },
  sealed: { label: 'API as built (sealed)', env: {} },
};

/** The workload, each opening for a customer never seen when `fresh`. */
function workloadFor(customers) {
  const workload = createWorkload();
  if (customers === 'returning') return workload;
  return {
    ...workload,
    event(n, version) {
      const event = workload.event(n, version);
      if (version !== 0) return event;
      const customer = { ...event.data.customer, id: randomUUID() };
      return { ...event, data: { ...event.data, customer } };
    },
  };
}

export function run() {
  return withTempDir('encryption-bench-', measureAll);
}

async function measureAll(root) {
  const results = {};
  const samples = {};
  const rows = [];
  const checks = [];
  for (const customers of CUSTOMERS) {
    const workload = workloadFor(customers.key);
    for (const scenario of SCENARIOS) {
      const key = `${customers.key}/${scenario.key}`;
      samples[key] = Object.fromEntries(NAMES.map((name) => [name, []]));
      results[key] = await alternate(NAMES, ROUNDS, async (name, roundIndex) => {
        const dir = join(root, `${customers.key}-${scenario.key}-${name}-${roundIndex}`);
        const sample = await measureOne(CONTENDERS[name], scenario, dir, workload);
        rmSync(dir, { recursive: true, force: true });
        samples[key][name].push(sample);
        return sample;
      });
      const perRound = roundRatios(samples[key].sealed, samples[key].plain, 'appendsPerSec');
      const cpuPlain = results[key].plain.cpuUsPerAppend.median;
      const cpuSealed = results[key].sealed.cpuUsPerAppend.median;
      for (const name of NAMES) {
        const r = results[key][name];
        rows.push({
          customers: customers.label,
          scenario: scenario.label,
          contender: CONTENDERS[name].label,
          'appends/s': Math.round(r.appendsPerSec.median),
          'min–max': `${Math.round(r.appendsPerSec.min)}–${Math.round(r.appendsPerSec.max)}`,
          'spread %': r.appendsPerSec.spreadPct,
          'p50 ms': round(r.p50Ms.median, 2),
          'p99 ms': round(r.p99Ms.median, 2),
          'CPU µs/append': round(r.cpuUsPerAppend.median, 1),
        });
      }
      const cost = 1 - perRound.median;
      checks.push({
        name: `${customers.label}, ${scenario.label}: cost of sealing (1 − median of the rounds' sealed ÷ plain appends/s; rounds ${round(perRound.min, 2)}–${round(perRound.max, 2)}); CPU ${round(cpuPlain, 1)} → ${round(cpuSealed, 1)} µs/append`,
        value: `${round(cost * 100, 1)} %`,
        target: `≤ ${MAX_COST * 100} %`,
        met: cost <= MAX_COST,
      });
    }
  }
  const overHttp = await measureOverHttp();
  rows.push(...overHttp.rows);
  checks.push(overHttp.check);
  results.http = overHttp.results;
  samples.http = overHttp.samples;
  return {
    title: `Appends with personal data sealed vs in the clear (SQLite, WAL, synchronous=FULL; ${ROUNDS} rounds × ${DURATION_MS / 1000} s)`,
    rows,
    checks,
    data: {
      config: {
        quick: QUICK,
        rounds: ROUNDS,
        durationMs: DURATION_MS,
        warmupMs: WARMUP_MS,
        appendsPerStream: APPENDS_PER_STREAM,
        sealedFields: 'TicketOpened: subject, description, customer.name; TicketNoteAdded: body',
      },
      results,
      samples,
    },
  };
}

async function measureOne(contender, scenario, dir, workload) {
  const store = await contender.open(dir);
  const append = (streamId, event, version) =>
    store.append(streamId, [event], version === 0 ? 'no_stream' : version);
  const drive = (durationMs) =>
    driveAppenders({ append, appenders: scenario.appenders, durationMs, workload });
  let measured;
  let cpu;
  try {
    await drive(WARMUP_MS);
    const before = process.cpuUsage();
    measured = await drive(DURATION_MS);
    cpu = process.cpuUsage(before);
  } finally {
    await store.close();
  }
  return {
    appendsPerSec: measured.appends / measured.seconds,
    // The thread's work, which other processes on the machine disturb less than the rate.
    cpuUsPerAppend: (cpu.user + cpu.system) / measured.appends,
    p50Ms: percentile(measured.latenciesMs, 50),
    p99Ms: percentile(measured.latenciesMs, 99),
  };
}

/**
 * The product's own appends: commands over HTTP to the built API in its
 * default configuration (projections and automation in the process, as
 * `npm start` runs it), 64 connections opening tickets and adding notes,
 * against the same server with sealing taken out.
 */
async function measureOverHttp() {
  const workload = createWorkload();
  const samples = Object.fromEntries(NAMES.map((name) => [name, []]));
  const results = await alternate(NAMES, ROUNDS, async (name) => {
    const server = await startFreshApi(SERVERS[name].env);
    let sample;
    try {
      const drive = (durationMs) =>
        driveCommands({ port: server.port, connections: HTTP_CONNECTIONS, durationMs, workload });
      await drive(WARMUP_MS * 2);
      sample = { commandsPerSec: await drive(HTTP_DURATION_MS) };
    } finally {
      await server.stop();
    }
    samples[name].push(sample);
    return sample;
  });
  const perRound = roundRatios(samples.sealed, samples.plain, 'commandsPerSec');
  const cost = 1 - perRound.median;
  return {
    results,
    samples,
    rows: NAMES.map((name) => ({
      customers: 'returning customers',
      scenario: `commands over HTTP, ${HTTP_CONNECTIONS} connections`,
      contender: SERVERS[name].label,
      'appends/s': Math.round(results[name].commandsPerSec.median),
      'min–max': `${Math.round(results[name].commandsPerSec.min)}–${Math.round(results[name].commandsPerSec.max)}`,
      'spread %': results[name].commandsPerSec.spreadPct,
    })),
    check: {
      name: `commands over HTTP, ${HTTP_CONNECTIONS} connections: cost of sealing (1 − median of the rounds' sealed ÷ clear commands/s; rounds ${round(perRound.min, 2)}–${round(perRound.max, 2)})`,
      value: `${round(cost * 100, 1)} %`,
      target: `≤ ${MAX_COST * 100} %`,
      met: cost <= MAX_COST,
    },
  };
}
