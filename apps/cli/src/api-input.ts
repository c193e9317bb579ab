import { ApiError } from '../../api/src/http/api-error';
import type { DtoClass } from '../../api/src/http/compiled-validation';
import { RequestValidationPipe } from '../../api/src/http/request-validation.pipe';
import { UsageError } from './cli-error';

const pipe = new RequestValidationPipe();

/**
 * Options checked as the API checks the request they stand for, by its own
 * DTO and pipe: the same rules and messages on the command line as over HTTP,
 * whatever rule the DTO gains. A refusal is a usage error naming every field.
 */
export async function checkedAsRequest<T extends object>(
  dto: DtoClass & (new () => T),
  part: 'body' | 'query',
  input: Record<string, unknown>,
): Promise<T> {
  const given = Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  );
  try {
    return (await pipe.transform(given, { type: part, metatype: dto, data: '' })) as T;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const problems = error.details?.map((detail) => detail.message) ?? [error.message];
    throw new UsageError(problems.join('; '));
  }
}
