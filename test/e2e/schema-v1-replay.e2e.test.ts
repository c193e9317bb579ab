import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi } from './support/e2e-api';
import { TestClock } from '../support/test-clock';
import { observe } from '../fixtures/schema-v1/observe';
import { fixtureExpectations, importFixture } from '../fixtures/schema-v1/replay';

describe('a log written with schema 1, replayed by today’s code', () => {
  const fixture = fixtureExpectations();
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-v1-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('projects into the read models and KPIs the original run answered', async () => {
    await importFixture(join(dataDir, 'ledger.sqlite'));
    const api = await startApi({ dataDir, clock: new TestClock(fixture.end) });
    try {
      expect(await observe(api, fixture.ticketIds, fixture.head)).toEqual(fixture.observed);
    } finally {
      await api.close();
    }
  });
});
