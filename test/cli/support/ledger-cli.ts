import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type RecordedEvent } from '@ledger/event-store';
import { ApiProcess, ensureServerBuilt, REPO_ROOT } from '../../support/api-process';

export const CLI_ENTRY = join(REPO_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

/** Builds the API and the command line, one `npm run build`, unless dist is newer than their sources. */
export function ensureCliBuilt(): void {
  ensureServerBuilt();
}

/**
 * Puts the master key of `from` beside the store restored into `to`: a backup
 * leaves it out, to be kept apart (docs/operations.md), and without it the
 * restored customers' data keys cannot be unwrapped.
 */
export function restoreMasterKey(from: string, to: string): void {
  copyFileSync(join(from, 'master.key'), join(to, 'master.key'));
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `ledger` with `args` on the data directory `dataDir`, as an operator would. */
export function ledger(
  dataDir: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `ledger` and expects it to succeed, quietly on stderr. */
export async function ledgerOk(
  dataDir: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<string> {
  const run = await ledger(dataDir, args, env);
  if (run.code !== 0 || run.stderr !== '') {
    throw new Error(`ledger ${args.join(' ')} exited ${run.code}: ${run.stderr}${run.stdout}`);
  }
  return run.stdout;
}

/** The whole log of a data directory, read through the store (the API may be running). */
export async function readLog(dataDir: string): Promise<RecordedEvent[]> {
  const events = SqliteEventStore.open(join(dataDir, 'ledger.sqlite'));
  try {
    const log: RecordedEvent[] = [];
    for (;;) {
      const page = await events.readAll({ after: log[log.length - 1]?.position, limit: 1000 });
      log.push(...page);
      if (page.length < 1000) return log;
    }
  } finally {
    await events.close();
  }
}

/**
 * Data directories and API processes for one test file: the built command
 * line first, then everything made is stopped and removed after the file.
 */
export function scratch(): {
  dataDir: () => string;
  startApi: (dir: string, env?: Record<string, string>) => Promise<ApiProcess>;
} {
  const dirs: string[] = [];
  const apis: ApiProcess[] = [];
  beforeAll(() => ensureCliBuilt(), 180_000);
  afterAll(async () => {
    for (const api of apis) await api.kill();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return {
    dataDir() {
      const dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
      dirs.push(dir);
      return dir;
    },
    async startApi(dir, env = {}) {
      const api = await ApiProcess.start(dir, env);
      apis.push(api);
      return api;
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
