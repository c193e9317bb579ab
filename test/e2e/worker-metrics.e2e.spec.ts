import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess, ensureServerBuilt } from '../support/api-process';
import { bearer } from '../support/credentials';
import { parsePrometheusText, valueOf } from '../support/prometheus-text';

/**
 * With the projections and the automation in the API's worker process (the
 * default), what the worker counts is scraped from the API with the rest:
 * the assigner's commands, made over there, show on the API's /metrics.
 */
describe('metrics of an API whose automation runs in its worker', () => {
  let dataDir: string;
  let api: ApiProcess;

  beforeAll(async () => {
    ensureServerBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-worker-metrics-'));
    api = await ApiProcess.start(dataDir);
  }, 240_000);

  afterAll(async () => {
    await api?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts the assigner’s commands, made in the worker, with the API’s own', async () => {
    const agent = { agentId: 'ana', name: 'Ana', tier: 'L1', capacity: 5 };
    expect((await api.request('POST', '/v1/agents', agent)).status).toBe(201);
    const online = await api.request('POST', '/v1/agents/ana/availability', {
      availability: 'online',
    });
    expect(online.status).toBe(200);
    const opened = await api.request('POST', '/v1/tickets', {
      subject: 'Cannot log in',
      channel: 'email',
      customer: { id: 'c-1' },
      category: 'account',
    });
    expect(opened.status).toBe(201);
    const monitorKey = await api.request('POST', '/v1/keys', { name: 'prom', role: 'monitor' });
    const monitor = bearer(monitorKey.body.key);

    const deadline = Date.now() + 10_000;
    for (;;) {
      const scrape = parsePrometheusText(
        (await api.request('GET', '/metrics', undefined, monitor)).body,
      );
      const assigned = valueOf(scrape, 'ledger_automation_actions_total', {
        automation: 'assigner',
        command: 'AutoAssignTicket',
        outcome: 'recorded',
      });
      if (assigned === 1) {
        const opens = { command: 'OpenTicket', outcome: 'accepted', code: '' };
        expect(valueOf(scrape, 'ledger_commands_total', opens)).toBe(1);
        // The process's own metrics stay the API's: not merged with the worker's.
        expect(valueOf(scrape, 'process_start_time_seconds')).toBeGreaterThan(0);
        return;
      }
      if (Date.now() > deadline) throw new Error('The assigner’s command was never counted');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 30_000);
});
