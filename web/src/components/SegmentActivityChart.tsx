// uPlot bar chart of a segment's entries (up) and exits (down) per day.
import uPlot from 'uplot';
import { daily, useUplot } from './useUplot';
import { t } from '../i18n';

export interface ActivityDay {
  day: string;
  entered: number;
  exited: number;
}

export function SegmentActivityChart({ days }: { days: ActivityDay[] }) {
  const quiet = days.every((d) => d.entered === 0 && d.exited === 0);

  const box = useUplot(() => {
    if (days.length === 0 || quiet) return null;
    const xs = days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
    // Zero days draw no bar; exits are drawn below the axis.
    const entered = days.map((d) => d.entered || null);
    const exited = days.map((d) => (d.exited ? -d.exited : null));
    const bars = () => uPlot.paths.bars?.({ size: [0.7, 24] });
    const top = Math.max(0, ...days.map((d) => d.entered));
    const bottom = Math.max(0, ...days.map((d) => d.exited));
    const count = (_u: uPlot, v: number | null) => (v == null ? '0' : String(Math.abs(v)));
    return {
      height: 220,
      minWidth: 200,
      data: [xs, entered, exited],
      options: {
        tzDate: daily.tzDate,
        scales: {
          x: daily.x,
          y: { range: () => [bottom ? -bottom * 1.1 : 0, top ? top * 1.1 : 1] },
        },
        axes: [
          daily.axis,
          {
            stroke: '#6b7280',
            grid: { stroke: '#eef0f3' },
            size: 50,
            values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? String(Math.abs(s)) : '')),
          },
        ],
        series: [
          daily.series,
          {
            label: t('segment.entered'),
            stroke: '#4f6bed',
            fill: 'rgba(79, 107, 237, 0.55)',
            width: 1,
            paths: bars(),
            points: { show: false },
            value: count,
          },
          {
            label: t('chart.exited'),
            stroke: '#9aa3b2',
            fill: 'rgba(154, 163, 178, 0.55)',
            width: 1,
            paths: bars(),
            points: { show: false },
            value: count,
          },
        ],
      },
    };
  }, [days, quiet]);

  if (days.length === 0 || quiet) return <p className="muted empty">{t('chart.noEntries')}</p>;
  return <div className="chart" ref={box} data-testid="segment-activity-chart" />;
}
