import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_MAIN } from '../dataset/product.mjs';
import { startServer } from './processes.mjs';

/** The built API on an empty data folder of its own, `env` on top; `stop()` also removes the folder. */
export async function startFreshApi(env = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-api-'));
  try {
    const server = await startServer(API_MAIN, { env: { DATA_DIR: dataDir, ...env } });
    return {
      ...server,
      async stop() {
        try {
          await server.stop();
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
