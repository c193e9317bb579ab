import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { ApiError } from './api-error';
import { compileBodyCheck, type BodyCheck, type DtoClass } from './compiled-validation';
import { fieldErrorsOf } from './field-errors';

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
      exceptionFactory: (errors) => ApiError.validation(fieldErrorsOf(errors)),
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
