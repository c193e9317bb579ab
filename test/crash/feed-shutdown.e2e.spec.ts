import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBody } from '../e2e/support/tickets';
import { FeedClient } from '../support/feed-client';
import { ApiProcess, ensureServerBuilt } from '../support/api-process';

describe('a server process stopped with feeds open', () => {
  let dataDir: string;
  let api: ApiProcess | undefined;

  beforeAll(() => {
    ensureServerBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-feed-stop-'));
  }, 180_000);

  afterAll(async () => {
    await api?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ends them and exits on SIGTERM', async () => {
    api = await ApiProcess.start(dataDir);
    const feeds = await Promise.all([FeedClient.open(api.baseUrl), FeedClient.open(api.baseUrl)]);
    const opened = await api.request('POST', '/v1/tickets', openBody());
    expect(opened.status).toBe(201);
    for (const feed of feeds) await feed.untilEvents(1);

    const started = Date.now();
    await api.terminate();
    expect(Date.now() - started).toBeLessThan(5000);
    await Promise.all(feeds.map((feed) => feed.ended));
    expect(api.log).not.toMatch(/error/i);
  });
});
