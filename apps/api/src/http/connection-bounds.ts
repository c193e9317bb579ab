import type { AppConfig } from '@ledger/runtime';
import { answerClientError } from './client-error-answer';

/**
 * Fastify options that bound how long a client may take to send a request,
 * head and body: past it the answer is a 408 and the socket is closed, so
 * slow senders (or silent ones) cannot hold connections open.
 */
export function requestTimeoutOptions({ requestTimeoutMs }: Pick<AppConfig, 'requestTimeoutMs'>) {
  return {
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: requestTimeoutMs,
      // Node looks for late requests at this interval only (30 s by default), so
      // a request could otherwise outlive its timeout by as much again.
      connectionsCheckingInterval: Math.min(1000, Math.ceil(requestTimeoutMs / 4)),
    },
    clientErrorHandler: answerClientError,
  };
}
