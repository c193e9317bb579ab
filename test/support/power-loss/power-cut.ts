import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const SHIM_SOURCE = join(__dirname, 'fsync-snapshot.c');

/** SQLite rebuilds a WAL's index from the WAL; it is never synced. */
const isWalIndex = (file: string) => file.endsWith('-shm');

function compileShim(folder: string): string {
  const library = join(folder, 'fsync-snapshot.so');
  try {
    execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', library, SHIM_SOURCE, '-ldl'], {
      stdio: 'pipe',
    });
  } catch (error) {
    const { code, stderr } = error as NodeJS.ErrnoException & { stderr?: Buffer };
    const why = code === 'ENOENT' ? 'cc is not installed' : String(stderr ?? error);
    throw new Error(`The power-loss test needs a C compiler to build ${SHIM_SOURCE}: ${why}`);
  }
  return library;
}

/** Every file under `folder`, as paths relative to it. */
function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(join(folder, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = join(prefix, entry.name);
    return entry.isDirectory() ? filesUnder(folder, path) : [path];
  });
}

/**
 * A data folder whose files can be cut back to what a power cut would leave.
 * A process started with `preload` copies each file under `dataDir` aside
 * whenever it fsyncs it (fsync-snapshot.c); `cut()` then builds a data folder
 * holding those copies only.
 *
 * What it models: each file's content as of its last fsync, as the disk
 * holds it once the page cache is lost; a file never synced is lost whole;
 * nothing written after a file's last fsync survives, which is the worst a
 * disk may do. What it does not: directory entries, taken as they were at
 * the cut (a file created or deleted stays so, its folder synced or not);
 * torn or reordered writes inside a sync; memory-mapped writes (msync).
 * A file linked or renamed within dataDir keeps its synced content under the
 * new name.
 */
export class PowerCut {
  private constructor(
    private readonly root: string,
    readonly dataDir: string,
    private readonly syncedDir: string,
    private readonly library: string,
  ) {}

  /** Builds the shim into a new temporary folder; throws when there is no C compiler. */
  static prepare(): PowerCut {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'ledger-power-cut-')));
    try {
      const dataDir = join(root, 'data');
      const syncedDir = join(root, 'synced');
      mkdirSync(dataDir);
      mkdirSync(syncedDir);
      return new PowerCut(root, dataDir, syncedDir, compileShim(root));
    } catch (error) {
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  /** The environment that makes a process keep copies of what it syncs under dataDir. */
  get preload(): Record<string, string> {
    return {
      LD_PRELOAD: this.library,
      POWER_LOSS_DATA_DIR: this.dataDir,
      POWER_LOSS_SYNCED_DIR: this.syncedDir,
    };
  }

  /**
   * The files under dataDir that hold writes not synced yet: what a cut now
   * would take back. Meaningful while the writing process is stopped.
   */
  unsynced(): string[] {
    return this.files().filter((file) => {
      const synced = join(this.syncedDir, file);
      return (
        !existsSync(synced) || !readFileSync(synced).equals(readFileSync(join(this.dataDir, file)))
      );
    });
  }

  /**
   * A new data folder as the power cut leaves dataDir: the synced copy of
   * every file dataDir holds, and nothing of the files never synced, which
   * are named in `lost`. Call once the process is gone.
   */
  cut(): { dataDir: string; lost: string[] } {
    const after = join(this.root, 'after-cut');
    const lost: string[] = [];
    for (const file of this.files()) {
      const synced = join(this.syncedDir, file);
      if (!existsSync(synced)) {
        lost.push(file);
        continue;
      }
      mkdirSync(dirname(join(after, file)), { recursive: true });
      copyFileSync(synced, join(after, file));
    }
    mkdirSync(after, { recursive: true });
    return { dataDir: after, lost };
  }

  private files(): string[] {
    return filesUnder(this.dataDir).filter((file) => !isWalIndex(file));
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
