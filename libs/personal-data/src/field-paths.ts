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

/**
 * `data` with the value at `path` replaced, copying only the objects on the
 * way: the caller's event (the command path keeps its data) is not changed.
 */
export function withValueAt(data: unknown, path: FieldPath, value: unknown): Data {
  const [key, ...rest] = path;
  const object = data as Data;
  return { ...object, [key]: rest.length === 0 ? value : withValueAt(object[key], rest, value) };
}
