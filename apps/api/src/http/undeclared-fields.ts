import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import type { FieldError } from './api-error';
import type { DtoClass } from './compiled-validation';
import { fieldPath, unknownFieldError } from './field-errors';

const declaredByDto = new Map<unknown, ReadonlySet<string>>();

/** The fields a class declares through its validation rules; none for a class that is no DTO. */
function declaredFields(type: unknown): ReadonlySet<string> {
  let declared = declaredByDto.get(type);
  if (!declared) {
    const metadatas = getMetadataStorage().getTargetValidationMetadatas(
      type as DtoClass,
      '',
      true,
      false,
    );
    declared = new Set(metadatas.map((metadata) => metadata.propertyName));
    declaredByDto.set(type, declared);
  }
  return declared;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * A copy without the keys named like members of every object: class-transformer
 * takes a `constructor` key for the object's class, and throws.
 */
function withoutMemberNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMemberNames);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([name]) => !(name in Object.prototype) && name !== 'prototype')
      .map(([name, item]) => [name, withoutMemberNames(item)]),
  );
}

/** Walks what was sent beside what class-transformer made of it, which knows the nested DTOs. */
function undeclaredIn(sent: unknown, instance: unknown, path: string): FieldError[] {
  if (Array.isArray(sent)) {
    if (!Array.isArray(instance)) return [];
    return sent.flatMap((item, index) =>
      undeclaredIn(item, instance[index], fieldPath(path, String(index))),
    );
  }
  if (!isObject(sent) || !isObject(instance)) return [];
  const declared = declaredFields(instance.constructor);
  if (declared.size === 0) return [];
  return Object.keys(sent).flatMap((name) =>
    declared.has(name)
      ? undeclaredIn(sent[name], instance[name], fieldPath(path, name))
      : [unknownFieldError(path, name)],
  );
}

/**
 * The fields of a request its DTO does not declare, nested ones included.
 * class-validator's whitelist misses those named like members of every
 * object (`constructor`, `toString`, `prototype`, …): class-transformer and
 * Nest drop them before it looks, so they would be lost without a word.
 */
export function undeclaredFields(dto: DtoClass, sent: unknown): FieldError[] {
  const declared = declaredFields(dto);
  if (declared.size === 0) return [];
  // The common case, every query: flat, and only declared fields. No conversion needed to see it.
  if (
    isObject(sent) &&
    Object.entries(sent).every(([name, item]) => declared.has(name) && !isObject(item))
  ) {
    return [];
  }
  return undeclaredIn(
    sent,
    plainToInstance(dto as ClassConstructor<object>, withoutMemberNames(sent)),
    '',
  );
}
