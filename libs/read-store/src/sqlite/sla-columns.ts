import type { BusinessCalendar, SlaTargetClock, TicketSla } from '@ledger/domain';
import type { ColumnDefinition } from './read-model-tables';
import type { SqlValue } from './sql-query';

const CLOCKS = [
  ['fr', 'firstResponse'],
  ['res', 'resolution'],
] as const;

const INSTANTS = ['runningSince', 'warnAt', 'dueAt', 'metAt', 'warnedAt', 'breachedAt'] as const;

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * A ticket's SLA clocks as small columns, instants as epoch milliseconds:
 * a sixth of their JSON, which matters because the KPI sums scan every row
 * of the facts table and a wider row is more pages to read.
 */
export const SLA_COLUMNS: readonly ColumnDefinition[] = [
  { name: 'sla_policy_version', type: 'INTEGER' },
  { name: 'sla_warn_share', type: 'REAL' },
  { name: 'sla_calendar', type: 'TEXT' },
  ...CLOCKS.flatMap(([prefix]) => [
    { name: `sla_${prefix}_target_ms`, type: 'INTEGER' as const },
    { name: `sla_${prefix}_used_ms`, type: 'INTEGER' as const },
    ...INSTANTS.map((instant) => ({
      name: `sla_${prefix}_${snake(instant)}`,
      type: 'INTEGER' as const,
    })),
  ]),
];

const epoch = (instant: string | null) => (instant === null ? null : Date.parse(instant));
const iso = (value: SqlValue) => (value === null ? null : new Date(value).toISOString());

export function encodeSla(sla: TicketSla | null): SqlValue[] {
  if (sla === null) return SLA_COLUMNS.map(() => null);
  const values: SqlValue[] = [
    sla.policyVersion,
    sla.warnAt,
    sla.calendar === undefined ? null : JSON.stringify(sla.calendar),
  ];
  for (const [, key] of CLOCKS) {
    const clock = sla[key];
    values.push(clock.targetMs, clock.usedMs);
    for (const instant of INSTANTS) values.push(epoch(clock[instant]));
  }
  return values;
}

/** Reads `SLA_COLUMNS.length` values of `row` from `at`. */
export function decodeSla(row: SqlValue[], at: number): TicketSla | null {
  const column = (index: number): SqlValue => {
    const value = row[index];
    if (value === undefined) throw new RangeError(`The row ends before SLA column ${index}`);
    return value;
  };
  if (column(at) === null) return null;
  let next = at + 3;
  const clock = (): SlaTargetClock => {
    const [targetMs, usedMs] = [column(next++) as number, column(next++) as number];
    const instants = {} as Record<(typeof INSTANTS)[number], string | null>;
    for (const instant of INSTANTS) instants[instant] = iso(column(next++));
    return {
      targetMs,
      usedMs,
      ...instants,
      warnAt: instants.warnAt!,
      dueAt: instants.dueAt!,
    };
  };
  const firstResponse = clock();
  const resolution = clock();
  const calendar = column(at + 2) as string | null;
  return {
    policyVersion: column(at) as number,
    warnAt: column(at + 1) as number,
    ...(calendar !== null && { calendar: JSON.parse(calendar) as BusinessCalendar }),
    firstResponse,
    resolution,
  };
}
