import { SqliteEventStore } from '@ledger/event-store';
import { SqliteReadStore } from '@ledger/read-store';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testMetadata } from '../../../../../test/support/test-events';
import { forkProjectionWorker } from './fork-worker';
import { WorkerProjections } from './worker-projections';

describe('WorkerProjections', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-worker-host-'));
    events = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
    readStore = SqliteReadStore.open(join(dir, 'ledger.sqlite'));
  });

  afterEach(async () => {
    await events.close();
    await readStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function workerScript(source: string): string {
    const file = join(dir, 'worker.js');
    writeFileSync(file, source);
    return file;
  }

  it('fails to start, saying why, when its worker is not built', async () => {
    const projections = new WorkerProjections(events, readStore, join(dir, 'missing.js'));
    await expect(projections.start()).rejects.toThrow(/missing\.js, which is not built/);
  });

  /** A worker that catches up only once told to start, and writes its pid then. */
  const TOLD_TO_START =
    "process.on('message', (m) => { if (m.method === 'start') { require('node:fs').writeFileSync(process.argv[1] + '.started', String(process.pid)); process.send({ kind: 'ready' }); } if (m.method === 'stop') process.exit(0); });";

  it('tells its worker to start, and takes up one forked before it as the first', async () => {
    const script = workerScript(TOLD_TO_START);
    const early = forkProjectionWorker(script);
    const projections = new WorkerProjections(events, readStore, script, early);

    await projections.start();
    try {
      expect(readFileSync(`${script}.started`, 'utf8')).toBe(String(early.pid));
    } finally {
      await projections.stop();
    }
    expect(early.exitCode).toBe(0);
  });

  it('fails to start, saying so, when the worker forked before it died before it was taken up', async () => {
    const early = forkProjectionWorker(workerScript('process.exit(3);'));
    await new Promise((resolve) => early.once('exit', resolve));
    const projections = new WorkerProjections(events, readStore, join(dir, 'worker.js'), early);

    await expect(projections.start()).rejects.toThrow(/exit code 3\) before it caught up/);
  });

  it('fails to start when its worker dies before catching up, instead of starting it forever', async () => {
    const projections = new WorkerProjections(events, readStore, workerScript('process.exit(3);'));
    await expect(projections.start()).rejects.toThrow(/exit code 3\) before it caught up/);
  });

  it('answers from the read store while its worker is gone', async () => {
    // Ready at once, then gone: what the API sees between a worker's death and its successor.
    const script = workerScript(
      "process.send({ kind: 'ready' }); process.on('message', (m) => m.method === 'appended' && process.exit(0));",
    );
    const projections = new WorkerProjections(events, readStore, script);
    await projections.start();
    try {
      await events.append(
        'ticket-1',
        [{ type: 'Noted', data: {}, metadata: testMetadata() }],
        'no_stream',
      );
      // The append's news reaches the worker, which dies of it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const report = await projections.report();
      expect(report.map((each) => each.status)).toEqual(report.map(() => 'starting'));
      expect(await projections.waitFor('ticket-view', '1', 50)).toBe(false);
      expect(await projections.startRebuild('queues')).toBe('unavailable');
    } finally {
      await projections.stop();
    }
  });

  it('answers from the read store when its worker does not answer, instead of waiting on it', async () => {
    // Alive and caught up, but it never answers: stuck, or paused by a debugger.
    const script = workerScript(
      "process.send({ kind: 'ready' }); process.on('message', (m) => m.method === 'stop' && process.exit(0));",
    );
    const projections = new WorkerProjections(events, readStore, script);
    await projections.start();
    try {
      const [report, reached] = await Promise.all([
        projections.report(),
        projections.waitFor('ticket-view', '1', 50),
      ]);
      expect(report.map((each) => each.status)).toEqual(report.map(() => 'starting'));
      expect(reached).toBe(false);
    } finally {
      await projections.stop();
    }
  });
});
