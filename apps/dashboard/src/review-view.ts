import type { QuarterlyReview } from './answers';
import { byId, figure, fill, h } from './dom';
import { formatCount, formatInstant, NONE } from './format';
import { captionedTable } from './sortable-table';

/** A cell: its text, and its number (in `data-value`) when it is one. */
interface Cell {
  metric: string;
  value?: number | null;
  text: string;
}

const count = (metric: string, value: number | null): Cell => ({
  metric,
  value,
  text: value === null ? NONE : formatCount(value),
});

/** The sign says which way it went; a screen reader reads "+1.5" or "−2" as it should. */
function change(value: number | null): Cell {
  if (value === null) return { metric: 'change', value, text: NONE };
  const sign = value > 0 ? '+' : value < 0 ? '−' : '';
  return { metric: 'change', value, text: `${sign}${formatCount(Math.abs(value))}` };
}

/** A table of rows named in their first column, every cell marked with its metric. */
function reviewTable(
  caption: string,
  headings: readonly string[],
  rows: readonly { name: string; cells: Cell[] }[],
  empty: string,
): HTMLTableElement {
  return captionedTable(
    caption,
    headings,
    rows.length === 0
      ? [h('tr', {}, h('td', { colspan: headings.length }, empty))]
      : rows.map((row) =>
          h(
            'tr',
            { 'data-key': row.name },
            h('th', { scope: 'row' }, row.name),
            ...row.cells.map((cell) =>
              cell.value === undefined
                ? h('td', { 'data-metric': cell.metric }, cell.text)
                : figure('td', cell.value, cell.text, { 'data-metric': cell.metric }),
            ),
          ),
        ),
  );
}

const TRENDS: Record<QuarterlyReview['topRootCauses'][number]['trend'], string> = {
  new: 'new this quarter',
  up: 'up',
  down: 'down',
  same: 'unchanged',
};

/** The quarterly review's tables, as `GET /v1/reviews/escalations` answers them. */
export function renderReview(review: QuarterlyReview): void {
  const { quarter, previousQuarter: previous, postMortems } = review;
  byId('review-text').textContent =
    `${quarter.label} (${formatInstant(quarter.from)} up to ${formatInstant(quarter.to)}) against ${previous.label}; overdue actions counted at ${formatInstant(review.asOf)}.`;
  fill(
    byId('review-figures'),
    reviewTable(
      `Headline KPIs of the tickets opened in ${quarter.label}, against ${previous.label}`,
      ['KPI', quarter.label, previous.label, 'Change'],
      review.figures.map((row) => ({
        name: row.metric,
        cells: [count('current', row.current), count('previous', row.previous), change(row.change)],
      })),
      'No KPI.',
    ),
  );
  fill(
    byId('review-root-causes'),
    reviewTable(
      `Top root causes of ${quarter.label}’s escalations, against ${previous.label}`,
      ['Root cause', `Escalations in ${quarter.label}`, `In ${previous.label}`, 'Trend'],
      review.topRootCauses.map((row) => ({
        name: row.rootCause,
        cells: [
          count('escalations', row.escalations),
          count('previous', row.previous),
          { metric: 'trend', text: TRENDS[row.trend] },
        ],
      })),
      'No escalation named a root cause.',
    ),
  );
  fill(
    byId('review-post-mortems'),
    reviewTable(
      `Post-mortems of ${quarter.label}’s escalated tickets`,
      ['Figure', 'Value'],
      [
        ['Post-mortems required', 'required', postMortems.required],
        ['Post-mortems done', 'covered', postMortems.covered],
        ['Coverage %', 'coverage', postMortems.coverage],
        ['Actions done', 'actionsDone', postMortems.actionsDone],
        ['Actions done on time %', 'actionsOnTimeRate', postMortems.actionsOnTimeRate],
        ['Overdue actions', 'overdueActions', postMortems.overdueActions],
      ].map(([name, metric, value]) => ({
        name: String(name),
        cells: [count(String(metric), Number(value))],
      })),
      '',
    ),
    postMortems.missing.length === 0
      ? null
      : h(
          'p',
          { id: 'review-missing' },
          `Missing a required post-mortem: ${postMortems.missing.join(', ')}.`,
        ),
  );
  fill(
    byId('review-actions'),
    reviewTable(
      `Open post-mortem actions by owner, overdue at ${formatInstant(review.asOf)}`,
      ['Owner', 'Open', 'Overdue'],
      review.actionsByOwner.map((row) => ({
        name: row.owner,
        cells: [count('open', row.open), count('overdue', row.overdue)],
      })),
      'No open action.',
    ),
  );
  fill(
    byId('review-repeats'),
    reviewTable(
      'Repeat escalations: escalated again after a post-mortem on their root cause was complete',
      ['Ticket', 'Root cause', 'Last escalated (UTC)', 'Post-mortem complete (UTC)'],
      review.repeatEscalations.map((row) => ({
        name: row.ticketId,
        cells: [
          { metric: 'rootCause', text: row.rootCause },
          { metric: 'lastEscalatedAt', text: formatInstant(row.lastEscalatedAt) },
          { metric: 'postMortemCompletedAt', text: formatInstant(row.postMortemCompletedAt) },
        ],
      })),
      'No repeat escalation.',
    ),
  );
}
