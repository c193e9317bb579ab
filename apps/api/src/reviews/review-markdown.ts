import type { QuarterlyReview } from './quarterly-review';

/** A table cell: pipes and line breaks would end the cell or the row. */
function cell(value: string | number | null): string {
  if (value === null) return '–';
  return String(value)
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

function table(head: string[], rows: (string | number | null)[][]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => ' --- ').join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

function signed(change: number | null): string | null {
  if (change === null) return null;
  return change > 0 ? `+${change}` : String(change);
}

const TRENDS = { new: 'new', up: '▲ up', down: '▼ down', same: '= same' } as const;

/** The review as a Markdown document a team lead can bring to the meeting. */
export function reviewMarkdown(review: QuarterlyReview): string {
  const { quarter, previousQuarter: previous, postMortems } = review;
  const lines = [
    `# Escalation review ${quarter.label}`,
    '',
    `Tickets opened from ${quarter.from.slice(0, 10)} to ${quarter.to.slice(0, 10)} (exclusive), against ${previous.label}. Actions counted as of ${review.asOf}. Post-mortems required for: ${review.requiredBy.join(', ') || 'none'}.`,
    '',
    '## Escalation KPIs',
    '',
    ...table(
      ['Metric', quarter.label, previous.label, 'Change'],
      review.figures.map((figure) => [
        figure.metric,
        figure.current,
        figure.previous,
        signed(figure.change),
      ]),
    ),
    '',
    '## Top root causes',
    '',
    ...(review.topRootCauses.length === 0
      ? ['No escalated ticket resolved with a root cause this quarter.']
      : table(
          ['Root cause', 'Escalations', previous.label, 'Trend'],
          review.topRootCauses.map((cause) => [
            `\`${cause.rootCause}\``,
            cause.escalations,
            cause.previous,
            TRENDS[cause.trend],
          ]),
        )),
    '',
    '## Post-mortems',
    '',
    `${postMortems.covered} of ${postMortems.required} required post-mortems recorded (${postMortems.coverage} %). ${postMortems.actionsDone} actions done, ${postMortems.actionsDoneOnTime} of them on time (${postMortems.actionsOnTimeRate} %); ${postMortems.overdueActions} overdue.`,
    '',
    ...(postMortems.missing.length === 0
      ? ['No required post-mortem is missing.']
      : ['Still missing:', '', ...postMortems.missing.map((ticketId) => `- ${ticketId}`)]),
    '',
    '## Open actions by owner',
    '',
    ...(review.actionsByOwner.length === 0
      ? ['No open action.']
      : table(
          ['Owner', 'Open', 'Overdue'],
          review.actionsByOwner.map((owner) => [owner.owner, owner.open, owner.overdue]),
        )),
    '',
    '## Repeat escalations',
    '',
    ...(review.repeatEscalations.length === 0
      ? ['No ticket escalated again for a root cause a complete post-mortem had covered.']
      : table(
          ['Ticket', 'Root cause', 'Escalated', 'Post-mortem complete since'],
          review.repeatEscalations.map((repeat) => [
            repeat.ticketId,
            `\`${repeat.rootCause}\``,
            repeat.lastEscalatedAt,
            repeat.postMortemCompletedAt,
          ]),
        )),
    '',
  ];
  return lines.join('\n');
}
