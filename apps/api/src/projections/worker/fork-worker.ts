import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The worker's built entry, beside this file's build. */
export const WORKER_ENTRY = join(__dirname, 'projection-worker.js');

/**
 * Starts a projection worker with this process's environment. It loads its
 * modules at once (most of a second), then waits for `{ method: 'start' }`
 * before it opens the stores: so it can be started before this process has
 * loaded its own modules, and told to go once this process's stores are open.
 */
export function forkProjectionWorker(entry = WORKER_ENTRY): ChildProcess {
  const worker = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // A process that could not be made (EAGAIN, ENOMEM) says so with an 'error'
  // event, maybe before anyone listens: its exitCode tells the one who takes it up.
  worker.on('error', () => undefined);
  return worker;
}

/** The worker, forked now, if PROJECTIONS=worker will want it and it is built. */
export function forkProjectionWorkerEarly(projections: string): ChildProcess | undefined {
  return projections === 'worker' && existsSync(WORKER_ENTRY) ? forkProjectionWorker() : undefined;
}
