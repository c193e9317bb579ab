import { PROJECTION_NAMES, READ_STORE, type ReadStore } from '@ledger/read-store';
import { Automation } from '../../apps/api/src/automation/automation';
import { parsePrometheusText, valueOf, type Scrape } from '../support/prometheus-text';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { startApi } from './support/e2e-api';
import { openBody, openTicket } from './support/tickets';
import { SHORT_POLICY } from './support/sla-policies';

describe('GET /metrics', () => {
  const clock = new TestClock('2026-03-02T09:00:00.000Z');
  let api: TestApp;
  let monitor: Record<string, string>;

  async function scrape(): Promise<Scrape> {
    const answer = await api.request('GET', '/metrics', undefined, monitor);
    expect(answer.status).toBe(200);
    return parsePrometheusText(answer.body);
  }

  beforeAll(async () => {
    api = await startApi({ clock, config: { automation: 'on' } });
    const issued = await api.request('POST', '/v1/keys', { name: 'prometheus', role: 'monitor' });
    monitor = bearer(issued.body.key);
  });
  afterAll(() => api.close());

  it('answers a monitor key in Prometheus’ text format, and refuses an agent key', async () => {
    const agent = await api.request('POST', '/v1/keys', {
      name: 'ana',
      role: 'agent',
      agentId: 'ana',
    });
    expect((await api.request('GET', '/metrics', undefined, bearer(agent.body.key))).status).toBe(
      403,
    );
    expect((await api.request('GET', '/metrics', undefined, { authorization: '' })).status).toBe(
      401,
    );

    const answer = await api.request('GET', '/metrics', undefined, monitor);

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const { types, samples } = parsePrometheusText(answer.body);
    expect(types.get('ledger_http_request_duration_seconds')).toBe('histogram');
    // The process's own, from prom-client's defaults.
    expect(types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(samples.some((sample) => sample.name === 'nodejs_heap_size_used_bytes')).toBe(true);
  });

  it('counts commands by type and outcome, and each append with its size', async () => {
    const before = await scrape();
    const opened = await openTicket(api);
    const again = await api.request('POST', '/v1/tickets', openBody({ ticketId: opened.ticketId }));
    expect(again.status).toBe(409);

    const after = await scrape();

    const moved = (name: string, labels: Record<string, string> = {}) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(
      moved('ledger_commands_total', { command: 'OpenTicket', outcome: 'accepted', code: '' }),
    ).toBe(1);
    expect(
      moved('ledger_commands_total', {
        command: 'OpenTicket',
        outcome: 'refused',
        code: 'TICKET_ALREADY_EXISTS',
      }),
    ).toBe(1);
    expect(moved('ledger_command_duration_seconds_count', { command: 'OpenTicket' })).toBe(2);
    expect(moved('ledger_appends_total', { outcome: 'appended' })).toBe(1);
    expect(moved('ledger_append_events_sum')).toBe(1);
    expect(moved('ledger_append_duration_seconds_count')).toBe(1);
    expect(moved('ledger_log_commits_total')).toBeGreaterThanOrEqual(1);
  });

  it('times requests by route template, never by the path with its ids', async () => {
    const { ticketId, position } = await openTicket(api);
    expect((await api.request('GET', `/v1/tickets/${ticketId}?after=${position}`)).status).toBe(
      200,
    );
    expect((await api.request('GET', '/v1/no-such-route')).status).toBe(404);

    const after = await scrape();

    const count = (route: string, method: string, status: string) =>
      valueOf(after, 'ledger_http_request_duration_seconds_count', { route, method, status });
    expect(count('/v1/tickets/:id', 'GET', '200')).toBeGreaterThanOrEqual(1);
    expect(count('/v1/tickets', 'POST', '201')).toBeGreaterThanOrEqual(1);
    expect(count('/v1/tickets', 'POST', '409')).toBeGreaterThanOrEqual(1);
    expect(count('/metrics', 'GET', '403')).toBe(1);
    expect(count('unmatched', 'GET', '404')).toBe(1);
    const routes = new Set(
      after.samples
        .filter((sample) => sample.name.startsWith('ledger_http_request_duration_seconds'))
        .map((sample) => sample.labels.route),
    );
    expect(
      [...routes].filter(
        (route) => route === undefined || route.includes(ticketId) || route.includes('no-such'),
      ),
    ).toEqual([]);
  });

  it('shows each read model’s position and lag, none once it has caught up', async () => {
    const { ticketId, position } = await openTicket(api);
    expect((await api.request('GET', `/v1/tickets/${ticketId}?after=${position}`)).status).toBe(
      200,
    );
    await api.request('GET', `/v1/workloads?after=${position}`);
    await api.request('GET', `/v1/kpis/escalations?after=${position}`);
    await api.request('GET', `/v1/agents?after=${position}`);
    await api.request('GET', `/v1/alerts?after=${position}`);
    await api.request('GET', `/v1/queues/L1?after=${position}`);

    const after = await scrape();

    for (const name of PROJECTION_NAMES) {
      const labels = { read_model: name };
      expect(valueOf(after, 'ledger_read_model_position', labels)).toBeGreaterThanOrEqual(
        Number(position),
      );
      expect(valueOf(after, 'ledger_read_model_lag_events', labels)).toBe(0);
      expect(valueOf(after, 'ledger_read_model_lag_seconds', labels)).toBe(0);
      expect(valueOf(after, 'ledger_read_model_status', { ...labels, status: 'live' })).toBe(1);
      expect(valueOf(after, 'ledger_read_model_status', { ...labels, status: 'failed' })).toBe(0);
    }
  });

  it('counts the SLA marks the clock records and what the assigner does', async () => {
    const automation = api.app.get(Automation);
    expect((await api.request('PUT', '/v1/sla-policy', SHORT_POLICY)).status).toBe(200);
    const before = await scrape();
    await openTicket(api, { priority: 'urgent' });

    clock.advanceMinutes(8);
    await automation.settle();
    clock.advanceMinutes(3);
    await automation.settle();
    await api.request('POST', '/v1/agents', { agentId: 'cy', name: 'Cy', tier: 'L1', capacity: 5 });
    await api.request('POST', '/v1/agents/cy/availability', { availability: 'online' });
    await automation.settle();

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(moved('ledger_sla_marks_total', { mark: 'warning', target: 'first_response' })).toBe(1);
    expect(moved('ledger_sla_marks_total', { mark: 'breach', target: 'first_response' })).toBe(1);
    expect(
      moved('ledger_automation_actions_total', {
        automation: 'sla-clock',
        command: 'CheckSla',
        outcome: 'recorded',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      moved('ledger_automation_actions_total', {
        automation: 'assigner',
        command: 'AutoAssignTicket',
        outcome: 'recorded',
      }),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe('GET /metrics when the read models cannot be measured', () => {
  it('answers without their gauges rather than failing', async () => {
    const api = await startTestApp({ config: { projections: 'off' } });
    try {
      await api.app.get<symbol, ReadStore>(READ_STORE).close();

      const answer = await api.request('GET', '/metrics');

      expect(answer.status).toBe(200);
      const { samples } = parsePrometheusText(answer.body);
      expect(samples.filter((sample) => sample.name.startsWith('ledger_read_model_'))).toEqual([]);
      expect(samples.some((sample) => sample.name === 'process_cpu_user_seconds_total')).toBe(true);
    } finally {
      await api.close();
    }
  });
});
