import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess, ensureServerBuilt } from '../support/api-process';
import { bearer, TEST_ADMIN_KEY } from '../support/credentials';
import { openBody } from './support/tickets';
import { nth } from '../support/elements';

/** The lines the API prints directly, as it always has: not log records. */
const START_UP_LINE = /^Escalation Ledger listening on http:\/\/localhost:\d+ \(data in .+\)$/;

/** Every line the process printed, each a JSON log record unless it is the start-up line. */
function records(api: ApiProcess): Record<string, unknown>[] {
  return api.log
    .split('\n')
    .filter((line) => line !== '' && !START_UP_LINE.test(line))
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`Not a JSON line: ${line}`);
      }
    });
}

/** The request line with this correlation id, once the process has written it. */
async function requestLine(api: ApiProcess, correlationId: string) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const line = records(api).find(
      (record) => record.msg === 'request' && record.correlationId === correlationId,
    );
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`No request line for ${correlationId}:\n${api.log}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the logs of an API process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-logs-'));
  let api: ApiProcess;

  beforeAll(async () => {
    ensureServerBuilt();
    api = await ApiProcess.start(dataDir);
  }, 120_000);
  afterAll(async () => {
    await api?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('are JSON lines, one a request, with its correlation id, principal, route template, status and duration', async () => {
    const opened = await api.request('POST', '/v1/tickets', openBody(), {
      'x-correlation-id': 'case-4711',
    });
    expect(opened.status).toBe(201);
    const view = await api.request('GET', `/v1/tickets/${opened.body.ticketId}`, undefined, {
      'x-correlation-id': 'case-4711-read',
    });
    expect(view.status).toBe(200);

    const keys = (await api.request('GET', '/v1/keys')).body.keys as { keyId: string }[];
    expect(await requestLine(api, 'case-4711')).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      pid: expect.any(Number),
      hostname: expect.any(String),
      correlationId: 'case-4711',
      principal: `key:${nth(keys, 0).keyId}`,
      method: 'POST',
      route: '/v1/tickets',
      status: 201,
      durationMs: expect.any(Number),
      msg: 'request',
    });
    expect(await requestLine(api, 'case-4711-read')).toMatchObject({
      route: '/v1/tickets/:id',
      status: 200,
    });
    expect(records(api).every((record) => typeof record.level === 'string')).toBe(true);
  });

  it('give a request without X-Correlation-Id the id its events record', async () => {
    const opened = await api.request('POST', '/v1/tickets', openBody());
    const history = await api.request('GET', `/v1/tickets/${opened.body.ticketId}/history`);
    const { correlationId } = history.body.events[0];

    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await requestLine(api, correlationId)).toMatchObject({ route: '/v1/tickets' });
  });

  it('never hold a secret: neither a key presented nor one issued', async () => {
    const refused = await api.request('GET', '/v1/keys', undefined, {
      ...bearer('esl_not-a-key-anyone-was-given-0000000000000'),
      'x-correlation-id': 'case-refused',
    });
    expect(refused.status).toBe(401);
    const issued = await api.request(
      'POST',
      '/v1/keys',
      { role: 'monitor', name: 'prometheus' },
      { 'x-correlation-id': 'case-issued' },
    );
    expect(issued.status).toBe(201);

    expect(await requestLine(api, 'case-refused')).toMatchObject({ principal: null, status: 401 });
    await requestLine(api, 'case-issued');
    // The refusal is logged, with the address and the route.
    expect(
      records(api).some(
        (record) => record.context === 'Access' && record.correlationId === 'case-refused',
      ),
    ).toBe(true);
    for (const secret of [TEST_ADMIN_KEY, issued.body.key, 'esl_not-a-key-anyone-was-given']) {
      expect(api.log).not.toContain(secret);
    }
  });
});

describe('LOG_LEVEL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-log-level-'));
  let api: ApiProcess;

  beforeAll(async () => {
    ensureServerBuilt();
    api = await ApiProcess.start(dataDir, { LOG_LEVEL: 'warn' });
  }, 120_000);
  afterAll(async () => {
    await api?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves out what is below it', async () => {
    await api.request('GET', '/v1/keys', undefined, { authorization: 'Bearer esl_wrong' });
    await api.request('POST', '/v1/tickets', openBody());
    // The warning is written before the answer is sent.
    const written = records(api);

    expect(written.map((record) => record.level)).toEqual(['warn']);
    expect(written[0]).toMatchObject({ context: 'Access' });
  });
});
