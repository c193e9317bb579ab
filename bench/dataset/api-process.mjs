import {
  closeSync,
  constants,
  copyFileSync,
  fsyncSync,
  mkdirSync,
  openSync,
  rmSync,
} from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { DATA_ROOT, DATABASE_FILE } from './generate.mjs';
import { AUTHORIZATION, startServer } from '../lib/processes.mjs';
import { API_MAIN } from './product.mjs';

/**
 * A scratch copy of a data set's database, so what a benchmark's server
 * writes (secrets, idempotency table) never reaches the cache.
 */
export function scratchCopy(datasetDir, name) {
  const dir = join(DATA_ROOT, 'scratch', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, DATABASE_FILE);
  copyFileSync(join(datasetDir, DATABASE_FILE), file, constants.COPYFILE_FICLONE);
  // Written back now, so the copy's writeback does not compete with what is measured next.
  const fd = openSync(file, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One GET; `agent` decides whether the connection is kept alive. */
export function get(port, path, agent) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.request(
      { host: '127.0.0.1', port, path, agent, headers: AUTHORIZATION },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/**
 * What the API runs with here besides its defaults, recorded with each run.
 * The data set's tickets were opened in 2025: with the SLA clock on, the API
 * would spend the run marking 100k overdue tickets, and change the data set.
 */
export const API_SETTINGS = { AUTOMATION: 'off' };

/**
 * The real API (`dist/apps/api/src/main.js`) on `dataDir`, healthy; `readyMs`
 * from spawn. `env` overrides API_SETTINGS; `watchFor`, as `startServer`'s.
 */
export async function startApi({ dataDir, env = {}, watchFor }) {
  const server = await startServer(API_MAIN, {
    env: { DATA_DIR: dataDir, ...API_SETTINGS, ...env },
    watchFor,
  });
  return {
    port: server.port,
    readyMs: server.startupMs,
    seen: server.seen,
    stop: () => server.stop(),
  };
}
