import type { ValidationError } from '@nestjs/common';
import { echoed } from '@ledger/domain';
import type { FieldError } from './api-error';

/** The path of a field, as the details name it; a name the client made up is echoed, not repeated. */
export function fieldPath(parent: string, name: string): string {
  return parent ? `${parent}.${echoed(name)}` : echoed(name);
}

/** A field the request's DTO does not declare. */
export function unknownFieldError(parent: string, name: string): FieldError {
  return { field: fieldPath(parent, name), message: `property ${echoed(name)} should not exist` };
}

/** class-validator's errors, nested ones included, as the details of a 400. */
export function fieldErrorsOf(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const constraints = error.constraints ?? {};
    if (constraints.whitelistValidation) return [unknownFieldError(parent, error.property)];
    const field = fieldPath(parent, error.property);
    const own = Object.values(constraints).map((message) => ({ field, message }));
    return [...own, ...fieldErrorsOf(error.children ?? [], field)];
  });
}
