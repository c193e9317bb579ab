import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { startApi } from './support/e2e-api';
import { accepted, command, historyOf, openTicket } from './support/tickets';

/** The same data directory served by a first app, then by a second one started after it closed. */
describe('after a restart on the same data', () => {
  const clock = new TestClock('2026-08-03T09:00:00.000Z');
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-restart-'));
  const key = randomUUID();
  let api: TestApp;
  let ticketId: string;
  let firstAnswer: unknown;
  let head: string;
  const before: Record<string, unknown> = {};
  let cursor: string;
  let secondPage: unknown;

  const reads: Record<string, () => string> = {
    ticket: () => `/v1/tickets/${ticketId}`,
    queue: () => '/v1/queues/L2',
    workloads: () => '/v1/workloads',
    kpis: () => '/v1/kpis/escalations?groupBy=agent',
  };

  beforeAll(async () => {
    const first = await startApi({ dataDir, clock });
    ({ ticketId } = await openTicket(first));
    await accepted(first, ticketId, 'assign', { agentId: 'agent-1' });
    clock.advanceMinutes(30);
    firstAnswer = (
      await command(first, ticketId, 'escalate', undefined, { 'idempotency-key': key })
    ).body;
    clock.advanceMinutes(30);
    await openTicket(first);
    const { position } = await openTicket(first);
    const page = await first.request('GET', `/v1/queues/L1?limit=1&after=${position}`);
    cursor = page.body.nextCursor;
    secondPage = (await first.request('GET', `/v1/queues/L1?limit=1&cursor=${cursor}`)).body;
    ({ position: head } = await accepted(first, ticketId, 'notes'));
    for (const [name, path] of Object.entries(reads)) {
      const separator = path().includes('?') ? '&' : '?';
      before[name] = (await first.request('GET', `${path()}${separator}after=${head}`)).body;
    }
    await first.close({ removeData: false });
    api = await startApi({ dataDir, clock });
  });
  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(Object.entries(reads))('the %s read answers as before', async (name, path) => {
    const answer = await api.request('GET', path());

    expect(answer.body).toEqual(before[name]);
  });

  it('accepts a queue cursor issued before the restart', async () => {
    const answer = await api.request('GET', `/v1/queues/L1?limit=1&cursor=${cursor}`);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(secondPage);
  });

  it('reports every projection live at the position reached before', async () => {
    const answer = await api.request('GET', '/v1/projections');

    for (const projection of answer.body) expect(projection).toMatchObject({ position: head });
  });

  it('still answers a retried command with its first answer', async () => {
    const retry = await command(api, ticketId, 'escalate', undefined, { 'idempotency-key': key });

    expect(retry.body).toEqual(firstAnswer);
  });

  it('goes on with the next version and a later position', async () => {
    const next = await accepted(api, ticketId, 'notes');

    expect(next.version).toBe((await historyOf(api, ticketId)).length);
    expect(Number(next.position)).toBeGreaterThan(Number(head));
  });
});
