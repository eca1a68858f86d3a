/**
 * Line charts on uPlot (canvas), each with the same numbers in a semantic <table> beside it (inside a
 * <details>, keyboard-reachable). Every chart registers its series on `window.__dashboard.charts` and
 * on data attributes of its container, so tests and scripts can read what is drawn.
 */
import uPlot from 'uplot';
import { el, table } from './dom.ts';
import { axisColours, seriesStyle } from './palette.ts';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** A fixed colour/dash instead of the palette's next (e.g. the grid baseline in grey). */
  stroke?: string;
  dash?: number[];
}

export interface LineChartSpec {
  id: string;
  container: HTMLElement;
  /** x values, shared by every series. */
  x: number[];
  xLabel: string;
  /** How an x value is written on the axis and in the table (default: the number). */
  xText?: (x: number) => string;
  /** x values are Unix seconds (a time axis). */
  time?: boolean;
  yLabel: string;
  /** Position-like values: 1 at the top. */
  invert?: boolean;
  yRange?: [number, number];
  series: ChartSeries[];
  /** x values are whole numbers (rounds): no ticks between them. */
  wholeX?: boolean;
  /** Draw points too (few x values). */
  points?: boolean;
  caption: string;
  height?: number;
}

export interface ChartRecord {
  x: number[];
  series: { label: string; points: (number | null)[] }[];
}

declare global {
  interface Window {
    __dashboard: { charts: Record<string, ChartRecord>; updates: number; ready?: boolean };
  }
}

window.__dashboard ??= { charts: {}, updates: 0 };

const charts = new Map<string, uPlot>();

/** Draws (or redraws) the chart with this id in its container; returns the uPlot instance. */
export function lineChart(spec: LineChartSpec): uPlot {
  charts.get(spec.id)?.destroy();
  const colours = axisColours();
  const axis = {
    stroke: colours.text,
    grid: { stroke: colours.grid },
    ticks: { stroke: colours.grid },
  };
  const xText = spec.xText ?? ((x: number) => String(x));
  const width = Math.max(280, spec.container.clientWidth || 600);
  let paletteIndex = 0;
  const options: uPlot.Options = {
    width,
    height: spec.height ?? 300,
    scales: {
      x: { time: spec.time ?? false },
      y: {
        dir: spec.invert ? -1 : 1,
        ...(spec.yRange ? { range: spec.yRange } : {}),
      },
    },
    axes: [
      {
        ...axis,
        label: spec.xLabel,
        ...(spec.time ? {} : { values: (_u: uPlot, ticks: number[]) => ticks.map(xText) }),
        ...(spec.wholeX ? { incrs: [1, 2, 5, 10, 20, 50] } : {}),
      },
      { ...axis, label: spec.yLabel },
    ],
    series: [
      { label: spec.xLabel, value: (_u: uPlot, v: number | null) => (v === null ? '–' : xText(v)) },
      ...spec.series.map((s) => {
        // Palette colours go to the series without a fixed one, in order: the same model keeps
        // its colour on every chart of a page.
        const style = s.stroke ? { stroke: s.stroke } : seriesStyle(paletteIndex++);
        return {
          label: s.label,
          stroke: s.stroke ?? style.stroke,
          dash: s.dash ?? style.dash,
          width: 2,
          spanGaps: true,
          points: { show: spec.points ?? spec.x.length <= 30, size: 5 },
        };
      }),
    ],
    legend: { live: true },
  };
  const data = [spec.x, ...spec.series.map((s) => s.values)] as uPlot.AlignedData;
  const holder = el('div', { role: 'img', 'aria-label': spec.caption });
  const details = el(
    'details',
    {},
    el('summary', {}, 'Data table'),
    el(
      'div',
      { class: 'table-scroll' },
      table(
        spec.caption,
        [
          { label: spec.xLabel, value: (i: number) => xText(spec.x[i] ?? 0) },
          ...spec.series.map((s) => ({
            label: s.label,
            numeric: true,
            value: (i: number) => {
              const v = s.values[i];
              return v === null || v === undefined ? '–' : Number.isInteger(v) ? v : v.toFixed(3);
            },
          })),
        ],
        spec.x.map((_, i) => i),
      ),
    ),
  );
  spec.container.replaceChildren(holder, details);
  const plot = new uPlot(options, data, holder);
  charts.set(spec.id, plot);
  spec.container.dataset.series = String(spec.series.length);
  spec.container.dataset.points = String(spec.x.length);
  window.__dashboard.charts[spec.id] = {
    x: [...spec.x],
    series: spec.series.map((s) => ({ label: s.label, points: [...s.values] })),
  };
  return plot;
}

/** Keeps charts as wide as their containers. */
export function followWidths(): void {
  let pending = 0;
  addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      for (const plot of charts.values()) {
        const parent = plot.root.parentElement?.parentElement;
        if (parent) plot.setSize({ width: Math.max(280, parent.clientWidth), height: plot.height });
      }
    });
  });
}
