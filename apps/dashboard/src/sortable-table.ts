import { figure, h } from './dom';

export type Direction = 'ascending' | 'descending';

export interface Sort {
  column: string;
  direction: Direction;
}

export interface Column<Row> {
  id: string;
  label: string;
  /** What the column sorts by; null sorts last. */
  value(row: Row): number | string | null;
  text(row: Row): string;
  /** When given, the cell is a button that opens what the number counts. */
  open?(row: Row): (() => void) | undefined;
}

export interface TableOptions<Row> {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  /** The row's name, in the first column. */
  name(row: Row): string;
  footer?: Row;
  sort: Sort;
  onSort(sort: Sort): void;
}

function compare(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function sortedRows<Row>(options: TableOptions<Row>): Row[] {
  const column = options.columns.find((candidate) => candidate.id === options.sort.column);
  const valueOf = (row: Row) => (column ? column.value(row) : options.name(row));
  const sign = options.sort.direction === 'ascending' ? 1 : -1;
  return [...options.rows].sort((a, b) => {
    const [left, right] = [valueOf(a), valueOf(b)];
    // Rows without a value stay last whichever way the column is sorted.
    if (left === null || right === null) return compare(left, right);
    return sign * compare(left, right) || compare(options.name(a), options.name(b));
  });
}

function cell<Row>(column: Column<Row>, row: Row, tag: 'td' = 'td'): HTMLElement {
  const value = column.value(row);
  const text = column.text(row);
  const open = column.open?.(row);
  const numeric = typeof value === 'number' ? value : null;
  const element = figure(tag, numeric, open ? '' : text, { 'data-metric': column.id });
  if (open) {
    const button = h('button', { type: 'button', class: 'link' }, text);
    button.addEventListener('click', open);
    element.append(button);
  }
  return element;
}

/**
 * A table whose columns sort with a button in their heading (`aria-sort`
 * says how), its first column naming each row. Numbers keep their exact
 * value in `data-value`.
 */
export function sortableTable<Row>(options: TableOptions<Row>): HTMLTableElement {
  const heading = (id: string, label: string) => {
    const active = options.sort.column === id;
    const button = h('button', { type: 'button', class: 'link' }, label);
    button.addEventListener('click', () =>
      options.onSort({
        column: id,
        direction: active && options.sort.direction === 'descending' ? 'ascending' : 'descending',
      }),
    );
    return h(
      'th',
      { scope: 'col', 'aria-sort': active ? options.sort.direction : 'none', 'data-column': id },
      button,
    );
  };
  const row = (item: Row, footer = false) =>
    h(
      'tr',
      { 'data-key': footer ? null : options.name(item) },
      h('th', { scope: 'row' }, options.name(item)),
      ...options.columns.map((column) => cell(column, item)),
    );
  return h(
    'table',
    {},
    h('caption', {}, options.caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        heading('name', 'Group'),
        ...options.columns.map((column) => heading(column.id, column.label)),
      ),
    ),
    h('tbody', {}, ...sortedRows(options).map((item) => row(item))),
    options.footer ? h('tfoot', {}, row(options.footer, true)) : null,
  );
}

/** A table with a caption (its text, or the element when it carries attributes), column headings and the rows given. */
export function captionedTable(
  caption: string | HTMLTableCaptionElement,
  headings: readonly string[],
  rows: readonly HTMLTableRowElement[],
): HTMLTableElement {
  return h(
    'table',
    {},
    typeof caption === 'string' ? h('caption', {}, caption) : caption,
    h('thead', {}, h('tr', {}, ...headings.map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, ...rows),
  );
}

/** A plain table: a caption, headings and rows of text. */
export function simpleTable(
  caption: string,
  headings: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): HTMLTableElement {
  return captionedTable(
    caption,
    headings,
    rows.map(([first, ...rest]) =>
      h('tr', {}, h('th', { scope: 'row' }, first), ...rest.map((text) => h('td', {}, text))),
    ),
  );
}
