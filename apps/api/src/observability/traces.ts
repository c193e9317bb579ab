import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import { CORRELATION_ID_ATTRIBUTE, spanFailed } from '@ledger/runtime';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { refusalCode, type CommandObserver } from '../commands/command-observer';
import { UNMATCHED_ROUTE } from './metrics';

/**
 * A span for each command, the child of its request's, and one for each
 * append it makes. The automation's commands start traces of their own: they
 * are decided on a timer or after someone else's append, not in a request.
 */
export function commandSpans(tracer: Tracer): CommandObserver {
  return {
    command: ({ type, streamId, context: command }, work) =>
      tracer.startActiveSpan(
        `command ${type}`,
        {
          root: command.automation !== undefined,
          attributes: {
            'ledger.command': type,
            'ledger.stream_id': streamId,
            'ledger.actor': command.actor,
            [CORRELATION_ID_ATTRIBUTE]: command.correlationId,
            ...(command.automation !== undefined && { 'ledger.automation': command.automation }),
          },
        },
        async (span) => {
          try {
            const outcome = await work();
            span.setAttributes({ 'ledger.outcome': 'accepted', 'ledger.version': outcome.version });
            return outcome;
          } catch (error) {
            const code = refusalCode(error);
            if (code === undefined) spanFailed(span, error);
            else span.setAttributes({ 'ledger.outcome': 'refused', 'ledger.refusal_code': code });
            throw error;
          } finally {
            span.end();
          }
        },
      ),
    append: ({ streamId, events, context: command }, work) =>
      tracer.startActiveSpan(
        'append',
        {
          attributes: {
            'ledger.stream_id': streamId,
            'ledger.events': events.length,
            'ledger.event_types': events.map((event) => event.type),
            [CORRELATION_ID_ATTRIBUTE]: command.correlationId,
          },
        },
        async (span) => {
          try {
            const appended = await work();
            span.setAttributes({
              'ledger.version': appended.version,
              'ledger.position': appended.position,
            });
            return appended;
          } catch (error) {
            spanFailed(span, error);
            throw error;
          } finally {
            span.end();
          }
        },
      ),
  };
}

/**
 * A server span for each request, named by its route template, continuing
 * the trace of a `traceparent` header when one is sent. Started when the
 * request's head arrives, so refused requests have one too; made the active
 * span just before the handler runs, after the body is read, since the
 * stream events that read it do not carry the hooks' context.
 */
export function traceRequests(fastify: FastifyInstance, tracer: Tracer): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    spans.set(
      request,
      tracer.startSpan(
        `${request.method} ${route ?? UNMATCHED_ROUTE}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: request.method,
            ...(route !== undefined && { [ATTR_HTTP_ROUTE]: route }),
            [CORRELATION_ID_ATTRIBUTE]: request.id,
          },
        },
        propagation.extract(ROOT_CONTEXT, request.headers),
      ),
    );
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const span = spans.get(request);
    if (!span) return done();
    context.with(trace.setSpan(context.active(), span), done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
