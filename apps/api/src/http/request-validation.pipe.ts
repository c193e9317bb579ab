import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ApiError, type FieldError } from './api-error';
import { compileBodyCheck, type BodyCheck, type DtoClass } from './compiled-validation';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * class-validator DTOs are the one statement of what a request may hold;
 * unknown fields are refused, so a misspelt optional field is not silently lost.
 */
export class RequestValidationPipe extends ValidationPipe {
  private readonly bodyChecks = new Map<DtoClass, BodyCheck | undefined>();

  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => ApiError.validation(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      if (value === undefined) value = {};
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw ApiError.validation([{ field: 'body', message: 'body must be a JSON object' }]);
      }
      // The common case, a valid body, skips the full validation's per-request machinery.
      if (this.bodyCheck(metadata.metatype)?.(value)) return value;
    }
    if (metadata.type === 'query' && metadata.metatype && value === undefined) value = {};
    return super.transform(value, metadata);
  }

  private bodyCheck(dto: DtoClass): BodyCheck | undefined {
    if (!this.bodyChecks.has(dto)) this.bodyChecks.set(dto, compileBodyCheck(dto));
    return this.bodyChecks.get(dto);
  }
}
