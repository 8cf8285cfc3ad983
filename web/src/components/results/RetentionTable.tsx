// Retention metrics per month or quarter: one row per metric (its definition as the hint), one column per period;
// the models' 12-month CLV under it; CSV export.
import { useState } from 'react';
import { apiPath } from '../../api';
import { useApi } from '../../useApi';
import { t } from '../../i18n';
import { formatNumber } from '../../format';
import { formatAmount } from '../../money';
import type { RetentionResponse } from '../../results/types';
import { RETENTION_METRICS, retentionValue, retentionWords } from '../../results/words';
import { ExportButton } from './ExportButton';
import { periodLabel } from './periodLabel';

/** `currency`: only the orders in it; '' for every order, converted to the base currency. */
export function RetentionTable({ currency }: { currency: string }) {
  const [period, setPeriod] = useState<'month' | 'quarter'>('month');
  const { data, error } = useApi<RetentionResponse>(apiPath('/measure/retention', { period, currency }));
  const periods = data?.periods ?? [];
  return (
    <section className="card" data-testid="retention">
      <div className="card-head">
        <h2>{t('results.retention.title')}</h2>
        <div className="toggle" role="tablist" aria-label={t('results.retention.period')}>
          <button
            type="button"
            role="tab"
            aria-selected={period === 'month'}
            className={period === 'month' ? 'on' : undefined}
            onClick={() => setPeriod('month')}
          >
            {t('results.retention.month')}
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={period === 'quarter'}
            className={period === 'quarter' ? 'on' : undefined}
            onClick={() => setPeriod('quarter')}
          >
            {t('results.retention.quarter')}
          </button>
        </div>
      </div>
      {error && <p className="error">{error}</p>}
      {!data && !error && <p className="muted">{t('common.loading')}</p>}
      {data && periods.length === 0 && <p className="muted">{t('results.retention.none')}</p>}
      {data && periods.length > 0 && (
        <>
          <p className="muted">{t('results.retention.note', { currency: data.currency, zone: data.zone })}</p>
          <div className="table-scroll">
            <table className="table results-table" data-testid="retention-table" data-period={data.period}>
              <thead>
                <tr>
                  <th>{t('results.retention.metric')}</th>
                  {periods.map((p) => (
                    <th key={p.period} className="num">
                      {periodLabel(p.period, data.period)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {RETENTION_METRICS.map((m) => {
                  const words = retentionWords(m);
                  return (
                    <tr key={m} data-testid={`retention-${m}`}>
                      <td title={words.definition} className="hint">
                        <strong>{words.name}</strong>
                        <small className="metric-definition">{words.definition}</small>
                      </td>
                      {periods.map((p) => (
                        <td key={p.period} className="num" data-value={p[m] ?? ''}>
                          {retentionValue(p, m, data.currency)}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p data-testid="retention-clv">
            {data.clv.mean === null
              ? t('results.retention.noClv')
              : t('results.retention.clv', {
                  amount: formatAmount(data.clv.mean, data.currency),
                  customers: formatNumber(data.clv.customers),
                  count: data.clv.customers,
                })}
          </p>
          {data.unconvertedOrders > 0 && (
            <p className="muted">{t('results.unconverted', { count: data.unconvertedOrders })}</p>
          )}
          <ExportButton
            name={`retention-${data.period}`}
            testId="retention-csv"
            rows={() => [
              [t('results.retention.metric'), ...periods.map((p) => p.period)],
              ...RETENTION_METRICS.map((m) => [retentionWords(m).name, ...periods.map((p) => p[m])]),
            ]}
          />
        </>
      )}
    </section>
  );
}
