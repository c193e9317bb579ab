import { spawn } from 'node:child_process';
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
import net from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DATA_ROOT, DATABASE_FILE } from './generate.mjs';
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

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One GET; `agent` decides whether the connection is kept alive. */
export function get(port, path, agent) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.request({ host: '127.0.0.1', port, path, agent }, (response) => {
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
    });
    request.on('error', reject);
    request.end();
  });
}

/**
 * Spawns the real API (`node dist/apps/api/src/main.js`) on `dataDir` and
 * resolves once GET /health answers 200, with the milliseconds from spawn.
 */
export async function startApi({ dataDir, port, timeoutMs = 120_000 }) {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [API_MAIN], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone;
  void exited.then((status) => (gone = status));

  const deadline = spawnedAt + timeoutMs;
  for (;;) {
    if (gone)
      throw new Error(`The API exited (${JSON.stringify(gone)}) before it was ready:\n${output}`);
    try {
      const answer = await get(port, '/health', false);
      if (answer.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The API was not healthy within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const readyMs = performance.now() - spawnedAt;
  return {
    port,
    readyMs,
    output: () => output,
    /** SIGTERM, so the server closes its stores as in production; resolves when it has exited. */
    async stop() {
      if (!gone) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
