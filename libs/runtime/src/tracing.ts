import { SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { BatchObserver } from '@ledger/projections';
import type { AppConfig } from './config/app-config';

/** The instrumentation's name on every span. */
export const TRACER_NAME = 'escalation-ledger';
/** The attribute that ties a span to the log lines and events of the same request. */
export const CORRELATION_ID_ATTRIBUTE = 'ledger.correlation_id';
/** Correlation ids a batch span lists at most; `ledger.correlation_ids.count` says how many it had. */
const MAX_BATCH_CORRELATION_IDS = 32;

/** Marks the span failed, with the error: for faults, not for a command a rule refused. */
export function spanFailed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: (error as Error)?.message ?? String(error),
  });
}

/**
 * Traces to OTEL_EXPORTER_OTLP_ENDPOINT (OTLP over HTTP; the exporter reads
 * the other OTEL_EXPORTER_OTLP_* variables itself), or nothing when it is
 * unset. The provider is registered, which gives the process the context
 * manager that lets a span opened in a request be the parent of the spans
 * its command opens further down. Shut it down to send what is left.
 */
export function startTracing(
  config: Pick<AppConfig, 'operations'>,
  serviceName: string,
): NodeTracerProvider | undefined {
  if (config.operations.otlpEndpoint === undefined) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME?.trim() || serviceName,
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return provider;
}

/**
 * A span for each batch a projection runner applies, listing the correlation
 * ids of its events. Each is a trace of its own: a runner is woken by whichever
 * append came first, and a batch holds the events of many requests.
 */
export function batchSpans(tracer: Tracer): BatchObserver {
  return {
    batch: ({ readModel, generation, events }, work) =>
      tracer.startActiveSpan(`project ${readModel}`, { root: true }, async (span) => {
        const correlationIds = [...new Set(events.map((event) => event.metadata.correlationId))];
        span.setAttributes({
          'ledger.read_model': readModel,
          'ledger.generation': generation,
          'ledger.events': events.length,
          'ledger.position.first': events[0]?.position,
          'ledger.position.last': events.at(-1)?.position,
          [`${CORRELATION_ID_ATTRIBUTE}s`]: correlationIds.slice(0, MAX_BATCH_CORRELATION_IDS),
          [`${CORRELATION_ID_ATTRIBUTE}s.count`]: correlationIds.length,
        });
        // One event's batch, the usual case while following the log, carries its id as a request's span does.
        if (correlationIds.length === 1)
          span.setAttribute(CORRELATION_ID_ATTRIBUTE, correlationIds[0]!);
        try {
          await work();
        } catch (error) {
          spanFailed(span, error);
          throw error;
        } finally {
          span.end();
        }
      }),
  };
}
