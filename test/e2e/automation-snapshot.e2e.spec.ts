import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess, ensureServerBuilt } from '../support/api-process';

const SNAPSHOT = 'automation-view.snapshot';

/** Resolves with the first line of the process's log matching `pattern`, waiting up to 20 s. */
async function logLine(api: ApiProcess, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const line = api.log.split('\n').find((candidate) => pattern.test(candidate));
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`No line matches ${pattern}:\n${api.log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the automation’s view across a restart', () => {
  let dataDir: string;
  let api: ApiProcess | undefined;

  beforeAll(() => {
    ensureServerBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-automation-snapshot-'));
  });

  afterAll(async () => {
    await api?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is saved at a clean stop and taken up again at the next start, which folds only the rest', async () => {
    api = await ApiProcess.start(dataDir);
    await logLine(api, /Folded the log from its start \(snapshot: none\)/);
    for (let i = 0; i < 3; i++) {
      const opened = await api.request('POST', '/v1/tickets', {
        subject: `Printer ${i}`,
        channel: 'chat',
        customer: { id: `c-${i}`, name: 'Grace Hopper' },
        category: 'hardware',
      });
      expect(opened.status).toBe(201);
    }
    const { position } = (await api.request('GET', '/v1/audit/head')).body;
    await api.terminate();
    expect(existsSync(join(dataDir, SNAPSHOT))).toBe(true);

    api = await ApiProcess.start(dataDir);
    const resumed = await logLine(api, /Folded the log from its snapshot at/);

    expect(resumed).toContain(`from its snapshot at ${position} up to ${position}`);
  }, 60_000);
});
