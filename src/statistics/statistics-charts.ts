import { escapeHtml } from '../handoff/advisors/console/page-frame.js';
import type { Day } from './utc-days.js';

/** One series of a per-day chart: its name, the CSS class that colours it, a value per day (null: none that day). */
export interface ChartSeries {
  name: string;
  className: string;
  values: (number | null)[];
}

export interface DayChart {
  id: string;
  title: string;
  days: Day[];
  series: ChartSeries[];
  /** stacked: the series on top of each other (parts of a whole); grouped: side by side. */
  layout: 'stacked' | 'grouped';
  /** How a value reads (default: as a count). */
  format?: (value: number) => string;
}

const WIDTH = 720;
const HEIGHT = 220;
const LEFT = 44;
const RIGHT = 8;
const TOP = 10;
const BOTTOM = 26;

const plain = (value: number) => value.toLocaleString('en');

/** A round upper end for the axis: 1, 2, 5, 10, 20, 50… */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * step).find((candidate) => candidate >= value)!;
}

/**
 * A per-day bar chart as inline SVG, drawn on the server (the console's CSP allows inline SVG
 * markup but no style attribute: colours come from classes in the page's stylesheet). For screen
 * readers: the SVG is one image with a title and a description in words, each bar has its own
 * title, and the numbers follow as a table.
 */
export function dayChart(chart: DayChart): string {
  const format = chart.format ?? plain;
  const n = chart.days.length;
  const totals = chart.days.map((_day, i) =>
    chart.layout === 'stacked' ? chart.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0) : Math.max(0, ...chart.series.map((s) => s.values[i] ?? 0)),
  );
  const max = niceMax(Math.max(0, ...totals));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(1, n);
  const gap = slot > 6 ? Math.min(slot * 0.2, 6) : 0;
  const y = (value: number) => TOP + plotHeight - (value / max) * plotHeight;
  const round = (value: number) => Math.round(value * 100) / 100;
  const bars: string[] = [];
  chart.days.forEach((day, i) => {
    let base = 0;
    const groupWidth = slot - gap;
    chart.series.forEach((series, s) => {
      const value = series.values[i];
      if (value === null || value === undefined || value <= 0) return;
      const width = chart.layout === 'stacked' ? groupWidth : groupWidth / chart.series.length;
      const x = LEFT + i * slot + gap / 2 + (chart.layout === 'stacked' ? 0 : s * width);
      const top = y(base + value);
      const height = y(base) - top;
      if (chart.layout === 'stacked') base += value;
      bars.push(`<rect class="bar ${escapeHtml(series.className)}" x="${round(x)}" y="${round(top)}" width="${round(Math.max(width, 0.5))}" height="${round(Math.max(height, 0.5))}"><title>${escapeHtml(`${day} · ${series.name}: ${format(value)}`)}</title></rect>`);
    });
  });
  const ticks = [0, max / 2, max]
    .map((value) => `<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${round(y(value))}" y2="${round(y(value))}"/><text class="tick" x="${LEFT - 4}" y="${round(y(value)) + 4}" text-anchor="end">${escapeHtml(format(value))}</text>`)
    .join('');
  const labelled = n <= 1 ? [0] : [0, Math.floor((n - 1) / 2), n - 1];
  const dayLabels = [...new Set(labelled)]
    .map((i) => `<text class="tick" x="${round(LEFT + i * slot + slot / 2)}" y="${HEIGHT - 8}" text-anchor="${i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle'}">${escapeHtml(chart.days[i] ?? '')}</text>`)
    .join('');
  const id = escapeHtml(chart.id);
  const legend = chart.series.map((series) => `<li><span class="swatch ${escapeHtml(series.className)}" aria-hidden="true"></span>${escapeHtml(series.name)}</li>`).join('');
  const head = `<tr><th scope="col">Day</th>${chart.series.map((series) => `<th scope="col">${escapeHtml(series.name)}</th>`).join('')}</tr>`;
  const rows = chart.days
    .map((day, i) => `<tr><th scope="row">${escapeHtml(day)}</th>${chart.series.map((series) => `<td>${series.values[i] === null || series.values[i] === undefined ? '–' : escapeHtml(format(series.values[i]!))}</td>`).join('')}</tr>`)
    .join('');
  return `<figure class="chart" id="${id}">
<figcaption id="${id}-caption">${escapeHtml(chart.title)}</figcaption>
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" class="chart-svg">
<title id="${id}-title">${escapeHtml(chart.title)}</title>
<desc id="${id}-desc">${escapeHtml(describe(chart, format))}</desc>
${ticks}${bars.join('')}${dayLabels}
</svg>
<ul class="legend">${legend}</ul>
<details><summary>The numbers as a table</summary><div class="table-wrap"><table><caption>${escapeHtml(chart.title)}</caption><thead>${head}</thead><tbody>${rows}</tbody></table></div></details>
</figure>`;
}

/** The chart in words: each series' total (or range) and its highest day. */
function describe(chart: DayChart, format: (value: number) => string): string {
  const parts = chart.series.map((series) => {
    const values = series.values.map((value, i) => ({ value, day: chart.days[i] })).filter((entry): entry is { value: number; day: Day } => entry.value !== null && entry.value !== undefined);
    if (values.length === 0 || values.every(({ value }) => value === 0)) return `${series.name}: none`;
    const top = values.reduce((best, entry) => (entry.value > best.value ? entry : best));
    const total = values.reduce((sum, { value }) => sum + value, 0);
    return chart.format ? `${series.name}: highest ${format(top.value)} on ${top.day}` : `${series.name}: ${format(total)} in all, most on ${top.day} (${format(top.value)})`;
  });
  return `${chart.days[0] ?? ''} to ${chart.days.at(-1) ?? ''}. ${parts.join('; ')}.`;
}
