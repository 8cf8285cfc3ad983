// uPlot bar chart of events per day; days without events are drawn as zero.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

const DAY = 86400;
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const fullDayLabel = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

function dayToSeconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

/** Turns the sparse [{day, count}] list into dense x/y arrays (one point per UTC day). */
function toSeries(points: { day: string; count: number }[]): [number[], number[]] {
  const byDay = new Map<number, number>();
  for (const p of points) {
    const t = dayToSeconds(p.day);
    if (Number.isFinite(t)) byDay.set(t, (byDay.get(t) ?? 0) + p.count);
  }
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const xs: number[] = [];
  const ys: number[] = [];
  if (days.length === 0) return [xs, ys];
  for (let t = days[0]; t <= days[days.length - 1]; t += DAY) {
    xs.push(t);
    ys.push(byDay.get(t) ?? 0);
  }
  return [xs, ys];
}

export function EventsChart({ points }: { points: { day: string; count: number }[] }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const [xs, ys] = toSeries(points);
    if (xs.length === 0) return;
    const width = () => Math.max(el.clientWidth, 200);
    const bars = uPlot.paths.bars?.({ size: [0.7, 24] });
    const opts: uPlot.Options = {
      width: width(),
      height: 240,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: (_u, min, max) => [min - DAY / 2, max + DAY / 2] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [
        {
          stroke: '#6b7280',
          grid: { show: false },
          space: 60,
          incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 182 * DAY, 365 * DAY],
          values: (_u, splits) => splits.map((s) => dayLabel.format(new Date(s * 1000))),
        },
        { stroke: '#6b7280', grid: { stroke: '#eef0f3' }, size: 50 },
      ],
      series: [
        { label: 'Day', value: (_u, v) => (v == null ? '—' : fullDayLabel.format(new Date(v * 1000))) },
        {
          label: 'Events',
          stroke: '#4f6bed',
          fill: 'rgba(79, 107, 237, 0.55)',
          width: 1,
          paths: bars,
          points: { show: false },
        },
      ],
    };
    const plot = new uPlot(opts, [xs, ys], el);
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 240 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [points]);

  if (points.length === 0) return <p className="muted empty">No events yet.</p>;
  return <div className="chart" ref={box} data-testid="events-chart" />;
}
