import http from 'node:http';
import { API_SETTINGS, get, scratchCopy, startApi } from './dataset/api-process.mjs';
import { defaultTickets, ensureDataset, readManifest } from './dataset/generate.mjs';
import { Random } from './dataset/prng.mjs';
import { percentile, round, summarize } from './lib/stats.mjs';

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
    targetMs: 300,
  },
  {
    name: 'KPIs, groupBy=day',
    per: KPI_PER_ROUND,
    path: () => '/v1/kpis/escalations?groupBy=day',
    check: (body, manifest) =>
      body.groups.reduce((sum, group) => sum + group.ticketsOpened, 0) === manifest.tickets,
    judge: 'p50',
    targetMs: 500,
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
  const samples = new Map(READS.map((read) => [read.name, []]));
  const roundMedians = new Map(READS.map((read) => [read.name, []]));

  const request = async (read) => {
    const answer = await get(api.port, read.path(ids, random), agent);
    if (answer.status !== 200 || !read.check(JSON.parse(answer.body), manifest)) {
      throw new Error(
        `${read.name}: unexpected answer ${answer.status} ${answer.body.slice(0, 300)}`,
      );
    }
    return answer.ms;
  };

  try {
    console.log(`[reads] API ready in ${Math.round(api.readyMs)} ms; warming up`);
    for (const read of READS) {
      for (let i = 0; i < (read.per === KPI_PER_ROUND ? 3 : 200); i++) await request(read);
    }
    for (let index = 0; index < ROUNDS; index++) {
      const order = READS.map((_, i) => READS[(i + index) % READS.length]);
      for (const read of order) {
        const times = [];
        for (let i = 0; i < read.per; i++) times.push(await request(read));
        samples.get(read.name).push(...times);
        roundMedians.get(read.name).push(percentile(times, 50));
      }
      console.log(`[reads] round ${index + 1}/${ROUNDS} done`);
    }
  } finally {
    agent.destroy();
    await api.stop();
    scratch.remove();
  }

  const rows = [];
  const checks = [];
  const data = { config: { rounds: ROUNDS, apiSettings: API_SETTINGS } };
  for (const read of READS) {
    const all = samples.get(read.name);
    const figures = {
      requests: all.length,
      p50: round(percentile(all, 50), 2),
      p90: round(percentile(all, 90), 2),
      p99: round(percentile(all, 99), 2),
      max: round(Math.max(...all), 2),
    };
    const spread = summarize(roundMedians.get(read.name)).spreadPct;
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
    data[read.name] = { ...figures, roundMedians: roundMedians.get(read.name) };
  }
  return {
    title: `Read latency over keep-alive, one request at a time: ${tickets} tickets (${manifest.openTickets} open), ${ROUNDS} rounds, AUTOMATION=off`,
    rows,
    checks,
    data,
  };
}
