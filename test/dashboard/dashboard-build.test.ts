import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
      expect(existsSync(join(out, 'app.js'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
