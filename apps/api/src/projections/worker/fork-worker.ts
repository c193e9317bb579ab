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
 * Undefined when the entry is not built.
 */
export function forkProjectionWorker(entry = WORKER_ENTRY): ChildProcess | undefined {
  if (!existsSync(entry)) return undefined;
  return fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}
