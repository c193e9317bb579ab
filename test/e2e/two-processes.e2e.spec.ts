import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess, ensureServerBuilt } from '../support/api-process';
import type { HttpClient } from '../support/http-client';
import { checkingContract } from './support/e2e-api';
import { command, historyOf, openTicket } from './support/tickets';

/**
 * Two API processes of the built server on one DATA_DIR, each remembering the
 * tickets it has seen: what one writes, the other must take into account,
 * never overwrite.
 */
describe('two API processes on the same log', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-two-'));
  let firstProcess: ApiProcess | undefined;
  let secondProcess: ApiProcess | undefined;
  let first: HttpClient;
  let second: HttpClient;

  beforeAll(async () => {
    ensureServerBuilt();
    // As the suite's apps: the automation stays off, so no SLA mark or assignment lands between steps.
    firstProcess = await ApiProcess.start(dataDir, { AUTOMATION: 'off' });
    secondProcess = await ApiProcess.start(dataDir, { AUTOMATION: 'off', PROJECTIONS: 'off' });
    first = { request: checkingContract(firstProcess) };
    second = { request: checkingContract(secondProcess) };
  }, 120_000);
  afterAll(async () => {
    await secondProcess?.terminate();
    await firstProcess?.terminate();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('decide on each other’s writes, whatever each remembered', async () => {
    const { ticketId } = await openTicket(first);
    expect((await command(second, ticketId, 'assign', { agentId: 'agent-2' })).status).toBe(200);

    const escalated = await command(first, ticketId, 'escalate');
    expect(escalated.body).toMatchObject({ version: 3 });

    const resolved = await command(second, ticketId, 'resolve', undefined, { 'if-match': '"3"' });
    expect(resolved.body).toMatchObject({ version: 4 });

    const refused = await command(first, ticketId, 'escalate');
    expect(refused.status).toBe(409);
    expect((refused.body as any).error.code).toBe('REOPEN_REQUIRED');

    const types = (await historyOf(first, ticketId)).map((event: { type: string }) => event.type);
    expect(types).toEqual(['TicketOpened', 'TicketAssigned', 'TicketEscalated', 'TicketResolved']);
  });

  it('answer a retried command with its first answer, whichever process took it first', async () => {
    const { ticketId } = await openTicket(first);
    const headers = { 'idempotency-key': `two-processes-${ticketId}` };
    await command(first, ticketId, 'notes');

    const original = await command(second, ticketId, 'assign', { agentId: 'agent-9' }, headers);
    const retried = await command(first, ticketId, 'assign', { agentId: 'agent-9' }, headers);

    expect(retried.body).toEqual(original.body);
    expect(await historyOf(first, ticketId)).toHaveLength(3);
  });
});
