import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUILD = join(__dirname, '..', '..', 'apps', 'dashboard', 'build.mjs');

describe('the dashboard build', () => {
  it('writes nothing on standard output, which the ledger command line’s output goes to', () => {
    const out = mkdtempSync(join(tmpdir(), 'ledger-dashboard-build-'));
    try {
      const built = spawnSync(process.execPath, [BUILD, out], { encoding: 'utf8' });
      expect(built.status).toBe(0);
      expect(built.stdout).toBe('');
      // docs/dashboard.md promises a page script under 100 KB minified.
      expect(statSync(join(out, 'app.js')).size).toBeLessThan(100 * 1024);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
