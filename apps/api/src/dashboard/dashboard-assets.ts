import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The files `apps/dashboard/build.mjs` writes, and how they are served. */
export const DASHBOARD_FILES = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
} as const;
export type DashboardFile = keyof typeof DASHBOARD_FILES;

export interface DashboardAsset {
  body: Buffer;
  type: string;
  etag: string;
}

/**
 * Where the build puts the assets: `dist/dashboard` of the project, found
 * from this file whether it runs compiled (under `dist/`) or as source.
 */
export function dashboardDirectory(from = __dirname): string {
  let at = from;
  while (!existsSync(join(at, 'package.json'))) {
    const parent = dirname(at);
    if (parent === at) return join(from, 'dashboard');
    at = parent;
  }
  return join(at, 'dist', 'dashboard');
}

/** The built dashboard, read once on first use and kept: a few tens of kilobytes. */
export class DashboardAssets {
  private readonly read = new Map<DashboardFile, Promise<DashboardAsset | undefined>>();

  constructor(private readonly directory = dashboardDirectory()) {}

  /** The asset, or undefined while the dashboard is not built. */
  async get(file: DashboardFile): Promise<DashboardAsset | undefined> {
    let asset = this.read.get(file);
    if (!asset) {
      asset = this.load(file);
      this.read.set(file, asset);
    }
    const loaded = await asset;
    // Not built yet: look again next time rather than remember the absence.
    if (!loaded) this.read.delete(file);
    return loaded;
  }

  private async load(file: DashboardFile): Promise<DashboardAsset | undefined> {
    let body: Buffer;
    try {
      body = await readFile(join(this.directory, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
    return { body, type: DASHBOARD_FILES[file], etag: `"${hash}"` };
  }
}
