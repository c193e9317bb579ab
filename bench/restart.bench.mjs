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
/** The automation's line once its view is folded: it acts from then on. */
const AUTOMATION_READY = /Folded the log from (its snapshot|its start)[^"]* in (\d+) ms/;

export async function run() {
  const tickets = defaultTickets();
  const dataset = await ensureDataset({ tickets, projected: true });
  const manifest = readManifest(dataset);
  const scratch = scratchCopy(dataset, 'restart');
  const times = [];
  let automation;
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
    automation = await automationStarts(scratch.dir);
  } finally {
    scratch.remove();
  }
  const summary = summarize(times);
  const warm = automation.filter((start) => start.from === 'its snapshot');
  const cold = automation.find((start) => start.from === 'its start');
  if (automation[0]?.from !== 'its start' || warm.length !== ROUNDS) {
    throw new Error(
      `expected one start without the snapshot, then ${ROUNDS} from it: ${automation.map((start) => start.from).join(', ')}`,
    );
  }
  const acting = summarize(warm.map((start) => start.actingMs));
  const afterHealthy = summarize(warm.map((start) => round(start.actingMs - start.healthyMs, 1)));
  const folding = summarize(warm.map((start) => start.foldMs));
  return {
    title: `Restart to first 200 on /health: ${manifest.events} events projected (${ROUNDS} rounds, AUTOMATION=off); then the automation's start (AUTOMATION=on, once without its snapshot, ${ROUNDS} times with it)`,
    rows: [
      {
        measure: 'spawn to healthy (ms)',
        median: summary.median,
        min: summary.min,
        max: summary.max,
        'spread %': summary.spreadPct,
      },
      ...[
        ['AUTOMATION=on, from its snapshot: spawn to acting (ms)', acting],
        ['  of which healthy to acting (ms)', afterHealthy],
        ['  of which the snapshot read and the log after it folded (ms)', folding],
      ].map(([measure, figures]) => ({
        measure,
        median: figures.median,
        min: figures.min,
        max: figures.max,
        'spread %': figures.spreadPct,
      })),
      {
        measure: 'AUTOMATION=on, no snapshot (the first start): spawn to acting (ms)',
        median: cold.actingMs,
        min: cold.actingMs,
        max: cold.actingMs,
        'spread %': 0,
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
      {
        name: `the automation acting after a start from its snapshot, spawn to acting, median (${Math.round(afterHealthy.median)} ms after healthy; ${Math.round(cold.actingMs)} ms without a snapshot)`,
        value: `${acting.median} ms`,
        target: `<= ${TARGET_MS} ms`,
        met: acting.median <= TARGET_MS,
      },
    ],
    data: {
      config: { rounds: ROUNDS, apiSettings: API_SETTINGS },
      events: manifest.events,
      tickets,
      times,
      summary,
      automation,
    },
  };
}

/**
 * Starts with AUTOMATION=on: the first without the automation's snapshot
 * (it folds the whole log, then saves one at its stop), then ROUNDS with it.
 * Per start: ms from spawn to healthy and to the automation's line, and the
 * fold's own ms as the line gives it.
 */
async function automationStarts(dataDir) {
  const starts = [];
  for (let index = 0; index <= ROUNDS; index++) {
    const server = await startApi({
      dataDir,
      env: { AUTOMATION: 'on' },
      watchFor: AUTOMATION_READY,
    });
    try {
      const {
        match: [, from, foldMs],
        ms,
      } = await server.seen;
      starts.push({
        from,
        healthyMs: round(server.readyMs, 1),
        actingMs: round(ms, 1),
        foldMs: Number(foldMs),
      });
      console.log(
        `[restart] AUTOMATION=on, from ${from}: acting ${Math.round(ms)} ms after spawn (folded in ${foldMs} ms)`,
      );
    } finally {
      await server.stop();
    }
  }
  return starts;
}
