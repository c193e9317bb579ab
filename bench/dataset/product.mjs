import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the product is imported from its compiled `dist/`. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = join(ROOT, 'dist');
export const API_MAIN = join(DIST, 'apps', 'api', 'src', 'main.js');

const require = createRequire(join(ROOT, 'package.json'));

function load(path) {
  const file = join(DIST, path);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run \`npm run build\` in ${ROOT} first`);
  }
  return require(file);
}

export const domain = () => load('libs/domain/src/index.js');
export const eventStore = () => load('libs/event-store/src/index.js');
export const readStore = () => load('libs/read-store/src/index.js');
export const projections = () => load('projections/src/index.js');

/** The product's own SQLite driver, for the contenders that read the file directly. */
export const BetterSqlite3 = () => require('better-sqlite3');

/**
 * Runs every projection to the head of the log in `file`, as the API does
 * before it listens, in the same file. `onProgress` hears the daemon's report
 * every 10 s. Resolves with the head and the milliseconds the catch-up took;
 * throws unless every read model ended live at the head.
 */
export async function projectToHead(file, { onProgress } = {}) {
  const { SqliteEventStore } = eventStore();
  const { SqliteReadStore } = readStore();
  const { ProjectionDaemon } = projections();
  const events = SqliteEventStore.open(file);
  const reads = SqliteReadStore.open(file);
  const head = await events.headPosition();
  const errors = [];
  const daemon = new ProjectionDaemon(events, reads, {
    onError: (name, error) => errors.push(`${name}: ${error?.stack ?? error}`),
  });
  const progress = onProgress && setInterval(() => onProgress(daemon.report()), 10_000);
  const started = performance.now();
  try {
    await daemon.start();
  } finally {
    clearInterval(progress);
  }
  const ms = performance.now() - started;
  const report = daemon.report();
  await daemon.stop();
  await reads.close();
  await events.close();
  if (errors.length > 0 || report.some((p) => p.status !== 'live' || p.position !== head)) {
    throw new Error(
      `Projection did not reach ${head}: ${JSON.stringify(report)}\n${errors.join('\n')}`,
    );
  }
  return { head, ms };
}
