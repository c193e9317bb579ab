import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATABASE_FILE } from '@ledger/runtime';
import { pythonMissing } from '../support/python';
import { ApiProcess, ensureServerBuilt, REPO_ROOT } from '../support/api-process';
import { startCommandLoad } from './support/command-load';

const CLIENTS = 16;
const LOAD_MS = 1500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two API processes append to one file at once, each in its own
 * group-committed batches, and one is killed mid-batch: the chain must hold
 * over whatever the file kept, in the order the file kept it.
 */
describe('the hash chain after two processes appended to one file and one was killed', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-chain-crash-'));
  const processes: ApiProcess[] = [];

  beforeAll(() => ensureServerBuilt(), 240_000);
  afterAll(async () => {
    for (const api of processes) await api.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds over every event the file kept, for the API and for the script alike', async () => {
    const first = await ApiProcess.start(dataDir);
    const second = await ApiProcess.start(dataDir, { PROJECTIONS: 'off', AUTOMATION: 'off' });
    processes.push(first, second);
    const loads = [startCommandLoad(first, CLIENTS), startCommandLoad(second, CLIENTS)] as const;
    await sleep(LOAD_MS);
    loads[0].killing();
    await first.kill();
    await sleep(300);
    loads[1].killing();
    await second.kill();
    const reports = await Promise.all(loads.map((load) => load.finished));
    expect(reports.flatMap((report) => report.unexpected)).toEqual([]);
    expect(reports.every((report) => report.acknowledged.length > 0)).toBe(true);

    const restarted = await ApiProcess.start(dataDir);
    processes.push(restarted);
    const head = (await restarted.request('GET', '/v1/audit/head')).body;
    const verified = await restarted.request('GET', '/v1/audit/verify');

    expect(verified.body).toEqual({ ok: true, eventsChecked: Number(head.position) });
    const missing = pythonMissing();
    if (missing) {
      console.info(`The chain after a kill: scripts/verify-chain.py not run: ${missing}`);
      return;
    }
    const script = spawnSync(
      'python3',
      [join(REPO_ROOT, 'scripts', 'verify-chain.py'), join(dataDir, DATABASE_FILE)],
      { encoding: 'utf8' },
    );
    expect({ status: script.status, signal: script.signal, stderr: script.stderr }).toEqual({
      status: 0,
      signal: null,
      stderr: '',
    });
    expect(JSON.parse(script.stdout)).toEqual(verified.body);
  });
});
