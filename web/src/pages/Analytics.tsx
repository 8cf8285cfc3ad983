// Analytics page: message metrics for a date range: volumes and rates by day (uPlot), totals, and tables by journey,
// step, channel, template and variant with the five rates and conversion revenue; then the workspace's currencies.
import { useState, type ReactNode } from 'react';
import { formatNumber, formatPercent } from '../format';
import { lastDays, useMetrics, type MetricsState } from '../messages/useMetrics';
import type { MetricDimension, MetricRow } from '../messages/types';
import { DateRange, type Range } from '../components/analytics/DateRange';
import { MetricsChart } from '../components/analytics/MetricsChart';
import { MetricsStatus } from '../components/analytics/MetricsStatus';
import { MetricsTable } from '../components/analytics/MetricsTable';
import { Money, MoneyNoteLine } from '../components/money/Money';
import { CurrencySettingsForm } from '../components/money/CurrencySettingsForm';
import { NotSent } from '../components/analytics/NotSent';
import '../segments.css';
import '../journeys.css';
import '../messages.css';
import { t } from '../i18n';

interface Table {
  by: Exclude<MetricDimension, 'day'>;
  readonly label: string;
}
const TABLES: Table[] = [
  {
    by: 'journey',
    get label() {
      return t('title.journey');
    },
  },
  {
    by: 'step',
    get label() {
      return t('activity.step');
    },
  },
  {
    by: 'channel',
    get label() {
      return t('action.channel');
    },
  },
  {
    by: 'template',
    get label() {
      return t('title.template');
    },
  },
  {
    by: 'variant',
    get label() {
      return t('analytics.variant');
    },
  },
];

export function Analytics() {
  const [range, setRange] = useState<Range>({ ...lastDays(30), attributionDays: 7 });
  const [table, setTable] = useState<Table>(TABLES[0]!);
  const [version, setVersion] = useState(0);
  const daily = useMetrics({ ...range, by: 'day' }, version);
  const grouped = useMetrics({ ...range, by: table.by }, version);

  return (
    <>
      <h1>{t('nav.analytics')}</h1>
      <section className="card">
        <DateRange value={range} onChange={setRange} />
      </section>
      {daily.state === 'unavailable' ? (
        <section className="card">
          <MetricsStatus metrics={daily} />
        </section>
      ) : (
        <Metrics daily={daily} grouped={grouped} table={table} onTable={setTable} />
      )}
      <CurrencySettingsForm onSaved={() => setVersion((v) => v + 1)} />
    </>
  );
}

function Metrics({
  daily,
  grouped,
  table,
  onTable,
}: {
  daily: MetricsState;
  grouped: MetricsState;
  table: Table;
  onTable: (t: Table) => void;
}) {
  const report = daily.state === 'ok' ? daily.data : null;
  const totals = report?.totals;
  return (
    <>
      {report && totals && (
        <div className="cards" data-testid="metrics-totals">
          <Stat label={t('analytics.sent')} value={formatNumber(totals.sent)} />
          <Stat
            label={t('analytics.delivered')}
            value={`${formatNumber(totals.delivered)} · ${formatPercent(totals.deliveryRate)}`}
          />
          <Stat
            label={t('analytics.opened')}
            value={`${formatNumber(totals.opens)} · ${formatPercent(totals.openRate)}`}
          />
          <Stat
            label={t('analytics.clicked')}
            value={`${formatNumber(totals.clicks)} · ${formatPercent(totals.clickRate)}`}
          />
          <Stat
            label={t('analytics.conversions')}
            value={
              <>
                {formatNumber(totals.conversions)} ·{' '}
                <Money figure={totals} note={report.money} testId="metrics-revenue" />
              </>
            }
          />
        </div>
      )}
      {report && <MoneyNoteLine note={report.money} testId="metrics-money-note" />}
      {daily.state === 'ok' && daily.data.outcomes && <NotSent outcomes={daily.data.outcomes} />}
      <div className="columns">
        <section className="card">
          <h2>{t('analytics.messagesByDay')}</h2>
          <MetricsStatus metrics={daily} />
          {daily.state === 'ok' && (
            <MetricsChart rows={daily.data.rows} from={daily.data.from} to={daily.data.to} kind="volume" />
          )}
        </section>
        <section className="card">
          <h2>{t('analytics.ratesByDay')}</h2>
          <MetricsStatus metrics={daily} />
          {daily.state === 'ok' && (
            <MetricsChart rows={daily.data.rows} from={daily.data.from} to={daily.data.to} kind="rates" />
          )}
        </section>
      </div>
      <section className="card">
        <div className="card-head">
          <h2>{t('analytics.byTable', { name: table.label.toLowerCase() })}</h2>
          <div className="toggle" role="tablist" aria-label={t('analytics.groupBy')}>
            {TABLES.map((tb) => (
              <button
                key={tb.by}
                type="button"
                role="tab"
                aria-selected={tb.by === table.by}
                className={tb.by === table.by ? 'on' : undefined}
                onClick={() => onTable(tb)}
              >
                {tb.label}
              </button>
            ))}
          </div>
        </div>
        <MetricsStatus metrics={grouped} />
        {grouped.state === 'ok' && (
          <MetricsTable
            rows={grouped.data.rows}
            totals={grouped.data.totals}
            money={grouped.data.money}
            dimension={table.label}
            testId={`metrics-by-${table.by}`}
          />
        )}
      </section>
      <section className="card">
        <h2>{t('analytics.daysWithMessages')}</h2>
        <MetricsStatus metrics={daily} />
        {daily.state === 'ok' && (
          <MetricsTable
            rows={activeDays(daily.data.rows)}
            totals={daily.data.totals}
            money={daily.data.money}
            dimension={t('chart.day')}
            testId="metrics-by-day"
          />
        )}
      </section>
    </>
  );
}

/** The days with anything to show, newest first (the chart has every day). */
const activeDays = (rows: MetricRow[]) =>
  rows.filter((r) => r.sent || r.opens || r.clicks || r.conversions || r.unsubscribes || r.failed).reverse();

function Stat({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="card">
      <div className="stat-label">{label}</div>
      <div className="stat-value stat-small">{value}</div>
    </div>
  );
}
