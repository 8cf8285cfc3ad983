// useUplot: a uPlot chart drawn into a div, resized with it and rebuilt when its inputs change; plus the daily time axis.
import { useEffect, useRef, type DependencyList, type RefObject } from 'react';
import uPlot from 'uplot';
import { currentLocale, t } from '../i18n';

export const DAY = 86400;
// Day labels in the dashboard's language (a chart is drawn again when the page re-mounts on a change of language).
const dayLabel = () => new Intl.DateTimeFormat(currentLocale(), { month: 'short', day: 'numeric', timeZone: 'UTC' });
const fullDayLabel = () => new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeZone: 'UTC' });

export interface UplotChart {
  /** Everything but the size; the legend (live) and a cursor without drag-to-zoom are the defaults. */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height: number;
  minWidth: number;
}

/** Draws the chart `build` returns (nothing when it returns null) into the returned ref's div, again whenever `deps` change. */
export function useUplot(build: () => UplotChart | null, deps: DependencyList): RefObject<HTMLDivElement | null> {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = build();
    if (!chart) return;
    const { options, data, height, minWidth } = chart;
    const width = () => Math.max(el.clientWidth, minWidth);
    const opts: uPlot.Options = {
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      ...options,
      width: width(),
      height,
    };
    const plot = new uPlot(opts, data, el);
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, deps);

  return box;
}

/** Options of a chart with one bar per UTC day (x in seconds): the time zone, the x scale, the x axis and the Day series. */
export const daily = {
  tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
  x: {
    time: true,
    range: (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => [min - DAY / 2, max + DAY / 2],
  } satisfies uPlot.Scale,
  axis: {
    stroke: '#6b7280',
    grid: { show: false },
    space: 60,
    incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 182 * DAY, 365 * DAY],
    values: (_u: uPlot, splits: number[]) => {
      const f = dayLabel();
      return splits.map((s) => f.format(new Date(s * 1000)));
    },
  } satisfies uPlot.Axis,
  get series(): uPlot.Series {
    const f = fullDayLabel();
    return {
      label: t('chart.day'),
      value: (_u: uPlot, v: number | null) => (v == null ? '—' : f.format(new Date(v * 1000))),
    };
  },
};
