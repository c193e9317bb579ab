import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { EventStore } from '@ledger/event-store';
import { KPI_GROUPINGS } from '@ledger/projections';
import type { ReadStore } from '@ledger/read-store';
import { escalationKpiReport } from '../../../api/src/kpis/escalation-kpi-report';
import { KpiQueryDto } from '../../../api/src/read-models/dto/read-queries.dto';
import { toUtcInstant } from '../../../api/src/read-models/iso-instant';
import { checkedAsRequest } from '../api-input';
import { UsageError } from '../cli-error';
import { withStores } from '../cli-stores';
import { print } from '../options';

const FORMATS = ['csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

type Report = Awaited<ReturnType<typeof escalationKpiReport>>;
type Cell = string | number | boolean | null;

/**
 * A name segment of a column: `.` and `~` within a key are written `~1` and
 * `~0` (as JSON Pointer does for `/`), so every column names one path,
 * whatever text the keys hold.
 */
function segment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\./g, '~1');
}

/** Nested metrics as columns named by their path: `csat.escalated.mean`. */
function flatten(value: unknown, prefix = '', into: [string, Cell][] = []): [string, Cell][] {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      flatten(inner, prefix ? `${prefix}.${segment(key)}` : segment(key), into);
    }
  } else {
    into.push([prefix, value as Cell]);
  }
  return into;
}

/**
 * RFC 4180 quoting. A text cell a spreadsheet would run as a formula (=, +,
 * -, @ first) gets a leading `'`, which spreadsheets show as text: group keys
 * are what the API was sent.
 */
function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One row for the totals, then one per group, a column per metric of the JSON
 * answer: every path any row has, in the order first met. A cell is empty
 * where the metric is null, or where the row has no such key (a count keyed
 * by what its tickets named).
 */
export function kpiCsv(report: Report): string {
  const rows = [
    { scope: 'totals', key: '', values: new Map(flatten(report.totals)) },
    ...report.groups.map(({ key, ...metrics }) => ({
      scope: 'group',
      key,
      values: new Map(flatten(metrics)),
    })),
  ];
  const columns = [...new Set(rows.flatMap((row) => [...row.values.keys()]))];
  const lines = [
    ['row', 'key', ...columns],
    ...rows.map(({ scope, key, values }) => [
      scope,
      key,
      ...columns.map((column) => values.get(column) ?? null),
    ]),
  ];
  return lines.map((cells) => `${cells.map(csvCell).join(',')}\r\n`).join('');
}

function format(text: string): Format {
  if (!(FORMATS as readonly string[]).includes(text)) {
    throw new InvalidArgumentError(`Expected ${FORMATS.join(' or ')}`);
  }
  return text as Format;
}

/** Says on stderr when the read model has not applied the whole log: the numbers are of less. */
async function warnIfBehind(events: EventStore, readStore: ReadStore): Promise<void> {
  const head = await events.headPosition();
  const { active } = await readStore.registration('escalation-kpis');
  const position = active?.position;
  if (
    head === undefined ||
    (position !== undefined && events.comparePositions(position, head) >= 0)
  ) {
    return;
  }
  process.stderr.write(
    `ledger: warning: the escalation-kpis read model has applied the log up to ${position ?? 'nothing'} of ${head}; ` +
      'start the API or run `ledger rebuild escalation-kpis` for the whole log\n',
  );
}

interface ExportKpisOptions {
  from?: string;
  to?: string;
  groupBy?: string;
  format: Format;
}

export function registerExportKpis(exportCommand: Command): void {
  exportCommand
    .command('kpis')
    .description('the escalation KPIs of GET /v1/kpis/escalations, for spreadsheets')
    .option('--from <instant>', 'cohort of the tickets opened from then (inclusive)')
    .option('--to <instant>', 'until then (exclusive)')
    .option('--group-by <key>', `one row per ${KPI_GROUPINGS.join(', ')}`)
    .requiredOption('--format <format>', 'csv or json', format)
    .action(async (options: ExportKpisOptions) => {
      // The query GET /v1/kpis/escalations would be sent, checked by its DTO.
      const query = await checkedAsRequest(KpiQueryDto, 'query', {
        from: options.from,
        to: options.to,
        groupBy: options.groupBy,
      });
      const from = query.from !== undefined ? toUtcInstant(query.from, 'from') : undefined;
      const to = query.to !== undefined ? toUtcInstant(query.to, 'to') : undefined;
      const groupBy = query.groupBy;
      if (from !== undefined && to !== undefined && from > to) {
        throw new UsageError('--to must not be before --from');
      }
      const report = await withStores({ existing: true }, async ({ events, readStore }, config) => {
        await warnIfBehind(events, readStore);
        return escalationKpiReport(readStore, { from, to }, groupBy, {
          requiredBy: config.postMortemRequired,
          asOf: to ?? new Date().toISOString(),
        });
      });
      await print(
        options.format === 'csv' ? kpiCsv(report) : `${JSON.stringify(report, null, 2)}\n`,
      );
    });
}
