// uPlot bar chart of a segment's entries (up) and exits (down) per day.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

const DAY = 86400;
const HEIGHT = 220;
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const fullDayLabel = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

export interface ActivityDay {
  day: string;
  entered: number;
  exited: number;
}

export function SegmentActivityChart({ days }: { days: ActivityDay[] }) {
  const box = useRef<HTMLDivElement>(null);
  const quiet = days.every((d) => d.entered === 0 && d.exited === 0);

  useEffect(() => {
    const el = box.current;
    if (!el || days.length === 0 || quiet) return;
    const xs = days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
    // Zero days draw no bar; exits are drawn below the axis.
    const entered = days.map((d) => d.entered || null);
    const exited = days.map((d) => (d.exited ? -d.exited : null));
    const width = () => Math.max(el.clientWidth, 200);
    const bars = () => uPlot.paths.bars?.({ size: [0.7, 24] });
    const top = Math.max(0, ...days.map((d) => d.entered));
    const bottom = Math.max(0, ...days.map((d) => d.exited));
    const count = (_u: uPlot, v: number | null) => (v == null ? '0' : String(Math.abs(v)));
    const opts: uPlot.Options = {
      width: width(),
      height: HEIGHT,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: (_u, min, max) => [min - DAY / 2, max + DAY / 2] },
        y: { range: () => [bottom ? -bottom * 1.1 : 0, top ? top * 1.1 : 1] },
      },
      axes: [
        {
          stroke: '#6b7280',
          grid: { show: false },
          space: 60,
          incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 182 * DAY, 365 * DAY],
          values: (_u, splits) => splits.map((s) => dayLabel.format(new Date(s * 1000))),
        },
        {
          stroke: '#6b7280',
          grid: { stroke: '#eef0f3' },
          size: 50,
          values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? String(Math.abs(s)) : '')),
        },
      ],
      series: [
        { label: 'Day', value: (_u, v) => (v == null ? '—' : fullDayLabel.format(new Date(v * 1000))) },
        { label: 'Entered', stroke: '#4f6bed', fill: 'rgba(79, 107, 237, 0.55)', width: 1, paths: bars(), points: { show: false }, value: count },
        {
          label: 'Exited',
          stroke: '#9aa3b2',
          fill: 'rgba(154, 163, 178, 0.55)',
          width: 1,
          paths: bars(),
          points: { show: false },
          value: count,
        },
      ],
    };
    const plot = new uPlot(opts, [xs, entered, exited], el);
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: HEIGHT }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [days, quiet]);

  if (days.length === 0 || quiet) return <p className="muted empty">No entries or exits in this period.</p>;
  return <div className="chart" ref={box} data-testid="segment-activity-chart" />;
}
