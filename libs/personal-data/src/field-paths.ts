import type { FieldPath } from '@ledger/domain';

type Data = Record<string, unknown>;

export function fieldName(path: FieldPath): string {
  return path.join('.');
}

export function valueAt(data: unknown, path: FieldPath): unknown {
  let value: unknown = data;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Data)[key];
  }
  return value;
}

/** In a path, every element of the array it leads to. */
export const EVERY_ELEMENT = '*';

/**
 * The paths `path` stands for in `data`: itself, or with each `*` replaced
 * by the index of every element the array there holds (none when absent).
 */
export function expandPath(data: unknown, path: FieldPath): FieldPath[] {
  const star = path.indexOf(EVERY_ELEMENT);
  if (star < 0) return [path];
  const array = valueAt(data, path.slice(0, star));
  if (!Array.isArray(array)) return [];
  return array.flatMap((_element, index) =>
    expandPath(data, [...path.slice(0, star), String(index), ...path.slice(star + 1)]),
  );
}

/**
 * `data` with the value at `path` replaced, copying only the objects and
 * arrays on the way: the caller's event (the command path keeps its data) is
 * not changed.
 */
export function withValueAt(data: unknown, path: FieldPath, value: unknown): Data {
  const [key, ...rest] = path;
  if (key === undefined) throw new RangeError('An empty field path names no field');
  const replaced = (current: unknown) =>
    rest.length === 0 ? value : withValueAt(current, rest, value);
  if (Array.isArray(data)) {
    const copy = [...(data as unknown[])];
    copy[Number(key)] = replaced(copy[Number(key)]);
    return copy as unknown as Data;
  }
  const object = data as Data;
  return { ...object, [key]: replaced(object[key]) };
}
