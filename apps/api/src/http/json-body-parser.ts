import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './api-error';

/** No request of the contract nests deeper than 2; validation recurses and would overflow the stack. */
const MAX_BODY_DEPTH = 32;

/**
 * Fastify's default JSON parser answers through `done`; its declared type
 * also admits parsers that return a promise instead, which this one never does.
 */
type CallbackJsonParser = (
  request: FastifyRequest,
  body: string,
  done: (error: Error | null, value?: unknown) => void,
) => void;

/** Walks with its own stack, so a deep body cannot overflow the call stack here either. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * Bodies are JSON or nothing: other content types get Fastify's 415. Parse
 * failures are raised as our own error, because on their way through Nest
 * Fastify's errors lose the code that tells them apart.
 */
export function acceptJsonOnly(fastify: FastifyInstance): void {
  // Fastify's own parser, which refuses __proto__ and constructor.prototype keys.
  const parse = fastify.getDefaultJsonParser('error', 'error') as CallbackJsonParser;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    parse(request, body as string, (error, value) => {
      if (error) {
        return done(new ApiError(400, 'MALFORMED_JSON', 'The body is not valid JSON'), undefined);
      }
      if (nestsDeeperThan(value, MAX_BODY_DEPTH)) {
        const message = `body must not nest deeper than ${MAX_BODY_DEPTH} levels`;
        return done(ApiError.validation([{ field: 'body', message }]), undefined);
      }
      done(null, value);
    });
  });
}
