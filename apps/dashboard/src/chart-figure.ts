import { fill, h } from './dom';

/**
 * A chart as a figure: a caption, the canvas with a sentence for screen
 * readers (`role="img"`), and the same numbers as a table under a disclosure.
 */
export function chartFigure(
  figure: HTMLElement,
  caption: string,
  summary: string,
  table: HTMLTableElement,
  draw: (container: HTMLElement) => void,
): void {
  const chart = h('div', { class: 'chart', role: 'img', 'aria-label': summary });
  fill(
    figure,
    h('figcaption', {}, caption),
    chart,
    h('details', {}, h('summary', {}, 'Show the numbers as a table'), table),
  );
  draw(chart);
}
