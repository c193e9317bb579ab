import { TIERS, type EscalationMetrics, type KpiAnswer } from './answers';
import { chartFigure } from './chart-figure';
import { barChart, paretoChart, rateChart, TARGET_BAND } from './charts';
import { byId, figure, fill, h } from './dom';
import type { TicketFilters } from './drill-down';
import { formatCount, formatMinutes, formatPercent, formatScore, NONE } from './format';
import { paretoRows } from './pareto';
import { bucketKeys, bucketPeriod, type Bucket, type Grouping, type Period } from './period';
import { simpleTable, sortableTable, type Column, type Sort } from './sortable-table';

/** Opens the list of the tickets a number counts. */
export type Drill = (title: string, filters: TicketFilters) => void;

type Group = EscalationMetrics & { key: string };

/** A term and its figure, for a `<dl>` of figures. */
function term(label: string, value: number | null, text: string, id?: string): HTMLElement {
  return h('div', {}, h('dt', {}, label), h('dd', {}, figure('span', value, text, { id })));
}

/** The period's filters for GET /v1/tickets. */
function opened(period: Period): TicketFilters {
  return { openedFrom: period.from, openedTo: period.to };
}

export function renderHeadline(totals: EscalationMetrics, period: Period, drill: Drill): void {
  const rate = byId('headline-rate');
  rate.textContent = formatPercent(totals.escalationRate);
  rate.dataset.value = String(totals.escalationRate);
  const inBand =
    totals.escalationRate >= TARGET_BAND.low && totals.escalationRate <= TARGET_BAND.high;
  const band = byId('headline-band');
  band.className = totals.ticketsOpened === 0 ? '' : inBand ? 'in-band' : 'out-of-band';
  band.textContent =
    totals.ticketsOpened === 0
      ? 'No ticket was opened in this period.'
      : `${inBand ? 'Within' : totals.escalationRate < TARGET_BAND.low ? 'Below' : 'Above'} the ${TARGET_BAND.low}–${TARGET_BAND.high}\u00a0% target band.`;
  const count = (label: string, value: number, id: string, filters: TicketFilters) => {
    const button = h(
      'button',
      { type: 'button', class: 'link', 'aria-label': `${label}: ${formatCount(value)}, show them` },
      formatCount(value),
    );
    button.addEventListener('click', () => drill(label, filters));
    return h(
      'div',
      {},
      h('dt', {}, label),
      h('dd', {}, h('span', { id, 'data-value': String(value) }, button)),
    );
  };
  fill(
    byId('headline-figures'),
    count('Tickets opened', totals.ticketsOpened, 'kpi-tickets', opened(period)),
    count('Tickets escalated', totals.ticketsEscalated, 'kpi-escalated', {
      ...opened(period),
      escalated: true,
    }),
    term(
      'Re-escalation rate',
      totals.reEscalationRate,
      formatPercent(totals.reEscalationRate),
      'kpi-re-escalation',
    ),
    term(
      'First-contact resolution',
      totals.firstContactResolutionRate,
      formatPercent(totals.firstContactResolutionRate),
      'kpi-fcr',
    ),
    term(
      'Unnecessary escalations',
      totals.unnecessaryEscalationRate,
      formatPercent(totals.unnecessaryEscalationRate),
      'kpi-unnecessary',
    ),
    term(
      'Escalation to resolution, median',
      totals.escalationToResolution.p50,
      formatMinutes(totals.escalationToResolution.p50),
      'kpi-p50',
    ),
    term(
      'Escalation to resolution, 90th percentile',
      totals.escalationToResolution.p90,
      formatMinutes(totals.escalationToResolution.p90),
      'kpi-p90',
    ),
    term(
      'CSAT, escalated tickets',
      totals.csat.escalated.mean,
      formatScore(totals.csat.escalated.mean),
      'kpi-csat-escalated',
    ),
    term(
      'CSAT, other tickets',
      totals.csat.notEscalated.mean,
      formatScore(totals.csat.notEscalated.mean),
      'kpi-csat-other',
    ),
  );
}

export function renderOverTime(answer: KpiAnswer, period: Period, bucket: Bucket): void {
  const byKey = new Map(answer.groups.map((group) => [group.key, group]));
  const keys = bucketKeys(period, bucket);
  const rates = keys.map((key) => byKey.get(key)?.escalationRate ?? null);
  const measured = rates.filter((rate): rate is number => rate !== null);
  const unit = bucket === 'day' ? 'day' : 'week (from Monday)';
  const last = measured.at(-1);
  const summary =
    last === undefined
      ? `No ticket was opened in the period: there is no escalation rate to draw.`
      : `Escalation rate by ${unit}, ${measured.length} points, from ${formatPercent(Math.min(...measured))} to ${formatPercent(Math.max(...measured))}; the last is ${formatPercent(last)}. The ${TARGET_BAND.low}–${TARGET_BAND.high}\u00a0% target band is shaded.`;
  const table = simpleTable(
    `Escalation rate by ${unit}`,
    [bucket === 'day' ? 'Day' : 'Week of', 'Tickets opened', 'Escalated', 'Escalation rate'],
    keys.map((key) => {
      const group = byKey.get(key);
      return group
        ? [
            key,
            formatCount(group.ticketsOpened),
            formatCount(group.ticketsEscalated),
            formatPercent(group.escalationRate),
          ]
        : [key, '0', '0', NONE];
    }),
  );
  chartFigure(
    byId('over-time'),
    `Share of the tickets opened each ${bucket} that were escalated; the shaded band is the ${TARGET_BAND.low}–${TARGET_BAND.high}\u00a0% target.`,
    summary,
    table,
    (container) =>
      rateChart(
        container,
        keys.map((key) => Date.parse(`${key}T00:00:00.000Z`) / 1000),
        rates,
      ),
  );
}

/** The tickets a group's row counts, when the group is one GET /v1/tickets can filter on. */
function groupFilters(grouping: Grouping, key: string, period: Period): TicketFilters | undefined {
  switch (grouping) {
    case 'category':
    case 'channel':
    case 'priority':
      return { ...opened(period), [grouping]: key };
    case 'day':
    case 'week': {
      const bucket = bucketPeriod(key, grouping, period);
      return { openedFrom: bucket.from, openedTo: bucket.to };
    }
    case 'agent':
      // The KPI credits the agent holding the ticket at its first escalation;
      // the search knows the one holding it now: not the same tickets.
      return undefined;
  }
}

export function renderGroups(
  answer: KpiAnswer,
  grouping: Grouping,
  period: Period,
  sort: Sort,
  onSort: (sort: Sort) => void,
  drill: Drill,
): void {
  const filtersOf = (group: Group) =>
    group.key === '' ? opened(period) : groupFilters(grouping, group.key, period);
  const drillTo = (group: Group, label: string, extra: TicketFilters) => {
    const filters = filtersOf(group);
    return filters
      ? () => drill(`${label}: ${group.key || 'all tickets'}`, { ...filters, ...extra })
      : undefined;
  };
  const metric = <Value extends number | null>(
    id: string,
    label: string,
    pick: (group: Group) => Value,
    format: (value: Value) => string,
  ): Column<Group> => ({ id, label, value: pick, text: (group) => format(pick(group)) });
  const percent = (id: string, label: string, pick: (group: Group) => number) =>
    metric(id, label, pick, formatPercent);
  const columns: Column<Group>[] = [
    {
      id: 'tickets',
      label: 'Tickets',
      value: (group) => group.ticketsOpened,
      text: (group) => formatCount(group.ticketsOpened),
      open: (group) => drillTo(group, 'Tickets opened', {}),
    },
    {
      id: 'escalated',
      label: 'Escalated',
      value: (group) => group.ticketsEscalated,
      text: (group) => formatCount(group.ticketsEscalated),
      open: (group) => drillTo(group, 'Tickets escalated', { escalated: true }),
    },
    percent('escalationRate', 'Escalation rate', (group) => group.escalationRate),
    percent('reEscalationRate', 'Re-escalation rate', (group) => group.reEscalationRate),
    percent('unnecessaryEscalationRate', 'Unnecessary', (group) => group.unnecessaryEscalationRate),
    metric('p50', 'To resolution p50', (group) => group.escalationToResolution.p50, formatMinutes),
    metric('p90', 'To resolution p90', (group) => group.escalationToResolution.p90, formatMinutes),
    percent(
      'firstContactResolutionRate',
      'First contact',
      (group) => group.firstContactResolutionRate,
    ),
    metric('csatEscalated', 'CSAT escalated', (group) => group.csat.escalated.mean, formatScore),
    metric('csatOther', 'CSAT not escalated', (group) => group.csat.notEscalated.mean, formatScore),
  ];
  const render = (current: Sort) =>
    fill(
      byId('groups'),
      sortableTable<Group>({
        caption: `Escalation KPIs by ${grouping}, ${answer.groups.length} group${answer.groups.length === 1 ? '' : 's'}`,
        columns,
        rows: answer.groups,
        name: (group) => group.key || 'All tickets',
        footer: { ...answer.totals, key: '' },
        sort: current,
        onSort: (next) => {
          onSort(next);
          render(next);
          byId('groups')
            .querySelector<HTMLButtonElement>(`th[data-column="${next.column}"] button`)
            ?.focus();
        },
      }),
    );
  render(sort);
}

export function renderReasons(totals: EscalationMetrics): void {
  const entries = Object.entries(totals.escalationsByReason);
  const label = (reason: string) => reason.replace(/_/g, ' ');
  const labels = entries.map(([reason]) => label(reason));
  const counts = entries.map(([, count]) => count);
  const total = counts.reduce((sum, count) => sum + count, 0);
  const top = [...entries].sort(([, a], [, b]) => b - a)[0];
  chartFigure(
    byId('reasons'),
    'Escalations (events, automatic ones included) by the reason given.',
    total === 0 || !top
      ? 'No escalation in the period.'
      : `${formatCount(total)} escalations by reason; the most common is ${label(top[0])} with ${formatCount(top[1])}.`,
    simpleTable(
      'Escalations by reason',
      ['Reason', 'Escalations'],
      entries.map(([reason, count]) => [label(reason), formatCount(count)]),
    ),
    (container) => barChart(container, labels, counts, 'Escalations'),
  );
}

export function renderRootCauses(totals: EscalationMetrics): void {
  const rows = paretoRows(totals.escalationsByRootCause);
  const named = rows.slice(0, 3);
  const lastNamed = named.at(-1);
  const summary =
    lastNamed === undefined
      ? 'No escalated ticket resolved in the period named a root cause.'
      : `Root causes of the escalations of resolved tickets, most first: ${named
          .map((row) => `${row.label} ${formatCount(row.count)}`)
          .join(
            ', ',
          )}; the first ${named.length} account for ${formatPercent(lastNamed.cumulativePercent)}.`;
  chartFigure(
    byId('root-causes'),
    'Escalations of the escalated tickets since resolved, by the root cause their resolution named, with the running share.',
    summary,
    simpleTable(
      'Escalations by root cause',
      ['Root cause', 'Escalations', 'Cumulative share'],
      rows.map((row) => [row.label, formatCount(row.count), formatPercent(row.cumulativePercent)]),
    ),
    (container) =>
      paretoChart(
        container,
        rows.map((row) => row.label),
        rows.map((row) => row.count),
        rows.map((row) => row.cumulativePercent),
      ),
  );
}

export function renderTiers(totals: EscalationMetrics): void {
  const resolved = TIERS.map((tier) => totals.resolvedByTier[tier]);
  const total = resolved.reduce((sum, count) => sum + count, 0);
  chartFigure(
    byId('tiers'),
    'Resolved tickets by the tier that resolved them; the table adds the time spent in each tier.',
    total === 0
      ? 'No ticket of the period is resolved.'
      : `${formatCount(total)} resolved: ${TIERS.map((tier) => `${tier} ${formatCount(totals.resolvedByTier[tier])}`).join(', ')}.`,
    simpleTable(
      'Resolved by tier and time in each tier (finished stays)',
      ['Tier', 'Resolved', 'Time in the tier'],
      TIERS.map((tier) => [
        tier,
        formatCount(totals.resolvedByTier[tier]),
        formatMinutes(totals.tierDwellMinutes[tier]),
      ]),
    ),
    (container) => barChart(container, TIERS, resolved, 'Resolved'),
  );
}

export function renderSla(totals: EscalationMetrics): void {
  fill(
    byId('sla'),
    term(
      'First responses on time',
      totals.slaCompliance.firstResponse,
      formatPercent(totals.slaCompliance.firstResponse),
      'kpi-sla-first-response',
    ),
    term(
      'Resolutions on time',
      totals.slaCompliance.resolution,
      formatPercent(totals.slaCompliance.resolution),
      'kpi-sla-resolution',
    ),
    term(
      'Tickets in breach',
      totals.slaBreachRate,
      formatPercent(totals.slaBreachRate),
      'kpi-sla-breach',
    ),
    term(
      'Automatic escalations',
      totals.autoEscalations,
      formatCount(totals.autoEscalations),
      'kpi-auto',
    ),
    term(
      'Escalations by people',
      totals.manualEscalations,
      formatCount(totals.manualEscalations),
      'kpi-manual',
    ),
    term(
      'Time to first response, mean',
      totals.meanTimeToFirstResponse,
      formatMinutes(totals.meanTimeToFirstResponse),
      'kpi-first-response',
    ),
  );
}
