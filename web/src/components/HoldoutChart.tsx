// uPlot chart of the holdout check: actual (bars) and predicted (line) purchases per customer, by calibration frequency.
import uPlot from 'uplot';
import type { ValidationBin } from '../modelTypes';
import { useUplot } from './useUplot';
import { formatFixed } from '../format';
import { t } from '../i18n';

export function HoldoutChart({ bins }: { bins: ValidationBin[] }) {
  const box = useUplot(() => {
    if (bins.length === 0) return null;
    const xs = bins.map((_, i) => i);
    const label = (i: number) => bins[Math.round(i)]?.bin ?? '';
    return {
      height: 260,
      minWidth: 240,
      data: [xs, bins.map((b) => b.actualMean), bins.map((b) => b.predictedMean)],
      options: {
        scales: {
          x: { time: false, range: () => [-0.6, bins.length - 0.4] },
          y: { range: (_u, _min, max) => [0, Math.max(0.5, max * 1.15)] },
        },
        axes: [
          {
            stroke: '#6b7280',
            grid: { show: false },
            splits: () => xs,
            values: (_u, splits) => splits.map((s) => label(s)),
            label: t('chart.holdoutX'),
            labelSize: 24,
          },
          { stroke: '#6b7280', grid: { stroke: '#eef0f3' }, size: 50, label: t('chart.holdoutY'), labelSize: 24 },
        ],
        series: [
          { label: 'x', value: (_u, v) => (v == null ? '—' : label(v)) },
          {
            label: t('chart.actual'),
            stroke: '#4f6bed',
            fill: 'rgba(79, 107, 237, 0.45)',
            width: 1,
            paths: uPlot.paths.bars?.({ size: [0.6, 60] }),
            points: { show: false },
            value: (_u, v) => (v == null ? '—' : formatFixed(v, 3)),
          },
          {
            label: t('chart.predicted'),
            stroke: '#d9480f',
            width: 2,
            points: { show: true, size: 7, fill: '#d9480f' },
            value: (_u, v) => (v == null ? '—' : formatFixed(v, 3)),
          },
        ],
      },
    };
  }, [bins]);

  return <div className="chart" ref={box} data-testid="holdout-chart" />;
}
