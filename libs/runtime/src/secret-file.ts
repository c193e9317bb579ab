import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, rmSync, writeSync } from 'node:fs';
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
 * and must not outlive it after a power cut. The file appears whole or not at
 * all: it is written under a name of its own and linked into place, so a
 * process starting beside this one never reads it half written.
 */
export function writeSecretFile(file: string, secret: string): void {
  const pending = `${file}.${randomUUID()}.pending`;
  const fd = openSync(pending, 'wx', 0o600);
  try {
    try {
      writeSync(fd, `${secret}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(pending, file);
  } finally {
    rmSync(pending, { force: true });
  }
  syncFolder(dirname(file));
}
