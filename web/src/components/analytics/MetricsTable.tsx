// Message metrics as a table: one row per journey, step, channel, template, variant or day, with counts, revenue (in
// the report's currency, amounts without a rate apart), the five rates and totals.
import { formatNumber, formatPercent } from '../../format';
import type { MetricCounts, MetricRow } from '../../messages/types';
import type { MoneyNote } from '../../money';
import { Money } from '../money/Money';
import { t } from '../../i18n';

const RATES: { key: keyof MetricCounts; readonly label: string }[] = [
  {
    key: 'deliveryRate',
    get label() {
      return t('table.delivery');
    },
  },
  {
    key: 'openRate',
    get label() {
      return t('table.open');
    },
  },
  {
    key: 'clickRate',
    get label() {
      return t('table.click');
    },
  },
  {
    key: 'conversionRate',
    get label() {
      return t('table.conv');
    },
  },
  {
    key: 'unsubscribeRate',
    get label() {
      return t('table.unsub');
    },
  },
];

function Cells({ m, money }: { m: MetricCounts; money: MoneyNote }) {
  return (
    <>
      <td className="num">{formatNumber(m.sent)}</td>
      <td className="num">{formatNumber(m.delivered)}</td>
      <td className="num">{formatNumber(m.opens)}</td>
      <td className="num">{formatNumber(m.clicks)}</td>
      <td className="num">{formatNumber(m.conversions)}</td>
      <td className="num">
        <Money figure={m} note={money} />
      </td>
      {RATES.map((r) => (
        <td key={r.key} className="num">
          {formatPercent(m[r.key] as number | null)}
        </td>
      ))}
    </>
  );
}

export function MetricsTable({
  rows,
  totals,
  money,
  dimension,
  testId,
}: {
  rows: MetricRow[];
  totals: MetricCounts;
  money: MoneyNote;
  dimension: string;
  testId?: string;
}) {
  if (rows.length === 0) return <p className="muted empty">{t('table.none')}</p>;
  return (
    <table className="table metrics-table" data-testid={testId}>
      <thead>
        <tr>
          <th colSpan={7} aria-hidden="true" />
          <th colSpan={RATES.length} className="rates-head">
            {t('table.rates')}
          </th>
        </tr>
        <tr>
          <th>{dimension}</th>
          <th className="num">{t('analytics.sent')}</th>
          <th className="num">{t('analytics.delivered')}</th>
          <th className="num">{t('chart.opens')}</th>
          <th className="num">{t('chart.clicks')}</th>
          <th className="num">{t('analytics.conversions')}</th>
          <th className="num">Revenue ({money.currency})</th>
          {RATES.map((r) => (
            <th key={r.key} className="num" aria-label={t('table.rateOf', { label: r.label })}>
              {r.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td data-server-words title={r.key} className={dimension === t('chart.day') ? 'nowrap' : undefined}>
              {r.label || r.key}
            </td>
            <Cells m={r} money={money} />
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('profile.total')}</th>
          <Cells m={totals} money={money} />
        </tr>
      </tfoot>
    </table>
  );
}
