import http from 'node:http';
import { createWorkload } from './appends/workload.mjs';
import { API_SETTINGS, get, scratchCopy, startApi } from './dataset/api-process.mjs';
import { defaultTickets, ensureDataset, readManifest } from './dataset/generate.mjs';
import { Random } from './dataset/prng.mjs';
import { driveCommands, openTicket, post } from './encryption/commands.mjs';
import { percentile, round, summarize } from './lib/stats.mjs';
import { paceCommands } from './reads/paced-commands.mjs';

/**
 * Read latency of the real API (its own process, on a scratch copy of the
 * projected data set: 200,000 tickets, 100,000 open), one request at a time
 * over one kept-alive connection, so each figure is the server's answer time
 * plus loopback, not queueing behind other requests.
 *
 * Rounds alternate the four reads; percentiles are over every sample of every
 * round. The cheap reads are judged on p99 (a queue or a ticket page is read
 * constantly, its tail is what users feel); the KPI reads, a few samples each,
 * on the median (p99 of 25 samples is just the slowest one).
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CHEAP_PER_ROUND = 100;
const KPI_PER_ROUND = 5;
/** Commands at this share of the maximum measured just before, while the loaded reads run. */
const LOAD_SHARE = 0.5;
const LOADED_ROUNDS = Math.min(ROUNDS, 3);
const MAX_CONNECTIONS = 64;
const MAX_WARMUP_MS = 2000;
const MAX_MEASURE_MS = 5000;

const READS = [
  {
    name: 'queue L1, limit 50',
    per: CHEAP_PER_ROUND,
    path: () => '/v1/queues/L1?limit=50',
    check: (body) => body.items.length === 50,
    judge: 'p99',
    targetMs: 5,
  },
  {
    name: 'ticket by id (random)',
    per: CHEAP_PER_ROUND,
    path: (ids, random) => `/v1/tickets/${random.pick(ids)}`,
    check: (body) => typeof body.ticketId === 'string',
    judge: 'p99',
    targetMs: 5,
  },
  {
    name: 'KPIs, whole cohort',
    per: KPI_PER_ROUND,
    path: () => '/v1/kpis/escalations',
    check: (body, manifest) => body.totals.ticketsOpened === manifest.tickets,
    judge: 'p50',
    targetMs: 200,
  },
  {
    name: 'KPIs, groupBy=day',
    per: KPI_PER_ROUND,
    path: () => '/v1/kpis/escalations?groupBy=day',
    check: (body, manifest) =>
      body.groups.reduce((sum, group) => sum + group.ticketsOpened, 0) === manifest.tickets,
    judge: 'p50',
    targetMs: 350,
  },
];

/**
 * The cheap reads again, and a read of one's own write (`?after=`), while
 * commands arrive at half the rate the API answered at most just before:
 * what an agent waits for on a busy day.
 */
const LOADED_READS = [
  { ...READS[0], name: 'queue L1, limit 50, under load' },
  { ...READS[1], name: 'ticket by id (random), under load' },
  {
    name: 'read your write: ticket ?after= a note, under load',
    ownWrite: true,
    per: 50,
    judge: 'p99',
    targetMs: 50,
  },
];

export async function run() {
  const tickets = defaultTickets();
  const dataset = await ensureDataset({ tickets, projected: true });
  const manifest = readManifest(dataset);
  const scratch = scratchCopy(dataset, 'reads');
  const api = await startApi({ dataDir: scratch.dir });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const random = new Random(7);
  const ids = manifest.sampleTicketIds;

  const request = async (read) => {
    const answer = await get(api.port, read.path(ids, random), agent);
    if (answer.status !== 200 || !read.check(JSON.parse(answer.body), manifest)) {
      throw new Error(
        `${read.name}: unexpected answer ${answer.status} ${answer.body.slice(0, 300)}`,
      );
    }
    return answer.ms;
  };

  let idle;
  let loaded;
  let load;
  try {
    console.log(`[reads] API ready in ${Math.round(api.readyMs)} ms; warming up`);
    for (const read of READS) {
      for (let i = 0; i < (read.per === KPI_PER_ROUND ? 3 : 200); i++) await request(read);
    }
    idle = await inRounds(READS, ROUNDS, request, '');
    ({ loaded, load } = await underLoad(api.port, agent, request));
  } finally {
    agent.destroy();
    await api.stop();
    scratch.remove();
  }

  const rows = [];
  const checks = [];
  const data = { config: { rounds: ROUNDS, apiSettings: API_SETTINGS } };
  for (const [reads, measured] of [
    [READS, idle],
    [LOADED_READS, loaded],
  ]) {
    for (const read of reads) {
      const { figures, spread, roundMedians } = measured.get(read.name);
      rows.push({
        read: read.name,
        requests: figures.requests,
        'p50 ms': figures.p50,
        'p90 ms': figures.p90,
        'p99 ms': figures.p99,
        'max ms': figures.max,
        'round p50 spread %': spread,
      });
      checks.push({
        name: `${read.name} ${read.judge}`,
        value: `${figures[read.judge]} ms`,
        target: `<= ${read.targetMs} ms`,
        met: figures[read.judge] <= read.targetMs,
      });
      data[read.name] = { ...figures, roundMedians };
    }
  }
  checks.push({
    name: `commands answered during the loaded reads (asked: ${LOAD_SHARE} × the ${Math.round(load.maximum)} commands/s answered at most just before; ${load.skipped} skipped)`,
    value: `${Math.round(load.answeredPerSec)} /s`,
    target: `>= ${Math.round(load.asked * 0.95)} /s`,
    met: load.answeredPerSec >= load.asked * 0.95,
  });
  data.load = load;
  return {
    title: `Read latency over keep-alive, one request at a time: ${tickets} tickets (${manifest.openTickets} open), ${ROUNDS} rounds idle and ${LOADED_ROUNDS} under load, AUTOMATION=off`,
    rows,
    checks,
    data,
  };
}

/** Rounds alternating the reads' order; per read, its figures over every sample and the rounds' medians. */
async function inRounds(reads, rounds, request, label) {
  const samples = new Map(reads.map((read) => [read.name, []]));
  const roundMedians = new Map(reads.map((read) => [read.name, []]));
  for (let index = 0; index < rounds; index++) {
    const order = reads.map((_, i) => reads[(i + index) % reads.length]);
    for (const read of order) {
      const times = [];
      for (let i = 0; i < read.per; i++) times.push(await request(read));
      samples.get(read.name).push(...times);
      roundMedians.get(read.name).push(percentile(times, 50));
    }
    console.log(`[reads] round ${index + 1}/${rounds}${label} done`);
  }
  return new Map(
    reads.map((read) => {
      const all = samples.get(read.name);
      const figures = {
        requests: all.length,
        p50: round(percentile(all, 50), 2),
        p90: round(percentile(all, 90), 2),
        p99: round(percentile(all, 99), 2),
        max: round(Math.max(...all), 2),
      };
      const spread = summarize(roundMedians.get(read.name)).spreadPct;
      return [read.name, { figures, spread, roundMedians: roundMedians.get(read.name) }];
    }),
  );
}

/**
 * The API's most commands/s (closed loop, 64 connections), then the loaded
 * reads while commands arrive at LOAD_SHARE of it. A refused command fails the run.
 */
async function underLoad(port, agent, request) {
  const workload = createWorkload();
  const drive = (durationMs) =>
    driveCommands({ port, connections: MAX_CONNECTIONS, durationMs, workload });
  await drive(MAX_WARMUP_MS);
  const maximum = await drive(MAX_MEASURE_MS);
  const asked = maximum * LOAD_SHARE;
  console.log(
    `[reads] at most ${Math.round(maximum)} commands/s; reading under ${Math.round(asked)}/s`,
  );
  const { ticketId: ownTicket } = await openTicket(port, agent, workload, 0);
  const readOwnWrite = async () => {
    const written = await post(port, agent, `/v1/tickets/${ownTicket}/notes`, {
      body: 'Read back at once',
    });
    const answer = await get(port, `/v1/tickets/${ownTicket}?after=${written.position}`, agent);
    const ticket = answer.status === 200 ? JSON.parse(answer.body) : undefined;
    if (answer.status !== 200 || !(ticket?.version >= written.version)) {
      throw new Error(`read your write: ${answer.status} ${answer.body.slice(0, 300)}`);
    }
    return answer.ms;
  };
  const pacing = paceCommands({ port, ratePerSec: asked, workload });
  let loaded;
  let paced;
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    loaded = await inRounds(
      LOADED_READS,
      LOADED_ROUNDS,
      (read) => (read.ownWrite ? readOwnWrite() : request(read)),
      ' under load',
    );
  } finally {
    paced = await pacing.stop();
  }
  if (paced.failed > 0) {
    throw new Error(`${paced.failed} commands refused under load: ${paced.firstFailure}`);
  }
  return { loaded, load: { maximum, asked, ...paced } };
}
