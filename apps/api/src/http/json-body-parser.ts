import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';

/**
 * Bodies are JSON or nothing: other content types get Fastify's 415. Parse
 * failures are raised as our own error, because on their way through Nest
 * Fastify's errors lose the code that tells them apart.
 */
export function acceptJsonOnly(fastify: FastifyInstance): void {
  // Fastify's own parser, which refuses __proto__ and constructor.prototype keys.
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    parse(request, body as string, (error, value) => {
      if (error) done(new ApiError(400, 'MALFORMED_JSON', 'The body is not valid JSON'), undefined);
      else done(null, value);
    });
  });
}
