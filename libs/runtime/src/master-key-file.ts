import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type AppConfig } from './config/app-config';
import { MASTER_KEY_FORMS, parseMasterKey } from './config/master-key-config';
import { writeSecretFile } from './secret-file';

/** Where the master key is kept under DATA_DIR when LEDGER_MASTER_KEY is not set. */
export const MASTER_KEY_FILE = 'master.key';

export interface MasterKey {
  key: Buffer;
  /** Where it came from, for the start-up log and for errors. */
  origin: string;
  /** Whether this start made it. */
  generated: boolean;
}

/**
 * LEDGER_MASTER_KEY, or the key in DATA_DIR/master.key, made on the first
 * start (base64, readable by its owner only). Whoever has that file and a copy
 * of the key store can read the personal data: keep it apart from backups of
 * DATA_DIR.
 */
export function masterKeyOf(config: Pick<AppConfig, 'masterKey' | 'dataDir'>): MasterKey {
  if (config.masterKey)
    return { key: config.masterKey, origin: 'LEDGER_MASTER_KEY', generated: false };
  const file = join(config.dataDir, MASTER_KEY_FILE);
  mkdirSync(config.dataDir, { recursive: true });
  try {
    // wx: two processes starting on a fresh DATA_DIR keep the same key.
    writeSecretFile(file, randomBytes(32).toString('base64'));
    return { key: readKeyFile(file), origin: file, generated: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return { key: readKeyFile(file), origin: file, generated: false };
}

function readKeyFile(file: string): Buffer {
  const key = parseMasterKey(readFileSync(file, 'utf8').trim());
  if (!key) throw new ConfigError(`${file} does not hold a master key (${MASTER_KEY_FORMS})`);
  return key;
}
