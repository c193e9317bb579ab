import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteKeyStore, type KeyStore } from '@ledger/personal-data';
import { describeKeyStoreContract } from './key-store.contract';
import { reopenableStore } from './reopenable-store';

function freshFile() {
  const dir = join(tmpdir(), `ledger-keys-${randomUUID()}`);
  return { dir, file: join(dir, 'keys.sqlite') };
}

describeKeyStoreContract('SQLite', async () => {
  const { dir, file } = freshFile();
  return reopenableStore<KeyStore>(
    () => SqliteKeyStore.open(file),
    () => rm(dir, { recursive: true, force: true }),
  );
});

describe('SqliteKeyStore on disk', () => {
  it('leaves no byte of a destroyed key in its files', async () => {
    const { dir, file } = freshFile();
    const destroyed = randomBytes(60).toString('base64');
    const kept = randomBytes(60).toString('base64');
    const store = SqliteKeyStore.open(file);
    try {
      await store.keep('customer:c-1', destroyed);
      await store.keep('customer:c-2', kept);
      await store.destroy('customer:c-1', new Date());
    } finally {
      await store.close();
    }

    const bytes = Buffer.concat(readdirSync(dir).map((name) => readFileSync(join(dir, name))));
    expect(bytes.includes(kept)).toBe(true);
    // Any piece of it: a shorter row written over the old one leaves its head behind.
    const pieces = Array.from({ length: destroyed.length - 11 }, (_, at) =>
      destroyed.slice(at, at + 12),
    );
    expect(pieces.filter((piece) => bytes.includes(piece))).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });
});
