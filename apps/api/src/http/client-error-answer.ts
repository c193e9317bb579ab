import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { clientErrorOf } from './error-mapping';

/**
 * Answers what Node refuses before Fastify sees a request (a request not
 * received in time, an over-long head, bytes that are not HTTP) in the
 * contract's error shape, then closes the connection: Fastify's own answer
 * has another shape.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const apiError = clientErrorOf(error.code);
    const body = JSON.stringify(apiError.toBody());
    socket.write(
      `HTTP/1.1 ${apiError.status} ${STATUS_CODES[apiError.status]}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
