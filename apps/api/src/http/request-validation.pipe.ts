import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { ApiError, type FieldError } from './api-error';
import { compileBodyCheck, type BodyCheck, type DtoClass } from './compiled-validation';
import { fieldErrorsOf } from './field-errors';
import { undeclaredFields } from './undeclared-fields';

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
    const undeclared =
      metadata.metatype && (metadata.type === 'body' || metadata.type === 'query')
        ? undeclaredFields(metadata.metatype, value)
        : [];
    if (undeclared.length === 0) return super.transform(value, metadata);
    throw ApiError.validation([
      ...undeclared,
      ...(await this.otherFieldErrors(value, metadata, undeclared)),
    ]);
  }

  /** What the full validation says beside the undeclared fields, so that one answer names every bad field. */
  private async otherFieldErrors(
    value: unknown,
    metadata: ArgumentMetadata,
    undeclared: FieldError[],
  ): Promise<FieldError[]> {
    try {
      await super.transform(value, metadata);
      return [];
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const named = new Set(undeclared.map((fieldError) => fieldError.field));
      return (error.details ?? []).filter((fieldError) => !named.has(fieldError.field));
    }
  }

  private bodyCheck(dto: DtoClass): BodyCheck | undefined {
    if (!this.bodyChecks.has(dto)) this.bodyChecks.set(dto, compileBodyCheck(dto));
    return this.bodyChecks.get(dto);
  }
}
