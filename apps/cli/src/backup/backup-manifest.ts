import type { ArchivedFile } from './tar-archive';

/** The first file of every backup archive: what it holds, to check a restore against. */
export const MANIFEST_NAME = 'backup.json';
const FORMAT = 'escalation-ledger-backup';
const VERSION = 1;

export interface BackupManifest {
  format: typeof FORMAT;
  version: typeof VERSION;
  /** When the copy was taken (the moment of each database is the start of its copy). */
  createdAt: string;
  /** Each database of the data directory, copied. */
  files: ArchivedFile[];
  /** The log in the copy, when it holds the log. */
  log: { database: string; events: number; head: string | null } | null;
}

export function newManifest(
  files: ArchivedFile[],
  log: BackupManifest['log'],
  createdAt = new Date(),
): BackupManifest {
  return { format: FORMAT, version: VERSION, createdAt: createdAt.toISOString(), files, log };
}

/** The manifest as read from an archive, or why it is not one this code can restore. */
export function parseManifest(text: string): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(text) as BackupManifest;
  } catch {
    throw new Error(`its ${MANIFEST_NAME} is not JSON`);
  }
  if (manifest?.format !== FORMAT || !Array.isArray(manifest.files)) {
    throw new Error(`its ${MANIFEST_NAME} is not the manifest of a ledger backup`);
  }
  // As read, the version may be any other: the type says what it must be.
  const version: unknown = manifest.version;
  if (version !== VERSION) {
    throw new Error(
      `it is a backup of format version ${String(version)}; this ledger reads ${VERSION}`,
    );
  }
  return manifest;
}
