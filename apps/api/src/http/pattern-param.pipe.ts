import { Injectable, type PipeTransform, type Type } from '@nestjs/common';
import { ApiError } from './api-error';

/** A pipe holding a path parameter to `pattern`: a 400 naming `field` otherwise. */
export function PatternParamPipe(
  field: string,
  pattern: RegExp,
  message: string,
): Type<PipeTransform<string, string>> {
  @Injectable()
  class PatternParam implements PipeTransform<string, string> {
    transform(value: string): string {
      if (!pattern.test(value)) throw ApiError.validation([{ field, message }]);
      return value;
    }
  }
  return PatternParam;
}
