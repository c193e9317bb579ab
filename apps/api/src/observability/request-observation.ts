import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';

/**
 * Each answered request in the metrics' histogram and in one log line: its
 * correlation id, who sent it (the principal the access hook found, or null),
 * its route template (never the path, which holds ids), status and duration.
 */
export function observeRequests(
  fastify: FastifyInstance,
  metrics: Metrics,
  logger: Logger | undefined,
): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    const { statusCode: status, elapsedTime } = reply;
    metrics.request(route, request.method, status, elapsedTime / 1000);
    logger?.[status >= 500 ? 'error' : 'info'](
      {
        correlationId: request.id,
        principal: request.principal?.actor ?? null,
        method: request.method,
        route: route ?? null,
        status,
        durationMs: Math.round(elapsedTime * 1000) / 1000,
      },
      'request',
    );
    done();
  });
}
