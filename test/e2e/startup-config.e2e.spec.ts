import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureServerBuilt, freePort, SERVER_ENTRY } from '../support/api-process';

interface Exit {
  code: number | null;
  stderr: string;
}

/** Starts the real server with `env` and waits for it to stop on its own. */
function startWith(env: Record<string, string>, dataDir: string): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      env: { PATH: process.env.PATH, PORT: '0', DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after 30 s; stderr: ${stderr}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('a configuration that cannot work', () => {
  let dataDir: string;

  beforeAll(() => {
    ensureServerBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-config-'));
  }, 120_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function expectOneLine(env: Record<string, string>, line: RegExp): Promise<void> {
    const exit = await startWith(env, dataDir);

    expect(exit.code).not.toBe(0);
    const lines = exit.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  }

  it('stops on a store it does not know, naming the variable', async () => {
    await expectOneLine(
      { EVENT_STORE: 'postgres' },
      /^Configuration error: EVENT_STORE=postgres is not one of: sqlite, esdb$/,
    );
  });

  it('stops on a master key that is not 32 bytes of hex or base64', async () => {
    await expectOneLine(
      { LEDGER_MASTER_KEY: 'correct horse battery staple' },
      /^Configuration error: LEDGER_MASTER_KEY must be 32 bytes written as 64 hex digits or as 44 characters of base64$/,
    );
  });

  it('stops on a master key other than the one that wrapped the stored data keys', async () => {
    const keyed = mkdtempSync(join(tmpdir(), 'ledger-config-keys-'));
    try {
      // The data keys are opened before the log: this start leaves them, wrapped by the first key.
      const first = await startWith(
        { LEDGER_MASTER_KEY: 'a'.repeat(64), EVENT_STORE: 'esdb', EVENTSTORE_URL: 'http://x' },
        keyed,
      );
      expect(first.stderr).toMatch(/EVENTSTORE_URL/);

      const other = await startWith({ LEDGER_MASTER_KEY: 'b'.repeat(64) }, keyed);

      expect(other.code).not.toBe(0);
      expect(other.stderr.trim()).toBe(
        'Configuration error: LEDGER_MASTER_KEY is not the master key the stored data keys were wrapped with',
      );
    } finally {
      rmSync(keyed, { recursive: true, force: true });
    }
  });

  it('stops when EVENT_STORE=esdb has no URL', async () => {
    await expectOneLine({ EVENT_STORE: 'esdb' }, /^Configuration error: EVENTSTORE_URL is not set/);
  });

  it('stops on an EventStoreDB URL it cannot read', async () => {
    await expectOneLine(
      { EVENT_STORE: 'esdb', EVENTSTORE_URL: 'http://not-an-esdb-url' },
      /^Configuration error: EVENTSTORE_URL=http:\/\/not-an-esdb-url is not an EventStoreDB URL/,
    );
  });

  it('stops when nothing answers at the EventStoreDB URL', async () => {
    const url = `esdb://127.0.0.1:${await freePort()}?tls=false`;
    await expectOneLine(
      { EVENT_STORE: 'esdb', EVENTSTORE_URL: url },
      new RegExp(
        `^Configuration error: EVENTSTORE_URL=${url.replace(/[?.]/g, '\\$&')} cannot be reached`,
      ),
    );
  }, 30_000);

  it('stops when READ_STORE=mongo has no URL', async () => {
    await expectOneLine({ READ_STORE: 'mongo' }, /^Configuration error: MONGO_URL is not set/);
  });

  it('stops on a MongoDB URL it cannot read', async () => {
    await expectOneLine(
      { READ_STORE: 'mongo', MONGO_URL: 'postgres://somewhere' },
      /^Configuration error: MONGO_URL=postgres:\/\/somewhere cannot be reached/,
    );
  });

  it('stops when nothing answers at the MongoDB URL', async () => {
    const url = `mongodb://127.0.0.1:${await freePort()}/?serverSelectionTimeoutMS=1000`;
    await expectOneLine(
      { READ_STORE: 'mongo', MONGO_URL: url },
      new RegExp(
        `^Configuration error: MONGO_URL=${url.replace(/[?.]/g, '\\$&')} cannot be reached`,
      ),
    );
  }, 30_000);
});
