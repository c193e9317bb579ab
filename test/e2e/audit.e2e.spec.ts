import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES, type Role } from '@ledger/domain';
import { DATABASE_FILE } from '@ledger/runtime';
import { ApiProcess, ensureServerBuilt } from '../support/api-process';
import { editColumn } from '../support/log-tampering';
import { bearer, type TestApp } from '../support/test-app';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import { command, openTicket } from './support/tickets';

const HEX64 = /^[0-9a-f]{64}$/;

describe('audit of the log’s hash chain over HTTP', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  /** Opens a ticket and acts on it: a few events, the last one's position answered. */
  async function someHistory(): Promise<string> {
    const { ticketId } = await openTicket(api);
    await command(api, ticketId, 'notes');
    return (await command(api, ticketId, 'escalate')).body.position;
  }

  it('answers the head: the newest event’s position and hash, and when it happened', async () => {
    const position = await someHistory();

    const head = await api.request('GET', '/v1/audit/head');

    expect(head.status).toBe(200);
    expect(head.body).toEqual({
      position,
      hash: expect.stringMatching(HEX64),
      at: expect.any(String),
    });
  });

  it('verifies every event of the log, and a head kept earlier as the log grows', async () => {
    await someHistory();
    const kept = (await api.request('GET', '/v1/audit/head')).body;
    const later = await someHistory();

    const whole = await api.request('GET', '/v1/audit/verify');
    const withReceipt = await api.request(
      'GET',
      `/v1/audit/verify?position=${kept.position}&hash=${kept.hash.toUpperCase()}`,
    );

    expect(whole).toMatchObject({ status: 200, body: { ok: true, eventsChecked: Number(later) } });
    expect(withReceipt).toMatchObject({
      status: 200,
      body: { ok: true, eventsChecked: Number(later) },
    });
  });

  it('says a receipt the log does not extend is broken, and where', async () => {
    const position = await someHistory();

    const rewritten = await api.request(
      'GET',
      `/v1/audit/verify?position=${position}&hash=${'ab'.repeat(32)}`,
    );
    const beyond = await api.request(
      'GET',
      `/v1/audit/verify?position=${Number(position) + 1000}&hash=${'ab'.repeat(32)}`,
    );

    expect(rewritten.body).toMatchObject({
      ok: false,
      firstBroken: { position, reason: 'receipt_mismatch', streamId: expect.any(String) },
    });
    expect(beyond.body).toMatchObject({
      ok: false,
      firstBroken: {
        position: String(Number(position) + 1000),
        streamId: null,
        version: null,
        reason: 'receipt_beyond_log',
      },
    });
  });

  it.each([
    ['position=5', ['hash']],
    [`hash=${'a'.repeat(64)}`, ['position']],
    ['position=5&hash=xyz', ['hash']],
    [`position=05&hash=${'a'.repeat(64)}`, ['position']],
    [`position=-1&hash=${'a'.repeat(64)}`, ['position']],
    [`position=${'9'.repeat(101)}&hash=${'a'.repeat(64)}`, ['position']],
  ])('refuses the receipt %s with 400 naming %p', async (query, fields) => {
    const answer = await api.request('GET', `/v1/audit/verify?${query}`);

    expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(fieldsOf(answer)).toEqual(fields);
  });

  it('is for auditors and admins: every other role gets 403', async () => {
    const keys = {} as Record<Role, string>;
    for (const role of ROLES) {
      const issued = await api.request('POST', '/v1/keys', {
        name: `audit ${role}`,
        roles: [role],
        ...(role === 'agent' && { agentId: 'ana' }),
      });
      keys[role] = issued.body.key;
    }

    const statuses: Record<string, number[]> = {};
    for (const role of ROLES) {
      statuses[role] = [
        (await api.request('GET', '/v1/audit/head', undefined, bearer(keys[role]))).status,
        (await api.request('GET', '/v1/audit/verify', undefined, bearer(keys[role]))).status,
      ];
    }

    expect(statuses).toEqual({
      agent: [403, 403],
      supervisor: [403, 403],
      auditor: [200, 200],
      analyst: [403, 403],
      monitor: [403, 403],
      admin: [200, 200],
    });
  });

  it('is described in the OpenAPI document: head, verify, the receipt and every answer', async () => {
    const { paths, components } = (await api.request('GET', '/docs/openapi.json')).body;

    expect(Object.keys(paths['/v1/audit/verify'].get.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '429',
    ]);
    expect(paths['/v1/audit/verify'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'position',
      'hash',
    ]);
    expect(Object.keys(paths['/v1/audit/head'].get.responses)).toContain('200');
    expect(components.schemas.BrokenLinkDto.properties.reason.enum).toContain('hash_mismatch');
  });
});

describe('a log edited behind the API’s back', () => {
  let api: TestApp;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-audit-tampered-'));
    api = await startApi({ dataDir });
  });
  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is named by verify at the edited event, while the API goes on serving', async () => {
    const { ticketId, position } = await openTicket(api);
    await command(api, ticketId, 'notes');
    const db = new Database(join(dataDir, DATABASE_FILE));
    // A field stored in the clear: the subject is sealed (docs/privacy.md).
    editColumn(db, Number(position), 'data', (data: string) => {
      const edited = data.replace('"channel":"', '"channel":"(edited) ');
      expect(edited).not.toBe(data);
      return edited;
    });
    db.close();

    const verified = await api.request('GET', '/v1/audit/verify');
    const served = await command(api, ticketId, 'notes');

    expect(verified.body).toEqual({
      ok: false,
      eventsChecked: Number(position),
      firstBroken: {
        streamId: `ticket-${ticketId}`,
        version: 1,
        position,
        reason: 'hash_mismatch',
        detail: expect.any(String),
      },
    });
    expect(served.status).toBe(200);
    expect((await api.request('GET', '/v1/audit/verify')).body.firstBroken.position).toBe(position);
  });
});

describe('the check at start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-audit-start-'));
  let api: ApiProcess | undefined;

  beforeAll(() => ensureServerBuilt(), 120_000);
  afterAll(async () => {
    await api?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function logOnceChecked(process: ApiProcess): Promise<string> {
    const deadline = Date.now() + 20_000;
    while (!/hash chain (holds|is broken)/.test(process.log) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return process.log;
  }

  it('logs that the chain holds, then, on a log edited while the API was down, a warning naming the event', async () => {
    api = await ApiProcess.start(dataDir);
    const opened = await api.request('POST', '/v1/tickets', {
      subject: 'Invoice is wrong',
      channel: 'email',
      customer: { id: 'c-1' },
      category: 'billing',
    });
    expect(await logOnceChecked(api)).toMatch(/The log's hash chain holds: \d+ events checked/);
    await api.kill();
    const db = new Database(join(dataDir, DATABASE_FILE));
    editColumn(db, Number(opened.body.position), 'metadata', (metadata: string) =>
      metadata.replace('"actor":"', '"actor":"someone-else-'),
    );
    db.close();

    api = await ApiProcess.start(dataDir);

    expect(await logOnceChecked(api)).toContain(
      `The log's hash chain is broken at position ${opened.body.position} (ticket-${opened.body.ticketId} version 1): hash_mismatch`,
    );
    expect((await api.request('GET', '/health')).status).toBe(200);
  });
});
