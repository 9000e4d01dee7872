/**
 * A small live time-series chart (uPlot: made for streaming series, ~50 KB, canvas). Colours come
 * from the theme's tokens and the chart is rebuilt when the theme changes; it follows its
 * container's width. The legend is ours (translated, with the latest values) above the canvas.
 */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './vmOverview.css';

export interface ChartSeries {
  label: string;
  /** A theme token (CSS variable) for the line: '--accent'. */
  colorVar: string;
  values: readonly (number | null)[];
}

export interface StatsChartProps {
  title: string;
  /** Seconds since epoch, one per value. */
  times: readonly number[];
  series: readonly ChartSeries[];
  format: (value: number) => string;
  /** The reader's language, for the time axis. */
  locale: string;
  /** The y scale never shrinks below this top (100 for CPU %). */
  minTop?: number;
  testId: string;
}

/** The value of data-theme on <html>, followed live. */
function useDocumentTheme(): string {
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme ?? '');
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(document.documentElement.dataset.theme ?? ''));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
}

function token(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function lastValue(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i -= 1) {
    const value = values[i];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

const HEIGHT = 120;

export function StatsChart({ title, times, series, format, locale, minTop = 0, testId }: StatsChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const theme = useDocumentTheme();
  const formatRef = useRef(format);
  formatRef.current = format;
  const labels = series.map((entry) => `${entry.label}\u0000${entry.colorVar}`).join('\u0001');

  // Built once per theme and series set; data arrives through setData below.
  useEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const axisColor = token('--text-muted');
    const gridColor = token('--border');
    const font = `11px ${token('--font-ui')}`;
    const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const axis = (extra: Partial<uPlot.Axis>): uPlot.Axis => ({
      stroke: axisColor,
      font,
      grid: { stroke: gridColor, width: 1 },
      ticks: { stroke: gridColor, width: 1, size: 4 },
      ...extra,
    });
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      cursor: { show: true, points: { show: false }, drag: { x: false, y: false } },
      scales: {
        x: { time: true },
        y: { range: (_u, _min, max) => [0, Math.max(minTop, max > 0 ? max * 1.15 : 1)] },
      },
      axes: [
        axis({ space: 70, values: (_u, splits) => splits.map((seconds) => clock.format(seconds * 1000)) }),
        axis({ size: 70, values: (_u, splits) => splits.map((value) => formatRef.current(value)) }),
      ],
      series: [
        {},
        ...series.map((entry) => {
          const color = token(entry.colorVar);
          return { label: entry.label, stroke: color, width: 1.5, fill: `${color}22`, points: { show: false }, spanGaps: false };
        }),
      ],
    };
    const chart = new uPlot(options, [[], ...series.map(() => [])], element);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, element.clientWidth), height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // labels stands for `series`' identity; values change through setData.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [theme, labels, minTop, locale]);

  useEffect(() => {
    plot.current?.setData([times as number[], ...series.map((entry) => entry.values as (number | null)[])]);
  });

  const points = series.reduce((count, entry) => count + entry.values.filter((value) => value !== null).length, 0);
  return (
    <figure className="stats-chart" data-testid={testId} data-points={points}>
      <figcaption className="stats-chart-head">
        <span className="stats-chart-title">{title}</span>
        <span className="stats-chart-legend">
          {series.map((entry) => {
            const value = lastValue(entry.values);
            return (
              <span key={entry.label} className="stats-chart-key">
                <span className="stats-chart-swatch" style={{ background: `var(${entry.colorVar})` }} />
                {entry.label} <span className="stats-chart-value">{value === null ? '—' : format(value)}</span>
              </span>
            );
          })}
        </span>
      </figcaption>
      <div ref={host} className="stats-chart-canvas" />
    </figure>
  );
}
