import type { KpiGrouping } from '@ledger/domain';

/** A grouping GET /v1/kpis/escalations accepts, as the domain lists them (the page takes only types from the server). */
export type Grouping = KpiGrouping;
export type Bucket = 'day' | 'week';

/** A label for each grouping, in the order the page offers them: one the domain adds fails to compile here. */
const GROUPING_LABELS: Record<Grouping, string> = {
  category: 'Category',
  channel: 'Channel',
  priority: 'Priority',
  agent: 'Agent',
  day: 'Day',
  week: 'Week',
};

export const GROUPINGS = (Object.keys(GROUPING_LABELS) as Grouping[]).map((value) => ({
  value,
  label: GROUPING_LABELS[value],
}));

export function isGrouping(value: string): value is Grouping {
  return Object.hasOwn(GROUPING_LABELS, value);
}

/** The cohort of the KPIs: tickets opened in [from, to), ISO instants. */
export interface Period {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
/** Past this many days, the rate over time is drawn by week: a point a day would crowd it. */
const MOST_DAILY_POINTS = 92;

/** The last 30 days up to now. */
export function defaultPeriod(now: Date): Period {
  return {
    from: new Date(now.getTime() - DEFAULT_DAYS * DAY_MS).toISOString(),
    to: now.toISOString(),
  };
}

/** The UTC dates from `fromDate` through `toDate`, both whole days included. */
export function periodOfDates(fromDate: string, toDate: string): Period {
  const from = Date.parse(`${fromDate}T00:00:00.000Z`);
  const to = Date.parse(`${toDate}T00:00:00.000Z`) + DAY_MS;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The UTC date an input shows for the period's end: the day its last instant falls on. */
export function lastDateOf(period: Period): string {
  return new Date(Date.parse(period.to) - 1).toISOString().slice(0, 10);
}

/** Day or week buckets for the rate over time: the grouping's own when it is one. */
export function bucketOf(period: Period, grouping: Grouping): Bucket {
  if (grouping === 'day' || grouping === 'week') return grouping;
  const days = (Date.parse(period.to) - Date.parse(period.from)) / DAY_MS;
  return days > MOST_DAILY_POINTS ? 'week' : 'day';
}

/** The key of the bucket an instant falls in, as the API writes group keys. */
export function bucketKey(instant: number, bucket: Bucket): string {
  const day = Math.floor(instant / DAY_MS) * DAY_MS;
  if (bucket === 'day') return new Date(day).toISOString().slice(0, 10);
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

/** Every bucket key the period touches, in order, so days without tickets show as gaps. */
export function bucketKeys(period: Period, bucket: Bucket): string[] {
  const step = bucket === 'day' ? DAY_MS : 7 * DAY_MS;
  const last = Date.parse(period.to) - 1;
  const keys: string[] = [];
  for (
    let at = Date.parse(`${bucketKey(Date.parse(period.from), bucket)}T00:00:00.000Z`);
    at <= last;
    at += step
  ) {
    keys.push(new Date(at).toISOString().slice(0, 10));
  }
  return keys;
}

/** The instants of a day or week bucket, within the period: where its tickets were opened. */
export function bucketPeriod(key: string, bucket: Bucket, period: Period): Period {
  const start = Date.parse(`${key}T00:00:00.000Z`);
  const end = start + (bucket === 'day' ? DAY_MS : 7 * DAY_MS);
  return {
    from: new Date(Math.max(start, Date.parse(period.from))).toISOString(),
    to: new Date(Math.min(end, Date.parse(period.to))).toISOString(),
  };
}
