// Message metrics as a table: one row per journey, step, channel, template, variant or day, with counts, revenue (in
// the report's currency, amounts without a rate apart), the five rates and totals.
import { formatNumber, formatPercent } from '../../format';
import type { MetricCounts, MetricRow } from '../../messages/types';
import type { MoneyNote } from '../../money';
import { Money } from '../money/Money';

const RATES: { key: keyof MetricCounts; label: string }[] = [
  { key: 'deliveryRate', label: 'Delivery' },
  { key: 'openRate', label: 'Open' },
  { key: 'clickRate', label: 'Click' },
  { key: 'conversionRate', label: 'Conv.' },
  { key: 'unsubscribeRate', label: 'Unsub.' },
];

function Cells({ m, money }: { m: MetricCounts; money: MoneyNote }) {
  return (
    <>
      <td className="num">{formatNumber(m.sent)}</td>
      <td className="num">{formatNumber(m.delivered)}</td>
      <td className="num">{formatNumber(m.opens)}</td>
      <td className="num">{formatNumber(m.clicks)}</td>
      <td className="num">{formatNumber(m.conversions)}</td>
      <td className="num"><Money figure={m} note={money} /></td>
      {RATES.map((r) => (
        <td key={r.key} className="num">{formatPercent(m[r.key] as number | null)}</td>
      ))}
    </>
  );
}

export function MetricsTable({ rows, totals, money, dimension, testId }: { rows: MetricRow[]; totals: MetricCounts; money: MoneyNote; dimension: string; testId?: string }) {
  if (rows.length === 0) return <p className="muted empty">No messages in this range.</p>;
  return (
    <table className="table metrics-table" data-testid={testId}>
      <thead>
        <tr>
          <th colSpan={7} aria-hidden="true" />
          <th colSpan={RATES.length} className="rates-head">Rates</th>
        </tr>
        <tr>
          <th>{dimension}</th>
          <th className="num">Sent</th>
          <th className="num">Delivered</th>
          <th className="num">Opens</th>
          <th className="num">Clicks</th>
          <th className="num">Conversions</th>
          <th className="num">Revenue ({money.currency})</th>
          {RATES.map((r) => (
            <th key={r.key} className="num" aria-label={`${r.label} rate`}>{r.label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td title={r.key} className={dimension === 'Day' ? 'nowrap' : undefined}>{r.label || r.key}</td>
            <Cells m={r} money={money} />
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <Cells m={totals} money={money} />
        </tr>
      </tfoot>
    </table>
  );
}
