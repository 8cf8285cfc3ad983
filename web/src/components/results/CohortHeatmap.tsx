// The cohort heatmap: customers by month of first order (rows) × months since (columns), each cell the share of the
// cohort still buying or their revenue, shaded by value; CSV export of what is shown.
import { useState } from 'react';
import { apiPath } from '../../api';
import { useApi } from '../../useApi';
import { t } from '../../i18n';
import { formatNumber, formatPercent } from '../../format';
import { formatAmount } from '../../money';
import type { CohortResponse } from '../../results/types';
import { ExportButton } from './ExportButton';
import { periodLabel } from './periodLabel';

type Show = 'share' | 'revenue';

/** `currency`: only the orders in it; '' for every order, converted to the base currency. */
export function CohortHeatmap({ currency }: { currency: string }) {
  const [show, setShow] = useState<Show>('share');
  const { data, error } = useApi<CohortResponse>(apiPath('/measure/cohorts', { currency }));
  const cohorts = data?.cohorts ?? [];
  const width = Math.max(0, ...cohorts.map((c) => c.months.length));
  const value = (m: { share: number; revenue: number }) => (show === 'share' ? m.share : m.revenue);
  const top = Math.max(0, ...cohorts.flatMap((c) => c.months.slice(show === 'share' ? 1 : 0).map(value)));
  return (
    <section className="card" data-testid="cohorts">
      <div className="card-head">
        <h2>{t('results.cohorts.title')}</h2>
        <div className="toggle" role="tablist" aria-label={t('results.cohorts.show')}>
          <button
            type="button"
            role="tab"
            data-testid="cohorts-share"
            aria-selected={show === 'share'}
            className={show === 'share' ? 'on' : undefined}
            onClick={() => setShow('share')}
          >
            {t('results.cohorts.share')}
          </button>
          <button
            type="button"
            role="tab"
            data-testid="cohorts-revenue"
            aria-selected={show === 'revenue'}
            className={show === 'revenue' ? 'on' : undefined}
            onClick={() => setShow('revenue')}
          >
            {t('results.cohorts.revenue')}
          </button>
        </div>
      </div>
      {error && <p className="error">{error}</p>}
      {!data && !error && <p className="muted">{t('common.loading')}</p>}
      {data && cohorts.length === 0 && <p className="muted">{t('results.cohorts.none')}</p>}
      {data && cohorts.length > 0 && (
        <>
          <p className="muted">{t('results.cohorts.note')}</p>
          <div className="table-scroll">
            <table className="table heatmap" data-testid="cohort-table" data-show={show}>
              <thead>
                <tr>
                  <th>{t('results.cohorts.cohort')}</th>
                  <th className="num">{t('results.cohorts.customers')}</th>
                  {Array.from({ length: width }, (_, k) => (
                    <th key={k} className="num">
                      {t('results.cohorts.month', { k })}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {cohorts.map((c) => (
                  <tr key={c.cohort} data-testid="cohort-row" data-cohort={c.cohort}>
                    <th scope="row">{periodLabel(c.cohort, 'month')}</th>
                    <td className="num">{formatNumber(c.customers)}</td>
                    {Array.from({ length: width }, (_, k) => {
                      const m = c.months[k];
                      if (!m) return <td key={k} />;
                      const v = value(m);
                      const shade = top > 0 ? Math.min(1, v / top) : 0;
                      return (
                        <td
                          key={k}
                          className="num cell"
                          data-value={v}
                          style={{
                            background: `rgba(79, 107, 237, ${(0.08 + 0.72 * shade).toFixed(3)})`,
                            color: shade > 0.6 ? '#fff' : undefined,
                          }}
                        >
                          {show === 'share' ? formatPercent(v) : formatAmount(v, data.currency)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ExportButton
            name={`cohorts-${show}`}
            testId="cohorts-csv"
            rows={() => [
              [
                t('results.cohorts.cohort'),
                t('results.cohorts.customers'),
                ...Array.from({ length: width }, (_, k) => t('results.cohorts.month', { k })),
              ],
              ...cohorts.map((c) => [
                c.cohort,
                c.customers,
                ...Array.from({ length: width }, (_, k) => (c.months[k] ? value(c.months[k]!) : null)),
              ]),
            ]}
          />
        </>
      )}
    </section>
  );
}
