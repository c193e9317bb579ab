export interface ParetoRow {
  label: string;
  count: number;
  /** The share of all counts up to and including this row, in percent, to 1 decimal. */
  cumulativePercent: number;
}

/**
 * The rows of a Pareto chart: most first (then by name), the `top` largest
 * each a row and the rest together in one, so a long tail of free-text root
 * causes does not crowd the chart.
 */
export function paretoRows(counts: Record<string, number>, top = 10): ParetoRow[] {
  const sorted = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0));
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  const shown = sorted.slice(0, top);
  const rest = sorted.slice(top);
  const rows: [string, number][] =
    rest.length === 0
      ? shown
      : [
          ...shown,
          [
            `${rest.length} other${rest.length === 1 ? '' : 's'}`,
            rest.reduce((sum, [, count]) => sum + count, 0),
          ],
        ];
  let running = 0;
  return rows.map(([label, count]) => {
    running += count;
    return { label, count, cumulativePercent: Math.round((1000 * running) / total) / 10 };
  });
}
