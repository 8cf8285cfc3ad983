// uPlot line chart of message metrics by day: volumes (sent, delivered, opens, clicks) or the five rates in percent.
import { DAY, daily, useUplot } from '../useUplot';
import type { MetricCounts, MetricRow } from '../../messages/types';
import { t } from '../../i18n';
import { formatFixed } from '../../format';

type Kind = 'volume' | 'rates';

const SERIES: Record<Kind, { key: keyof MetricCounts; readonly label: string; color: string }[]> = {
  volume: [
    {
      key: 'sent',
      get label() {
        return t('analytics.sent');
      },
      color: '#4f6bed',
    },
    {
      key: 'delivered',
      get label() {
        return t('analytics.delivered');
      },
      color: '#12b76a',
    },
    {
      key: 'opens',
      get label() {
        return t('chart.opens');
      },
      color: '#f79009',
    },
    {
      key: 'clicks',
      get label() {
        return t('chart.clicks');
      },
      color: '#7a5af8',
    },
  ],
  rates: [
    {
      key: 'deliveryRate',
      get label() {
        return t('chart.deliveryRate');
      },
      color: '#12b76a',
    },
    {
      key: 'openRate',
      get label() {
        return t('chart.openRate');
      },
      color: '#f79009',
    },
    {
      key: 'clickRate',
      get label() {
        return t('chart.clickRate');
      },
      color: '#7a5af8',
    },
    {
      key: 'conversionRate',
      get label() {
        return t('chart.conversionRate');
      },
      color: '#0ba5ec',
    },
    {
      key: 'unsubscribeRate',
      get label() {
        return t('chart.unsubscribeRate');
      },
      color: '#d92d20',
    },
  ],
};

/** Whole-number ticks for message counts. */
const COUNT_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7,
];

const toSeconds = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/** One point per day from `from` to `to`; days without a row: zero messages, no rate. */
function dense(rows: MetricRow[], from: string, to: string, kind: Kind): (number | null)[][] {
  const byDay = new Map(rows.map((r) => [toSeconds(r.key), r]));
  const xs: number[] = [];
  for (let t = toSeconds(from); t <= toSeconds(to); t += DAY) xs.push(t);
  const ys = SERIES[kind].map(({ key }) =>
    xs.map((t) => {
      const v = byDay.get(t)?.[key];
      if (kind === 'rates') return typeof v === 'number' ? v * 100 : null;
      return typeof v === 'number' ? v : 0;
    }),
  );
  return [xs, ...ys];
}

export function MetricsChart({ rows, from, to, kind }: { rows: MetricRow[]; from: string; to: string; kind: Kind }) {
  const box = useUplot(() => {
    if (!Number.isFinite(toSeconds(from)) || !Number.isFinite(toSeconds(to)) || from > to) return null;
    const pct = kind === 'rates';
    return {
      height: 240,
      minWidth: 240,
      data: dense(rows, from, to, kind) as [number[], ...(number | null)[][]],
      options: {
        tzDate: daily.tzDate,
        scales: {
          x: daily.x,
          y: { range: (_u, _min, max) => [0, pct ? Math.max(10, Math.min(100, max * 1.15)) : Math.max(1, max * 1.1)] },
        },
        axes: [
          daily.axis,
          {
            stroke: '#6b7280',
            grid: { stroke: '#eef0f3' },
            size: 50,
            ...(pct ? {} : { incrs: COUNT_STEPS }),
            values: (_u, s) => s.map((v) => (pct ? `${v}%` : String(v))),
          },
        ],
        series: [
          daily.series,
          ...SERIES[kind].map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            spanGaps: false,
            // rates are missing on days without messages: points keep single days visible
            points: { show: pct, size: 5 },
            value: (_u: unknown, v: number | null) =>
              v == null ? '—' : pct ? `${formatFixed(v, 1)}%` : formatFixed(v, 0),
          })),
        ],
      },
    };
  }, [rows, from, to, kind]);
  return <div className="chart" ref={box} data-testid={`metrics-chart-${kind}`} />;
}
