import type { Command } from 'commander';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MANIFEST_NAME, parseManifest, type BackupManifest } from '../backup/backup-manifest';
import { checkDatabase, databaseInUse } from '../backup/sqlite-files';
import { readArchive } from '../backup/tar-archive';
import { CliError } from '../cli-error';
import { cliConfig } from '../cli-stores';
import { print } from '../options';

/** Unpacks and checks a backup in `work`: every file the manifest lists, as it was archived. */
function unpack(archive: string, work: string): BackupManifest {
  let manifest: BackupManifest;
  try {
    const files = readArchive(archive, work);
    manifest = parseManifest(readFileSync(join(work, MANIFEST_NAME), 'utf8'));
    const found = new Map(files.map((file) => [file.name, file]));
    for (const listed of manifest.files) {
      const file = found.get(listed.name);
      if (!file || file.bytes !== listed.bytes || file.sha256 !== listed.sha256) {
        throw new Error(`${listed.name} is missing or not as it was backed up`);
      }
      checkDatabase(join(work, listed.name));
    }
  } catch (error) {
    throw new CliError(`${archive} cannot be restored: ${(error as Error).message}`);
  }
  return manifest;
}

/**
 * Puts the databases of a backup in place in `dataDir`. Refused while any
 * process has one of them open, and over an existing database unless `force`.
 */
export function restoreDataDir(archive: string, dataDir: string, force: boolean): BackupManifest {
  if (!existsSync(archive)) throw new CliError(`${archive} does not exist`);
  mkdirSync(dataDir, { recursive: true });
  const work = mkdtempSync(join(dataDir, '.restore-'));
  try {
    const manifest = unpack(archive, work);
    for (const { name } of manifest.files) {
      const target = join(dataDir, name);
      if (!existsSync(target)) continue;
      if (databaseInUse(target)) {
        throw new CliError(
          `${target} is open in another process (an API, a projector): stop it, then restore`,
        );
      }
      if (!force) {
        throw new CliError(
          `DATA_DIR=${dataDir} holds a store already (${name}): restore over it with --force`,
        );
      }
    }
    for (const { name } of manifest.files) {
      const target = join(dataDir, name);
      // A WAL left beside the database it belonged to would be replayed into the restored one.
      rmSync(`${target}-wal`, { force: true });
      rmSync(`${target}-shm`, { force: true });
      renameSync(join(work, name), target);
    }
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function registerRestore(program: Command): void {
  program
    .command('restore')
    .description('puts a backup in place in DATA_DIR; refused while a process has the store open')
    .argument('<file>', 'a backup archive written by `ledger backup`')
    .option('--force', 'replace the store DATA_DIR holds (it is gone afterwards)')
    .action(async (file: string, options: { force?: boolean }) => {
      const { dataDir } = cliConfig();
      const manifest = restoreDataDir(resolve(file), dataDir, options.force === true);
      const log = manifest.log
        ? `the log's ${manifest.log.events} events (head ${manifest.log.head ?? '-'})`
        : 'no log';
      await print(
        `Restored ${manifest.files.map((f) => f.name).join(', ')} with ${log}, as backed up at ${manifest.createdAt}, into ${dataDir}\n`,
      );
    });
}
