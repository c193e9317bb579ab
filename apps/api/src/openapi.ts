import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@ledger/runtime';
import { createApp, openApiDocument } from './create-app';

/** Writes the OpenAPI document the controllers describe: `npm run openapi [file]`. */
async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? 'openapi.json');
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
  // A throwaway admin key: the store is deleted afterwards, and no first key is printed for it.
  const config = loadConfig({ ADMIN_KEY: `esl_${randomBytes(32).toString('base64url')}` });
  const app = await createApp({ config: { ...config, dataDir }, logger: false });
  try {
    await app.init();
    writeFileSync(target, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
    console.log(`OpenAPI document written to ${target}`);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
