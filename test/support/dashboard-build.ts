import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Builds the dashboard's assets into dist/dashboard, as npm run build does (under a second). */
export function buildDashboard(): void {
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'apps', 'dashboard', 'build.mjs')], {
    stdio: 'ignore',
  });
}
