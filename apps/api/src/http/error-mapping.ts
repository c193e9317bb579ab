import { HttpException, Logger } from '@nestjs/common';
import { DomainError, echoed, InvalidInputError, NotFoundError } from '@ledger/domain';
import { UnreadablePersonalDataError } from '@ledger/personal-data';
import {
  ConcurrentModificationError,
  IdempotencyKeyReusedError,
  VersionMismatchError,
} from '../commands/command-errors';
import { ApiError } from './api-error';

/** Fastify's own request errors (body parsing, limits, content type), by code. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send the body as application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'The Content-Length does not match the body',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The body is over the 1 MiB limit',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_JSON',
    message: 'The body is empty but declared as JSON',
  },
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'The path is not a valid URL',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_JSON',
    message: 'The body is not valid JSON',
  },
};

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'HEADERS_TOO_LARGE',
};

/** What Node refuses on a connection before any request reaches Fastify, by Node's code. */
const CLIENT_ERRORS: Record<string, { status: number; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time' },
  HPE_HEADER_OVERFLOW: { status: 431, message: 'The request head is over 16 KiB' },
};

export function clientErrorOf(nodeCode: string | undefined): ApiError {
  const { status, message } = CLIENT_ERRORS[nodeCode ?? ''] ?? {
    status: 400,
    message: 'The request is not valid HTTP',
  };
  return new ApiError(status, HTTP_CODES[status] ?? 'HTTP_ERROR', message);
}

const logger = new Logger('Errors');

function isFastifyError(
  error: unknown,
): error is { code: string; statusCode?: number; message: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/** Every error, whatever threw it, as the contract's error answer. Only a fault of ours is a 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof NotFoundError) return new ApiError(404, error.code, error.message);
  if (error instanceof InvalidInputError) return ApiError.validation([...error.problems]);
  if (error instanceof DomainError) return new ApiError(409, error.code, error.message);
  if (error instanceof VersionMismatchError) return new ApiError(412, error.code, error.message);
  if (error instanceof ConcurrentModificationError) {
    return new ApiError(409, error.code, error.message);
  }
  if (error instanceof UnreadablePersonalDataError) {
    // Not a fault of the request, nor one to hide as a 500: the stored data was altered.
    logger.error(error.message);
    return new ApiError(409, error.code, error.message);
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return new ApiError(422, error.code, error.message);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // The framework's messages may repeat the request's path: bounded like any echo.
    return new ApiError(status, HTTP_CODES[status] ?? 'HTTP_ERROR', echoed(error.message));
  }
  if (isFastifyError(error)) {
    const known = FASTIFY_ERRORS[error.code];
    if (known) return new ApiError(known.status, known.code, known.message);
    if (error instanceof SyntaxError || error.code.startsWith('FST_ERR_CTP')) {
      return new ApiError(400, 'MALFORMED_JSON', 'The body is not valid JSON');
    }
    const status = error.statusCode;
    if (status && status >= 400 && status < 500) {
      return new ApiError(status, HTTP_CODES[status] ?? 'BAD_REQUEST', echoed(error.message));
    }
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return new ApiError(500, 'INTERNAL_ERROR', 'Something went wrong on our side');
}
