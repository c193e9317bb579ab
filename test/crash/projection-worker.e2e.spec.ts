import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECTION_NAMES } from '@ledger/read-store';
import { ApiProcess, ensureServerBuilt } from '../support/api-process';
import { startCommandLoad } from './support/command-load';
import { projectionsAt, readSide } from './support/read-side';

const CLIENTS = 16;
const KILLS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function workerOf(api: ApiProcess, not?: number, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = api.childPids().filter((pid) => pid !== not);
    if (pids.length === 1) return pids[0]!;
    if (pids.length > 1) throw new Error(`The API runs ${pids.length} workers: ${pids.join(', ')}`);
    if (Date.now() > deadline) throw new Error(`No projection worker after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/**
 * PROJECTIONS=worker: the read models are written by a worker process the
 * API starts. Killed alone, again and again under load, it must cost the API
 * nothing (every command answered as usual) and the read models nothing
 * (restarted, it resumes from their checkpoints: none skipped, none applied
 * twice, the same as a rebuild).
 */
describe('the projection worker killed under load', () => {
  let dataDir: string;
  let api: ApiProcess | undefined;

  beforeAll(() => {
    ensureServerBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-worker-'));
  }, 240_000);

  afterAll(async () => {
    await api?.kill();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves the API answering, and the read models equal to a rebuild once it is back', async () => {
    api = await ApiProcess.start(dataDir, { PROJECTIONS: 'worker' });
    const load = startCommandLoad(api, CLIENTS);
    let worker = await workerOf(api);
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(400);
      process.kill(worker, 'SIGKILL');
      worker = await workerOf(api, worker);
    }
    await sleep(400);
    load.killing();
    const report = await load.finished;
    expect(report.unexpected).toEqual([]);
    expect(report.inFlight).toEqual([]);
    expect(report.acknowledged.length).toBeGreaterThan(100);

    const head = (await api.request('GET', '/v1/audit/head')).body.position as string;
    await projectionsAt(api, head);
    expect(api.log).toContain(`The projection worker ${worker} has caught up with the log`);
    const ticketIds = [...new Set(report.acknowledged.map((ack) => ack.ticketId))];
    const followed = await readSide(api, ticketIds);
    for (const name of PROJECTION_NAMES) {
      expect((await api.request('POST', `/v1/projections/${name}/rebuild`)).status).toBe(202);
    }
    await projectionsAt(api, head);
    expect(await readSide(api, ticketIds)).toEqual(followed);
  }, 120_000);
});
