import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { canonicalJson, type Role } from '@ledger/domain';
import { ApiError } from '../http/api-error';

/** Who sent a command and under which conditions, from the request's headers. */
export interface CommandContext {
  /** The authenticated principal, or `automation` for the SLA clock's and the assigner's decisions. */
  actor: string;
  actorRoles: readonly Role[];
  /**
   * Whose credential sent it (`key:<keyId>`, `token:<subject>`): what an
   * Idempotency-Key is scoped to, since two credentials may act as one agent.
   */
  principalId?: string;
  /** Which part of the automation decided, for its decisions. */
  automation?: 'sla-clock' | 'assigner' | 'first-start';
  correlationId: string;
  /** The command's own id: the cause of the events it appends. */
  commandId: string;
  /** From If-Match: the version the stream must be at. */
  expectedVersion?: number;
  /** `route`: the method and route template the key was sent to, such as `POST /v1/tickets/:id/notes`. */
  idempotency?: { key: string; route: string; requestHash: string };
}

const HEADER_TEXT = /^[\x21-\x7e]{1,200}$/;

/**
 * The id that ties a request's log line, its trace and the events it appends:
 * its X-Correlation-Id when that is one, else a new one. Fastify's request id.
 */
export function correlationIdOf(headers: IncomingHttpHeaders): string {
  const sent = headers['x-correlation-id'];
  const value = Array.isArray(sent) ? sent[0] : sent;
  return value !== undefined && HEADER_TEXT.test(value) ? value : randomUUID();
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(value);
  if (!match) {
    throw ApiError.validation([
      { field: 'If-Match', message: 'If-Match must be a version, such as "6"' },
    ]);
  }
  return Number(match[1]);
}

function textHeader(request: FastifyRequest, name: string): string | undefined {
  const value = header(request, name);
  if (value === undefined) return undefined;
  if (!HEADER_TEXT.test(value)) {
    throw ApiError.validation([
      { field: name, message: `${name} must be 1 to 200 visible ASCII characters` },
    ]);
  }
  return value;
}

export function commandContextOf(request: FastifyRequest): CommandContext {
  const principal = request.principal;
  // Access control runs before every route that sends commands; without a principal the route is misdeclared.
  if (!principal) throw new Error(`${request.routeOptions.url} sends commands but is public`);
  const key = textHeader(request, 'idempotency-key');
  const path = request.url.split('?')[0];
  return {
    actor: principal.actor,
    actorRoles: principal.roles,
    principalId: principal.id,
    // Validated again: a malformed X-Correlation-Id is refused, not replaced.
    correlationId: textHeader(request, 'x-correlation-id') ?? request.id,
    commandId: randomUUID(),
    expectedVersion: parseIfMatch(header(request, 'if-match')),
    ...(key !== undefined && {
      idempotency: {
        key,
        route: `${request.method} ${request.routeOptions.url}`,
        requestHash: createHash('sha256')
          .update(`${request.method} ${path} ${canonicalJson(request.body ?? {})}`)
          .digest('hex'),
      },
    }),
  };
}

export const Command = createParamDecorator((_: unknown, context: ExecutionContext) =>
  commandContextOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
