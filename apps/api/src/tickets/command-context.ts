import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '@ledger/domain';
import { ApiError } from '../http/api-error';

/** Who sent a command and under which conditions, from the request's headers. */
export interface CommandContext {
  actor: string;
  correlationId: string;
  /** The command's own id: the cause of the events it appends. */
  commandId: string;
  /** From If-Match: the version the stream must be at. */
  expectedVersion?: number;
  /** `route`: the method and route template the key was sent to, such as `POST /v1/tickets/:id/notes`. */
  idempotency?: { key: string; route: string; requestHash: string };
}

const HEADER_TEXT = /^[\x21-\x7e]{1,200}$/;

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
  const key = textHeader(request, 'idempotency-key');
  const path = request.url.split('?')[0];
  return {
    actor: textHeader(request, 'x-actor-id') ?? 'anonymous',
    correlationId: textHeader(request, 'x-correlation-id') ?? randomUUID(),
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
