import { API_SETTINGS, get, scratchCopy, startApi } from './dataset/api-process.mjs';
import { defaultTickets, ensureDataset, readManifest } from './dataset/generate.mjs';
import { round, summarize } from './lib/stats.mjs';

/**
 * Time from spawning the API process to its first 200 on GET /health, with the
 * whole log already projected: what a deploy or a crash costs in downtime.
 * The server catches every projection up before it listens, so this includes
 * opening the file, Nest's start and one checkpoint check per projection.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET_MS = 2000;

export async function run() {
  const tickets = defaultTickets();
  const dataset = await ensureDataset({ tickets, projected: true });
  const manifest = readManifest(dataset);
  const scratch = scratchCopy(dataset, 'restart');
  const times = [];
  try {
    for (let index = 0; index < ROUNDS; index++) {
      const api = await startApi({ dataDir: scratch.dir });
      try {
        // It serves what it projected: every read model is at the log's head (past the
        // data set's last event: the first start records the first admin key).
        const { position: head } = JSON.parse((await get(api.port, '/v1/audit/head', false)).body);
        const answer = await get(api.port, '/v1/projections', false);
        const report = JSON.parse(answer.body);
        if (BigInt(head) < BigInt(manifest.events)) {
          throw new Error(`The log lost events: its head is ${head}`);
        }
        if (report.some((projection) => projection.position !== head)) {
          throw new Error(`Not caught up after restart: ${answer.body}`);
        }
      } finally {
        await api.stop();
      }
      times.push(round(api.readyMs, 1));
      console.log(
        `[restart] round ${index + 1}: healthy ${Math.round(api.readyMs)} ms after spawn`,
      );
    }
  } finally {
    scratch.remove();
  }
  const summary = summarize(times);
  return {
    title: `Restart to first 200 on /health: ${manifest.events} events projected (${ROUNDS} rounds, AUTOMATION=off)`,
    rows: [
      {
        measure: 'spawn to healthy (ms)',
        median: summary.median,
        min: summary.min,
        max: summary.max,
        'spread %': summary.spreadPct,
      },
    ],
    checks: [
      {
        name: 'spawn to healthy, median',
        value: `${summary.median} ms`,
        target: `<= ${TARGET_MS} ms`,
        met: summary.median <= TARGET_MS,
      },
      {
        name: 'spawn to healthy, slowest round',
        value: `${summary.max} ms`,
        target: `<= ${TARGET_MS} ms`,
        met: summary.max <= TARGET_MS,
      },
    ],
    data: {
      config: { rounds: ROUNDS, apiSettings: API_SETTINGS },
      events: manifest.events,
      tickets,
      times,
      summary,
    },
  };
}
