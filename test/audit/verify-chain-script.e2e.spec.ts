import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DATABASE_FILE } from '@ledger/runtime';
import { REPO_ROOT } from '../support/api-process';
import { startApi } from '../e2e/support/e2e-api';
import { command, openTicket } from '../e2e/support/tickets';
import {
  deleteEvent,
  editColumn,
  insertAfter,
  swapEvents,
  truncateAfter,
} from '../support/log-tampering';
import { pythonMissing } from '../support/python';
import type { TestApp } from '../support/test-app';
import { describeUnless } from '../support/describe-unless';

const SCRIPT = join(REPO_ROOT, 'scripts', 'verify-chain.py');

/** What the script prints for the file, receipt given or not. */
function script(file: string, receipt?: { position: string; hash: string }): unknown {
  const args = receipt ? ['--position', receipt.position, '--hash', receipt.hash] : [];
  const run = spawnSync('python3', [SCRIPT, file, ...args], { encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(run.stderr);
  const answer = JSON.parse(run.stdout);
  expect(run.status).toBe(answer.ok ? 0 : 1);
  return answer;
}

/** The API's answer without what is for people only. */
async function api(app: TestApp, receipt?: { position: string; hash: string }) {
  const query = receipt ? `?position=${receipt.position}&hash=${receipt.hash}` : '';
  const { body } = await app.request('GET', `/v1/audit/verify${query}`);
  if (body.firstBroken) delete body.firstBroken.detail;
  return body;
}

describeUnless(pythonMissing(), 'scripts/verify-chain.py', () => {
  let app: TestApp;
  let file: string;
  let receipt: { position: string; hash: string };

  beforeEach(async () => {
    app = await startApi();
    file = join(app.dataDir, DATABASE_FILE);
    for (let i = 0; i < 3; i++) {
      const { ticketId } = await openTicket(app, { subject: `Ünïcode ✓ ticket ${i}` });
      await command(app, ticketId, 'notes', { body: 'Quotes " and \\ backslashes, a\nnewline' });
      await command(app, ticketId, 'escalate');
    }
    receipt = (await app.request('GET', '/v1/audit/head')).body;
  });

  afterEach(() => app.close());

  function tamper(change: (db: Database.Database) => void): void {
    const db = new Database(file);
    try {
      change(db);
    } finally {
      db.close();
    }
  }

  it('says an intact log holds, as the API does, with and without a receipt', async () => {
    const intact = await api(app);

    expect(intact).toEqual({ ok: true, eventsChecked: Number(receipt.position) });
    expect(script(file)).toEqual(intact);
    expect(script(file, receipt)).toEqual(await api(app, receipt));
  });

  it.each<[string, (db: Database.Database) => void]>([
    ['edited data', (db) => editColumn(db, 4, 'data', (data: string) => `${data} `)],
    ['edited metadata', (db) => editColumn(db, 2, 'metadata', (m: string) => m.replace('{', '{ '))],
    ['an event deleted', (db) => deleteEvent(db, 5)],
    ['two events swapped', (db) => swapEvents(db, 3, 7)],
    [
      'an event inserted',
      (db) =>
        insertAfter(
          db,
          6,
          { streamId: 'ticket-x', version: 1, type: 'X', data: '{}', metadata: '{}' },
          'rechained',
        ),
    ],
    ['the end cut off', (db) => truncateAfter(db, 6)],
  ])('names the same first broken event as the API after %s', async (_, change) => {
    tamper(change);

    const answer = await api(app, receipt);

    expect(answer.ok).toBe(false);
    expect(script(file, receipt)).toEqual(answer);
    expect(script(file)).toEqual(await api(app));
  });

  it('refuses half a receipt', () => {
    const run = spawnSync('python3', [SCRIPT, file, '--position', '3'], { encoding: 'utf8' });

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--position and --hash together');
  });

  it('runs from the command line with only the standard library', () => {
    const help = execFileSync('python3', ['-I', '-S', SCRIPT, '--help'], { encoding: 'utf8' });

    expect(help).toContain('ledger.sqlite');
  });
});
