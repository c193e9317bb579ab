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
export const projections = () => load('projections/index.js');

/** The product's own SQLite driver, for the contenders that read the file directly. */
export const BetterSqlite3 = () => require('better-sqlite3');
