import 'reflect-metadata';
import { getMetadataStorage, ValidationTypes } from 'class-validator';

type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

/** A class whose properties carry class-validator decorators. */
export type DtoClass = new (...args: never[]) => object;

/** Whether a request body satisfies every rule of its DTO. */
export type BodyCheck = (value: unknown) => boolean;

interface PropertyCheck {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  rules: { validate: (value: unknown, args: object) => unknown; metadata: ValidationMetadata }[];
  nested?: BodyCheck;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Compiles a DTO's class-validator rules once into a plain function that runs
 * the very same validator functions, without class-transformer, error objects
 * or metadata look-ups per request. It only says yes or no: a body it refuses
 * goes through the full validation, which writes the field errors. So it may
 * refuse more than class-validator (a key it does not know), never accept
 * more. Undefined for a DTO using anything it does not handle: that DTO is
 * always validated the full way.
 *
 * Body DTOs must not rely on class-transformer's @Transform: a body accepted
 * here is handed on as sent.
 */
export function compileBodyCheck(dto: DtoClass, seen = new Set<DtoClass>()): BodyCheck | undefined {
  if (seen.has(dto)) return undefined;
  seen.add(dto);
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, '', true, false);
  if (metadatas.length === 0) return undefined;
  const properties = new Map<string, PropertyCheck>();
  for (const metadata of metadatas) {
    if (metadata.each || metadata.groups?.length || metadata.always) return undefined;
    const name = metadata.propertyName;
    let property = properties.get(name);
    if (!property) {
      property = { name, conditions: [], rules: [] };
      properties.set(name, property);
    }
    switch (metadata.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        // @ValidateIf keeps its condition as the only constraint.
        property.conditions.push(metadata.constraints[0] as PropertyCheck['conditions'][number]);
        break;
      case ValidationTypes.IS_DEFINED:
      case ValidationTypes.CUSTOM_VALIDATION:
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          if (constraint.async) return undefined;
          const instance = constraint.instance as PropertyCheck['rules'][number];
          property.rules.push({ validate: instance.validate.bind(instance), metadata });
        }
        break;
      case ValidationTypes.NESTED_VALIDATION: {
        const type: unknown = Reflect.getMetadata('design:type', dto.prototype as object, name);
        const nested =
          typeof type === 'function' ? compileBodyCheck(type as DtoClass, seen) : undefined;
        if (!nested) return undefined;
        property.nested = nested;
        break;
      }
      case ValidationTypes.WHITELIST:
        break;
      default:
        return undefined;
    }
  }
  const checks = [...properties.values()];
  const known = new Set(properties.keys());
  return (value) => {
    if (!isPlainObject(value)) return false;
    for (const key of Object.keys(value)) if (!known.has(key)) return false;
    for (const property of checks) {
      const propertyValue = value[property.name];
      if (!property.conditions.every((condition) => condition(value, propertyValue))) continue;
      for (const { validate, metadata } of property.rules) {
        const args = {
          targetName: dto.name,
          property: property.name,
          object: value,
          value: propertyValue,
          constraints: metadata.constraints,
        };
        if (validate(propertyValue, args) !== true) return false;
      }
      if (property.nested && !property.nested(propertyValue)) return false;
    }
    return true;
  };
}
