import type { Figure, FigureTable } from './figure.js';
import { plotArea, renderFigure } from './render-figure.js';

/** Text made safe for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A number for a table cell: full precision up to 6 significant digits, `-` when not finite. */
export function cellNumber(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value === 0 || Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}

/** An HTML table of rows; numbers are printed with {@link cellNumber} and aligned right. */
export function htmlTable(table: FigureTable, caption?: string): string {
  const head = table.columns.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join('');
  const body = table.rows
    .map(
      (row) =>
        `<tr>${row
          .map((cell) =>
            typeof cell === 'number'
              ? `<td class="num">${cellNumber(cell)}</td>`
              : `<td>${escapeHtml(cell)}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table>${caption ? `<caption>${escapeHtml(caption)}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * A chart with its caption and its numbers in a `<details>` table. Data attributes give the x
 * axis range and the plot area's pixel edges, so a test can check where a line was drawn.
 */
export function figureHtml(figure: Figure): string {
  const area = plotArea(figure);
  const attributes = [
    `id="${escapeHtml(figure.id)}"`,
    'class="chart"',
    `data-series="${figure.series.length}"`,
    ...(figure.x.min === undefined ? [] : [`data-x-min="${figure.x.min}"`]),
    ...(figure.x.max === undefined ? [] : [`data-x-max="${figure.x.max}"`]),
    `data-plot-left="${area.left}"`,
    `data-plot-right="${area.right}"`,
    ...(figure.lines ?? []).map((line) => `data-line-${line.id}="${line.value}"`),
  ];
  return `<figure ${attributes.join(' ')} role="group" aria-label="${escapeHtml(figure.title)}">
<div class="svg" role="img" aria-label="${escapeHtml(figure.title)}">${renderFigure(figure)}</div>
<figcaption>${escapeHtml(figure.caption)}</figcaption>
<details><summary>Numbers of “${escapeHtml(figure.title)}”</summary>${htmlTable(figure.table)}</details>
</figure>`;
}
