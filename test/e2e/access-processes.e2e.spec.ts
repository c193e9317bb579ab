import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess, ensureServerBuilt } from '../support/api-process';
import { bearer, TEST_ADMIN_KEY } from '../support/credentials';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The files under `dir` whose bytes hold `secret`. */
function filesHolding(dir: string, secret: string): string[] {
  return filesUnder(dir).filter((file) => readFileSync(file).includes(Buffer.from(secret)));
}

describe('keys across API processes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-access-'));
  let first: ApiProcess;
  let second: ApiProcess;

  beforeAll(async () => {
    ensureServerBuilt();
    first = await ApiProcess.start(dataDir);
    second = await ApiProcess.start(dataDir, { PROJECTIONS: 'off', AUTOMATION: 'off' });
  }, 120_000);
  afterAll(async () => {
    await second?.kill();
    await first?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a key issued by one process works in the other, and its revocation too, at the next request', async () => {
    const issued = await first.request('POST', '/v1/keys', { role: 'analyst', name: 'reports' });
    expect(issued.status).toBe(201);
    const key = issued.body.key as string;
    expect((await second.request('GET', '/v1/workloads', undefined, bearer(key))).status).toBe(200);

    expect((await first.request('DELETE', `/v1/keys/${issued.body.keyId}`)).status).toBe(200);
    expect((await second.request('GET', '/v1/workloads', undefined, bearer(key))).status).toBe(401);
  });

  it('no file under DATA_DIR holds a secret in the clear', async () => {
    const issued = await first.request('POST', '/v1/keys', { role: 'auditor', name: 'audit' });
    const key = issued.body.key as string;
    // A request with each, so nothing is left out for never having been used.
    await second.request('GET', '/v1/kpis/escalations', undefined, bearer(key));
    await second.kill();
    await first.kill();
    expect(filesUnder(dataDir).length).toBeGreaterThan(0);
    expect(filesHolding(dataDir, key)).toEqual([]);
    expect(filesHolding(dataDir, TEST_ADMIN_KEY)).toEqual([]);
  });
});

describe('the first start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-first-'));
  let api: ApiProcess;

  beforeAll(async () => {
    ensureServerBuilt();
    api = await ApiProcess.start(dataDir, { ADMIN_KEY: '' });
  }, 120_000);
  afterAll(async () => {
    await api?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a generated admin key once and leaves it in DATA_DIR/admin.key for its owner only', async () => {
    const file = join(dataDir, 'admin.key');
    const key = readFileSync(file, 'utf8').trim();
    expect(key).toMatch(/^esl_[A-Za-z0-9_-]{43}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(api.log.split(key)).toHaveLength(2);
    expect((await api.request('GET', '/v1/keys', undefined, bearer(key))).status).toBe(200);
    expect((await api.request('GET', '/v1/keys', undefined, { authorization: '' })).status).toBe(
      401,
    );
    await api.kill();
    expect(filesHolding(dataDir, key)).toEqual([file]);
  });

  it('keeps every file of the data directory to its owner', () => {
    for (const file of filesUnder(dataDir))
      expect([file, statSync(file).mode & 0o077]).toEqual([file, 0]);
  });

  it('issues no second key when it starts again', async () => {
    const again = await ApiProcess.start(dataDir, { ADMIN_KEY: '' });
    try {
      const key = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
      expect(again.log).not.toContain(key);
      const keys = (await again.request('GET', '/v1/keys', undefined, bearer(key))).body.keys;
      expect(keys).toHaveLength(1);
    } finally {
      await again.kill();
    }
  }, 60_000);
});

describe('a first start that cannot write admin.key', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-first-fails-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('issues no key, so the next start can', async () => {
    ensureServerBuilt();
    // A directory where the key's file goes: the start stops before anything is issued.
    mkdirSync(join(dataDir, 'admin.key'));
    await expect(ApiProcess.start(dataDir, { ADMIN_KEY: '' })).rejects.toThrow(/exited/);
    rmSync(join(dataDir, 'admin.key'), { recursive: true });

    const api = await ApiProcess.start(dataDir, { ADMIN_KEY: '' });
    try {
      const key = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
      const keys = (await api.request('GET', '/v1/keys', undefined, bearer(key))).body.keys;
      expect(keys).toHaveLength(1);
    } finally {
      await api.kill();
    }
  }, 60_000);
});
