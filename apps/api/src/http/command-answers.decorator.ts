import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiPayloadTooLargeResponse,
  ApiPreconditionFailedResponse,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body.dto';

export interface CommandAnswersOptions {
  /** The rule codes the command may break: its 409s beside CONCURRENT_MODIFICATION. */
  rules?: readonly string[];
  /** The codes of the 404 when the route names a thing by id. */
  notFound?: readonly string[];
  /**
   * What If-Match is the version of; on a route that creates its stream,
   * "0" asks that it does not exist yet. Absent: the route takes no If-Match.
   */
  ifMatch?: string;
}

/**
 * The headers and error answers of a route that takes `@Command()`: the
 * command context reads Idempotency-Key (and If-Match) on every such route,
 * and the command path answers with the same codes everywhere.
 */
export function CommandAnswers(options: CommandAnswersOptions = {}) {
  const conflicts = [...(options.rules ?? []), 'CONCURRENT_MODIFICATION'];
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'A retry with the same key returns the first answer',
    }),
    ApiHeader({ name: 'X-Correlation-Id', required: false }),
    ApiBadRequestResponse({
      type: ErrorBodyDto,
      description: 'VALIDATION_FAILED (field errors, or a malformed header), MALFORMED_JSON',
    }),
    ApiConflictResponse({
      type: ErrorBodyDto,
      description: `${conflicts.join(', ')} (CONCURRENT_MODIFICATION: other writers kept racing on the stream; send it again)`,
    }),
    ApiPayloadTooLargeResponse({
      type: ErrorBodyDto,
      description: 'PAYLOAD_TOO_LARGE: over 1 MiB',
    }),
    ApiUnsupportedMediaTypeResponse({
      type: ErrorBodyDto,
      description: 'UNSUPPORTED_MEDIA_TYPE: not JSON, or a Content-Encoding',
    }),
    ApiUnprocessableEntityResponse({
      type: ErrorBodyDto,
      description: 'IDEMPOTENCY_KEY_REUSED: the key was sent with another request',
    }),
    ...(options.ifMatch !== undefined
      ? [
          ApiHeader({
            name: 'If-Match',
            required: false,
            description: `Version ${options.ifMatch} must be at (412 if not)`,
          }),
          ApiPreconditionFailedResponse({
            type: ErrorBodyDto,
            description: `VERSION_MISMATCH: If-Match does not match ${options.ifMatch}`,
          }),
        ]
      : []),
    ...(options.notFound !== undefined
      ? [ApiNotFoundResponse({ type: ErrorBodyDto, description: options.notFound.join(', ') })]
      : []),
  );
}
