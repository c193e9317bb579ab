import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';

/**
 * Bodies are read as sent, never decompressed: a gzip body would otherwise
 * be parsed as if it were JSON and refused as malformed, which tells the
 * client the wrong thing. Refused before the body is read.
 */
export function refuseEncodedBodies(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      throw new ApiError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the body without a Content-Encoding (or as identity): it is read as sent',
      );
    }
    return payload;
  });
}
