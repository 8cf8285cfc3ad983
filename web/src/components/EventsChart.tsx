// uPlot bar chart of events per day; days without events are drawn as zero.
import uPlot from 'uplot';
import { DAY, daily, useUplot } from './useUplot';
import { t } from '../i18n';

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
  const box = useUplot(() => {
    const [xs, ys] = toSeries(points);
    if (xs.length === 0) return null;
    const bars = uPlot.paths.bars?.({ size: [0.7, 24] });
    return {
      height: 240,
      minWidth: 200,
      data: [xs, ys],
      options: {
        tzDate: daily.tzDate,
        scales: {
          x: daily.x,
          y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        },
        axes: [daily.axis, { stroke: '#6b7280', grid: { stroke: '#eef0f3' }, size: 50 }],
        series: [
          daily.series,
          {
            label: t('overview.events'),
            stroke: '#4f6bed',
            fill: 'rgba(79, 107, 237, 0.55)',
            width: 1,
            paths: bars,
            points: { show: false },
          },
        ],
      },
    };
  }, [points]);

  if (points.length === 0) return <p className="muted empty">{t('overview.noEvents')}</p>;
  return <div className="chart" ref={box} data-testid="events-chart" />;
}
