import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiGatewayTimeoutResponse } from '@nestjs/swagger';
import { AFTER_TIMEOUT_MS } from '../read-models/read-your-writes';
import { ErrorBodyDto } from './error-body.dto';

export interface ReadModelAnswersOptions {
  /** What the 400 names, beside the query's fields. */
  invalid?: string;
  /** Whether the route waits for its read model to reach `?after=`: false for one read from the log. */
  after?: boolean;
}

/**
 * The error answers of a read whose query is validated: a field out of its
 * range, and, for a read model awaited up to `?after=`, the position it did
 * not reach in time.
 */
export function ReadModelAnswers(options: ReadModelAnswersOptions = {}) {
  const after = options.after ?? true;
  return applyDecorators(
    ApiBadRequestResponse({
      type: ErrorBodyDto,
      description: `VALIDATION_FAILED: ${options.invalid ?? 'a query parameter'}${after ? ', or after is not a position returned by a command' : ''}`,
    }),
    ...(after
      ? [
          ApiGatewayTimeoutResponse({
            type: ErrorBodyDto,
            description: `POSITION_NOT_REACHED: the read model did not reach ?after= within ${AFTER_TIMEOUT_MS / 1000} s; ask again`,
          }),
        ]
      : []),
  );
}
