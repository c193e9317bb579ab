import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** The admin key every benchmarked API starts with (ADMIN_KEY), and the header that presents it. */
export const BENCH_ADMIN_KEY = 'esl_bench-admin-key-for-measurements-only-00';
export const AUTHORIZATION = { authorization: `Bearer ${BENCH_ADMIN_KEY}` };

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200; resolves with the milliseconds it took from `since`. */
export async function waitUntilHealthy(url, since, timeoutMs = 60_000) {
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return performance.now() - since;
    } catch {
      // not listening yet
    }
    if (performance.now() - since > timeoutMs)
      throw new Error(`${url} not healthy after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Starts `node <script>` on a free port and waits for `healthPath` to answer
 * 200; `startupMs` is the time from spawn. `stop()` sends SIGTERM, so a server
 * closes its stores as in production, and kills it if it has not exited in 15 s.
 */
export async function startServer(
  script,
  { env = {}, healthPath = '/health', timeoutMs = 120_000, watchFor } = {},
) {
  const port = await freePort();
  const since = performance.now();
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ADMIN_KEY: BENCH_ADMIN_KEY, ...env, PORT: String(port) },
    stdio: ['ignore', watchFor ? 'pipe' : 'ignore', 'inherit'],
  });
  const seen = watchFor && firstLineMatching(child.stdout, watchFor, since, timeoutMs);
  // Handled where it is awaited; a start that fails first must not surface as an unhandled rejection.
  seen?.catch(() => undefined);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const baseUrl = `http://127.0.0.1:${port}`;
  const startupMs = await Promise.race([
    waitUntilHealthy(`${baseUrl}${healthPath}`, since, timeoutMs),
    exited.then((code) => {
      throw new Error(`${script} exited with ${code} before it was healthy`);
    }),
  ]);
  return {
    baseUrl,
    port,
    startupMs,
    /** With `watchFor`: the match of the first line of its output that matches, and when it came (ms from spawn). */
    seen,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Resolves with the match of the first line of `stream` matching `pattern`
 * and its time since `since`; rejects if the stream ends without one (the
 * process is gone) or none comes within `timeoutMs`.
 */
function firstLineMatching(stream, pattern, since, timeoutMs) {
  return new Promise((resolve, reject) => {
    let pending = '';
    let found = false;
    const timer = setTimeout(() => {
      if (!found) reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    stream.on('data', (chunk) => {
      if (found) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const match = pattern.exec(line);
        if (!match) continue;
        found = true;
        resolve({ match, ms: performance.now() - since });
        return;
      }
    });
    stream.once('end', () => {
      if (!found) reject(new Error(`the process ended before printing a line matching ${pattern}`));
    });
  });
}
