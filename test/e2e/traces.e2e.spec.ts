import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ApiProcess, ensureServerBuilt } from '../support/api-process';
import { startTestApp, type TestApp } from '../support/test-app';
import { openBody } from './support/tickets';
import { nth } from '../support/elements';

describe('traces', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let api: TestApp;

  /** The ended spans carrying the correlation id, once `count` of them have ended. */
  async function spansOf(correlationId: string, count: number): Promise<ReadableSpan[]> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const spans = exporter
        .getFinishedSpans()
        .filter((span) => span.attributes['ledger.correlation_id'] === correlationId);
      if (spans.length >= count) return spans;
      if (Date.now() > deadline) {
        throw new Error(`${spans.length} spans of ${correlationId}, not ${count}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  const named = (spans: ReadableSpan[], name: string) => {
    const found = spans.filter((span) => span.name === name);
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  beforeAll(async () => {
    // As main does with an OTLP exporter: registered, so spans nest through async calls.
    provider.register();
    api = await startTestApp({ tracerProvider: provider });
  });
  afterAll(async () => {
    await api.close();
    await provider.shutdown();
  });
  beforeEach(() => exporter.reset());

  it('makes a span of a request, its command within it and the append within that', async () => {
    const opened = await api.request('POST', '/v1/tickets', openBody(), {
      'x-correlation-id': 'trace-open',
    });
    expect(opened.status).toBe(201);

    const spans = await spansOf('trace-open', 3);

    const request = named(spans, 'POST /v1/tickets');
    const command = named(spans, 'command OpenTicket');
    const append = named(spans, 'append');
    expect(request.kind).toBe(SpanKind.SERVER);
    expect(request.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/tickets',
      'http.response.status_code': 201,
    });
    expect(parentOf(command)).toBe(request.spanContext().spanId);
    expect(command.attributes).toMatchObject({
      'ledger.command': 'OpenTicket',
      'ledger.stream_id': `ticket-${opened.body.ticketId}`,
      'ledger.outcome': 'accepted',
    });
    expect(parentOf(append)).toBe(command.spanContext().spanId);
    expect(append.attributes).toMatchObject({
      'ledger.events': 1,
      'ledger.event_types': ['TicketOpened'],
      'ledger.version': 1,
      'ledger.position': opened.body.position,
    });
    const traces = new Set([request, command, append].map((span) => span.spanContext().traceId));
    expect(traces.size).toBe(1);
  });

  it('makes a span of each projection batch, carrying the correlation ids of its events', async () => {
    const opened = await api.request('POST', '/v1/tickets', openBody(), {
      'x-correlation-id': 'trace-project',
    });
    await api.request('GET', `/v1/tickets/${opened.body.ticketId}?after=${opened.body.position}`);

    const spans = await spansOf('trace-project', 4);

    const batch = named(spans, 'project ticket-view');
    expect(batch.attributes).toMatchObject({
      'ledger.read_model': 'ticket-view',
      'ledger.events': 1,
      'ledger.correlation_ids': ['trace-project'],
      'ledger.position.last': opened.body.position,
    });
    // A trace of its own: a batch may hold the events of many requests.
    expect(parentOf(batch)).toBeUndefined();
  });

  it('marks a refused command with its code, not as a failure', async () => {
    const body = openBody();
    await api.request('POST', '/v1/tickets', body);
    const again = await api.request('POST', '/v1/tickets', body, {
      'x-correlation-id': 'trace-refused',
    });
    expect(again.status).toBe(409);

    const spans = await spansOf('trace-refused', 2);

    const command = named(spans, 'command OpenTicket');
    expect(command.attributes).toMatchObject({
      'ledger.outcome': 'refused',
      'ledger.refusal_code': 'TICKET_ALREADY_EXISTS',
    });
    expect(command.status.code).toBe(SpanStatusCode.UNSET);
    expect(spans.map((span) => span.name)).not.toContain('append');
  });

  it('continues the trace a caller sends in traceparent, and traces refused requests too', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await api.request('GET', '/v1/keys', undefined, {
      authorization: '',
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      'x-correlation-id': 'trace-refused-request',
    });

    const request = nth(await spansOf('trace-refused-request', 1), 0);

    expect(request.name).toBe('GET /v1/keys');
    expect(request.spanContext().traceId).toBe(traceId);
    expect(request.attributes['http.response.status_code']).toBe(401);
  });

  it('makes none in an app given no tracer and no OTLP endpoint', async () => {
    const untraced = await startTestApp();
    try {
      await untraced.request('POST', '/v1/tickets', openBody(), {
        'x-correlation-id': 'trace-none',
      });
      await new Promise((resolve) => setTimeout(resolve, 100));

      // The traced app may still be projecting the previous test's events: only this app's count.
      const ofThisApp = exporter.getFinishedSpans().filter((span) => {
        const ids = span.attributes['ledger.correlation_ids'];
        return (
          span.attributes['ledger.correlation_id'] === 'trace-none' ||
          (Array.isArray(ids) && (ids as unknown[]).includes('trace-none'))
        );
      });
      expect(ofThisApp).toEqual([]);
    } finally {
      await untraced.close();
    }
  });
});

describe('traces of an API process with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-otlp-'));
  /** The bodies the process sent to the collector's traces endpoint. */
  const received: string[] = [];
  const collector = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += String(chunk)));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') received.push(body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  let api: ApiProcess;

  beforeAll(async () => {
    ensureServerBuilt();
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    api = await ApiProcess.start(dataDir, {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      // The batch processor's delay, which the SDK reads itself: 5 s by default.
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
  }, 120_000);
  afterAll(async () => {
    await api?.kill();
    collector.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends the spans of a command over OTLP/HTTP, named for the service', async () => {
    const opened = await api.request('POST', '/v1/tickets', openBody(), {
      'x-correlation-id': 'otlp-open',
    });
    expect(opened.status).toBe(201);

    const deadline = Date.now() + 10_000;
    const names = new Set<string>();
    while (!(
      names.has('POST /v1/tickets') &&
      names.has('command OpenTicket') &&
      names.has('append')
    )) {
      if (Date.now() > deadline) throw new Error(`Spans received: ${[...names].join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const body of received.splice(0)) {
        const { resourceSpans } = JSON.parse(body);
        for (const { resource, scopeSpans } of resourceSpans) {
          const service = resource.attributes.find(
            (attribute: { key: string }) => attribute.key === 'service.name',
          )?.value.stringValue;
          // The projection worker, a process of the API's own, sends the projections' spans.
          expect(['escalation-ledger-api', 'escalation-ledger-projection-worker']).toContain(
            service,
          );
          if (service !== 'escalation-ledger-api') continue;
          for (const { spans } of scopeSpans) {
            for (const span of spans) {
              const correlation = span.attributes.find(
                (attribute: { key: string }) => attribute.key === 'ledger.correlation_id',
              );
              if (correlation?.value.stringValue === 'otlp-open') names.add(span.name);
            }
          }
        }
      }
    }
  }, 20_000);
});
