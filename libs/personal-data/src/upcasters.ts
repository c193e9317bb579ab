import {
  PERSONAL_FIELDS,
  POST_MORTEM_PERSONAL_FIELDS,
  schemaVersionOf,
  type FieldPath,
} from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import { expandPath, valueAt, withValueAt } from './field-paths';
import type { ClearField } from './sealing';

/** Turns the data of one schema version into the next one's. */
type Upcaster = (data: unknown) => unknown;

/** Version 1 kept personal fields as plain text; from version 2 they are sealed. */
function markClear(paths: readonly FieldPath[]): Upcaster {
  return (data) =>
    paths
      .flatMap((path) => expandPath(data, path))
      .reduce((upcast, path) => {
        const text = valueAt(upcast, path);
        if (typeof text !== 'string') return upcast;
        const clear: ClearField = { enc: 'clear', text };
        return withValueAt(upcast, path, clear);
      }, data);
}

/** Per event type, the upcaster from each old version to the next. */
const UPCASTERS: Record<string, Record<number, Upcaster>> = Object.fromEntries(
  [...Object.entries(PERSONAL_FIELDS), ...Object.entries(POST_MORTEM_PERSONAL_FIELDS)].map(
    ([type, paths]) => [type, { 1: markClear(paths) }],
  ),
);

/**
 * The event in the shape of its type's current schema version: each stored
 * version is upcast step by step. The metadata keeps the version the event
 * was written with; the log itself is never rewritten.
 */
export function upcast(event: RecordedEvent): RecordedEvent {
  const steps = UPCASTERS[event.type];
  if (!steps) return event;
  const current = schemaVersionOf(event.type);
  let data = event.data;
  for (let version = event.metadata.schemaVersion ?? 1; version < current; version++) {
    const step = steps[version];
    if (step) data = step(data);
  }
  return data === event.data ? event : { ...event, data };
}
