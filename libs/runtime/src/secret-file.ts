import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Makes the folder's entries durable: a file created, renamed or removed in it. */
export function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates `file` (never over an existing one: EEXIST), readable by its owner
 * only, holding `secret` and a newline, and syncs it and its folder before it
 * returns: what is sealed or issued with the secret afterwards is synced too,
 * and must not outlive it after a power cut.
 */
export function writeSecretFile(file: string, secret: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, `${secret}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncFolder(dirname(file));
}
