import type { Command } from 'commander';
import { existsSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newManifest, MANIFEST_NAME, type BackupManifest } from '../backup/backup-manifest';
import { copyDatabase, databasesIn } from '../backup/sqlite-files';
import { sha256Of, writeArchive } from '../backup/tar-archive';
import { CliError } from '../cli-error';
import { cliConfig } from '../cli-stores';
import { print } from '../options';

export interface BackupReport {
  manifest: BackupManifest;
  bytes: number;
  seconds: number;
}

/**
 * Copies every SQLite database of `dataDir` while the API may be writing it,
 * into one archive at `target`: each copy is one consistent moment of its
 * database (SQLite's backup API), checked before it is archived.
 */
export async function backupDataDir(dataDir: string, target: string): Promise<BackupReport> {
  const databases = databasesIn(dataDir);
  if (databases.length === 0) {
    throw new CliError(
      `DATA_DIR=${dataDir} holds no SQLite database to back up (is it the API's? EventStoreDB and MongoDB are backed up with their own tools)`,
    );
  }
  const started = performance.now();
  // Beside the target, so the finished archive is renamed into place, never copied.
  const work = mkdtempSync(join(dirname(target), `.${basename(target)}-`));
  try {
    let log: BackupManifest['log'] = null;
    for (const name of databases) {
      const copy = await copyDatabase(join(dataDir, name), join(work, name));
      if (copy.log && !log) log = { database: name, ...copy.log };
    }
    const files = databases.map((name) => {
      const path = join(work, name);
      return { name, bytes: statSync(path).size, sha256: sha256Of(path) };
    });
    const manifest = newManifest(files, log);
    writeFileSync(join(work, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
    const partial = join(work, 'archive.tar');
    writeArchive(partial, [
      { name: MANIFEST_NAME, path: join(work, MANIFEST_NAME) },
      ...databases.map((name) => ({ name, path: join(work, name) })),
    ]);
    renameSync(partial, target);
    return {
      manifest,
      bytes: statSync(target).size,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('a consistent copy of the embedded SQLite store, taken while the API runs')
    .requiredOption('--out <file>', 'the backup archive to write (tar)')
    .option('--force', 'replace the file if it exists')
    .action(async (options: { out: string; force?: boolean }) => {
      const target = resolve(options.out);
      if (existsSync(target) && !options.force) {
        throw new CliError(
          `${options.out} exists: choose another file, or replace it with --force`,
        );
      }
      if (!existsSync(dirname(target)))
        throw new CliError(`${dirname(options.out)} does not exist`);
      const { manifest, bytes, seconds } = await backupDataDir(cliConfig().dataDir, target);
      const log = manifest.log
        ? `the log's ${manifest.log.events} events (head ${manifest.log.head ?? '-'})`
        : 'no log (it is in EventStoreDB)';
      await print(
        `Backed up ${manifest.files.map((f) => f.name).join(', ')} with ${log} to ${options.out}: ` +
          `${(bytes / 2 ** 20).toFixed(1)} MiB in ${seconds.toFixed(2)} s\n`,
      );
    });
}
