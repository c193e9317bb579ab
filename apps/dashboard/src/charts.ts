import uPlot from 'uplot';

/** Colours with at least 4.5:1 contrast on the white page (the band is a background). */
export const COLOURS = {
  ink: '#1f2937',
  grid: '#d1d5db',
  series: '#1d4ed8',
  cumulative: '#b45309',
  band: 'rgba(21, 128, 61, 0.16)',
  bandEdge: '#15803d',
};

const HEIGHT = 240;
const FONT = '12px system-ui, sans-serif';
/** The escalation rate a healthy support operation keeps within, in percent. */
export const TARGET_BAND = { low: 10, high: 20 };

const charts = new Map<HTMLElement, uPlot>();

function widthOf(container: HTMLElement): number {
  return Math.max(280, Math.floor(container.clientWidth));
}

/** Draws a new chart in `container`, replacing the one it held. */
function draw(container: HTMLElement, options: uPlot.Options, data: uPlot.AlignedData): uPlot {
  charts.get(container)?.destroy();
  const chart = new uPlot(options, data, container);
  charts.set(container, chart);
  return chart;
}

/** Fits every chart to its container's width again, after the window changed size. */
export function resizeCharts(): void {
  for (const [container, chart] of charts) {
    if (!container.isConnected) {
      chart.destroy();
      charts.delete(container);
    } else {
      chart.setSize({ width: widthOf(container), height: HEIGHT });
    }
  }
}

const axis = (extra: uPlot.Axis = {}): uPlot.Axis => ({
  stroke: COLOURS.ink,
  font: FONT,
  grid: { stroke: COLOURS.grid, width: 1 },
  ticks: { stroke: COLOURS.grid, width: 1 },
  ...extra,
});

const percentAxis = (extra: uPlot.Axis = {}) =>
  axis({ size: 56, values: (_, splits) => splits.map((value) => `${value} %`), ...extra });

/** The common options: no legend or cursor, the page's tables give the values. */
function base(
  container: HTMLElement,
): Pick<uPlot.Options, 'width' | 'height' | 'legend' | 'cursor'> {
  return {
    width: widthOf(container),
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
  };
}

/**
 * The escalation rate per day or week (seconds since the epoch, UTC), gaps
 * where no ticket was opened, over the target band shaded.
 */
export function rateChart(container: HTMLElement, days: number[], rates: (number | null)[]) {
  const highest = Math.max(TARGET_BAND.high, ...rates.map((rate) => rate ?? 0));
  return draw(
    container,
    {
      ...base(container),
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: { range: () => [0, Math.ceil((highest + 5) / 5) * 5] } },
      axes: [axis(), percentAxis()],
      series: [
        {},
        {
          label: 'Escalation rate',
          stroke: COLOURS.series,
          width: 2,
          spanGaps: false,
          points: { show: true, size: 6, fill: COLOURS.series, stroke: COLOURS.series },
        },
      ],
      hooks: {
        drawClear: [
          (chart) => {
            const { ctx, bbox } = chart;
            const top = chart.valToPos(TARGET_BAND.high, 'y', true);
            const bottom = chart.valToPos(TARGET_BAND.low, 'y', true);
            ctx.save();
            ctx.fillStyle = COLOURS.band;
            ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
            ctx.strokeStyle = COLOURS.bandEdge;
            ctx.setLineDash([4, 4]);
            ctx.lineWidth = 1;
            for (const y of [top, bottom]) {
              ctx.beginPath();
              ctx.moveTo(bbox.left, y);
              ctx.lineTo(bbox.left + bbox.width, y);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
      },
    },
    [days, rates],
  );
}

function shortened(label: string): string {
  return label.length > 14 ? `${label.slice(0, 13)}…` : label;
}

/** A category axis: one split per bar, labelled with its (shortened) name. */
function categoryAxis(labels: readonly string[]): uPlot.Axis {
  return axis({
    grid: { show: false },
    splits: () => labels.map((_, index) => index),
    values: (_, splits) => splits.map((index) => shortened(labels[index] ?? '')),
  });
}

/** One slot per label, counts from 0 with some headroom. */
function barScales(labels: readonly string[], counts: readonly number[]): uPlot.Scales {
  return {
    x: { time: false, range: [-0.5, labels.length - 0.5] },
    y: { range: [0, Math.ceil(Math.max(1, ...counts) * 1.15)] },
  };
}

const barSeries = (label: string): uPlot.Series => ({
  label,
  fill: COLOURS.series,
  stroke: COLOURS.series,
  paths: uPlot.paths.bars!({ size: [0.6, 72] }),
  points: { show: false },
});

/** Bars for a few named counts. */
export function barChart(
  container: HTMLElement,
  labels: readonly string[],
  values: readonly number[],
  label: string,
) {
  return draw(
    container,
    {
      ...base(container),
      scales: barScales(labels, values),
      axes: [categoryAxis(labels), axis({ size: 48 })],
      series: [{}, barSeries(label)],
    },
    [labels.map((_, index) => index), [...values]],
  );
}

/** A Pareto chart: counts as bars, most first, and their running share as a line on a % scale. */
export function paretoChart(
  container: HTMLElement,
  labels: readonly string[],
  counts: readonly number[],
  cumulativePercents: readonly number[],
) {
  return draw(
    container,
    {
      ...base(container),
      scales: {
        ...barScales(labels, counts),
        share: { range: [0, 100] },
      },
      axes: [
        categoryAxis(labels),
        axis({ size: 48 }),
        percentAxis({ scale: 'share', side: 1, grid: { show: false } }),
      ],
      series: [
        {},
        barSeries('Escalations'),
        {
          label: 'Cumulative share',
          scale: 'share',
          stroke: COLOURS.cumulative,
          width: 2,
          points: { show: true, size: 6, fill: COLOURS.cumulative, stroke: COLOURS.cumulative },
        },
      ],
    },
    [labels.map((_, index) => index), [...counts], [...cumulativePercents]],
  );
}
