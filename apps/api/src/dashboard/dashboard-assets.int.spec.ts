import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DashboardAssets, dashboardDirectory } from './dashboard-assets';

describe('the dashboard assets', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'dashboard-assets-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('are absent while not built, and found once they are, without a restart', async () => {
    const assets = new DashboardAssets(directory);
    await expect(assets.get('app.js')).resolves.toBeUndefined();

    writeFileSync(join(directory, 'app.js'), 'console.log(1)');

    const asset = await assets.get('app.js');
    expect(asset).toMatchObject({ type: 'text/javascript; charset=utf-8' });
    expect(asset!.body.toString()).toBe('console.log(1)');
    expect(asset!.etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
  });

  it('carry an ETag that changes with their content', async () => {
    writeFileSync(join(directory, 'app.css'), 'a{}');
    const first = await new DashboardAssets(directory).get('app.css');
    writeFileSync(join(directory, 'app.css'), 'b{}');
    const second = await new DashboardAssets(directory).get('app.css');

    expect(first!.etag).not.toBe(second!.etag);
  });

  it('are looked for in dist/dashboard of the project the code runs in', () => {
    const project = join(directory, 'project');
    mkdirSync(join(project, 'dist', 'apps', 'api', 'src', 'dashboard'), { recursive: true });
    writeFileSync(join(project, 'package.json'), '{}');

    expect(dashboardDirectory(join(project, 'dist', 'apps', 'api', 'src', 'dashboard'))).toBe(
      join(project, 'dist', 'dashboard'),
    );
    expect(dashboardDirectory(join(project, 'apps', 'api', 'src', 'dashboard'))).toBe(
      join(project, 'dist', 'dashboard'),
    );
  });
});
