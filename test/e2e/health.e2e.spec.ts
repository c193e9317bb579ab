import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { LeasedProjections } from '@ledger/projections';
import { PROJECTION_NAMES, READ_STORE } from '@ledger/read-store';
import { parsePrometheusText, valueOf } from '../support/prometheus-text';
import { appendOpenedTickets } from '../support/bulk-tickets';
import { startTestApp, type TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';

const START = '2026-01-05T09:00:00.000Z';

const ready = (api: TestApp) =>
  api.request('GET', '/health/ready', undefined, { authorization: '' });

describe('health', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('answers /health/live and /health/ready without a credential, every read model named', async () => {
    const live = await api.request('GET', '/health/live', undefined, { authorization: '' });
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: 'ok' });

    const answer = await ready(api);

    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('ok');
    expect(Object.keys(answer.body.details).sort()).toEqual(
      ['log', 'readStore', ...PROJECTION_NAMES].sort(),
    );
    for (const name of PROJECTION_NAMES) {
      expect(answer.body.details[name]).toMatchObject({
        status: 'up',
        projection: 'live',
        lagEvents: 0,
        lagSeconds: 0,
      });
    }
    expect(answer.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
  });

  it('stays while a read model is rebuilt in the API: the old generation serves meanwhile', async () => {
    const events = api.app.get<symbol, EventStore>(EVENT_STORE);
    await appendOpenedTickets(events, 20_000, START);
    const head = await events.headPosition();
    expect((await api.request('GET', `/v1/workloads?after=${head}`)).status).toBe(200);

    expect((await api.request('POST', '/v1/projections/tier-workload/rebuild')).status).toBe(202);
    const rebuilding = async () => {
      const listed = (await api.request('GET', '/v1/projections')).body as {
        name: string;
        status: string;
      }[];
      return listed.find((report) => report.name === 'tier-workload')!.status === 'rebuilding';
    };
    const statuses = new Set<number>();
    let answersWhileRebuilding = 0;
    for (let underWay = await rebuilding(); underWay;) {
      statuses.add((await ready(api)).status);
      underWay = await rebuilding();
      // Rebuilding before the answer and after it: readiness was asked during the rebuild.
      if (underWay) answersWhileRebuilding += 1;
    }

    expect([...statuses]).toEqual([200]);
    expect(answersWhileRebuilding).toBeGreaterThan(0);
  }, 60_000);

  it('documents both routes’ 200 and 503 in the OpenAPI document', async () => {
    const { paths } = (await api.request('GET', '/docs/openapi.json')).body;
    for (const path of ['/health/live', '/health/ready']) {
      expect(Object.keys(paths[path].get.responses).sort()).toEqual(['200', '503']);
      expect(paths[path].get.security).toBeUndefined();
    }
  });
});

describe('readiness', () => {
  it('is lost when a store does not answer, and names it', async () => {
    const api = await startTestApp();
    try {
      await api.app.get<symbol, EventStore>(EVENT_STORE).close();

      const answer = await ready(api);

      expect(answer.status).toBe(503);
      expect(answer.body.status).toBe('error');
      expect(answer.body.error.log).toMatchObject({ status: 'down' });
      expect(answer.body.info.readStore).toEqual({ status: 'up' });
    } finally {
      await api.close();
    }
  });

  describe('with the projections in projector processes (PROJECTIONS=off)', () => {
    const clock = new TestClock(START);
    let api: TestApp;

    beforeAll(async () => {
      api = await startTestApp({ clock, config: { projections: 'off' } });
    });
    afterAll(() => api.close());

    it('is lost while no projector runs and the log moves on, naming every read model behind', async () => {
      const opened = await api.request('POST', '/v1/tickets', {
        subject: 'Cannot sign in',
        channel: 'email',
        customer: { id: 'c-1' },
        category: 'access',
      });
      expect(opened.status).toBe(201);
      // Within READY_MAX_LAG_S (5 s) of the first event the log holds, the admin key issued at start.
      expect((await ready(api)).status).toBe(200);
      clock.advanceMinutes(0.1);
      await api.request('POST', `/v1/tickets/${opened.body.ticketId}/notes`, { body: 'Called' });

      const answer = await ready(api);

      expect(answer.status).toBe(503);
      expect(Object.keys(answer.body.error).sort()).toEqual([...PROJECTION_NAMES].sort());
      expect(answer.body.error.queues).toMatchObject({
        status: 'down',
        position: null,
        projection: 'external',
        lagEvents: 3,
        lagSeconds: 6,
        message: "6 s behind the log's head (READY_MAX_LAG_S=5)",
      });
      expect(answer.body.info).toEqual({ log: { status: 'up' }, readStore: { status: 'up' } });
      const metrics = parsePrometheusText((await api.request('GET', '/metrics')).body);
      const queues = { read_model: 'queues' };
      expect(valueOf(metrics, 'ledger_read_model_lag_events', queues)).toBe(3);
      expect(valueOf(metrics, 'ledger_read_model_lag_seconds', queues)).toBe(6);
      expect(valueOf(metrics, 'ledger_read_model_status', { ...queues, status: 'external' })).toBe(
        1,
      );
    });

    it('comes back once a projector has caught the read models up with a long log, and not before', async () => {
      const events = api.app.get<symbol, EventStore>(EVENT_STORE);
      await appendOpenedTickets(events, 20_000, START);
      const projector = new LeasedProjections(events, api.app.get(READ_STORE), {
        holder: 'test-projector',
      });
      const seen: number[] = [];
      try {
        const started = Date.now();
        await projector.start();
        for (;;) {
          const answer = await ready(api);
          if (seen.at(-1) !== answer.status) seen.push(answer.status);
          if (answer.status === 200) break;
          expect(Object.keys(answer.body.error).length).toBeGreaterThan(0);
          if (Date.now() - started > 60_000) throw new Error('not ready within a minute');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        await projector.stop();
      }

      expect(seen).toEqual([503, 200]);
    }, 90_000);
  });
});
