// Lift over the control group: all marketing together and each marketing journey (and journeys' holdout steps), on the
// metric picked: bars with 95 % intervals, then a table with both arms, the difference, the incremental total and the
// verdict in words; the heavy-tail check is named when it disagrees. CSV export of the table.
import { useState } from 'react';
import { t } from '../../i18n';
import { formatNumber, formatPercent } from '../../format';
import { useReports } from '../../results/useReports';
import { experimentName } from '../../results/names';
import { liftMetricName, liftValue, verdictText, type LiftMetric } from '../../results/words';
import { DifferenceCell } from './DifferenceCell';
import { ExportButton } from './ExportButton';
import { LiftBars } from './LiftBars';

const METRICS: LiftMetric[] = ['conversion', 'orders', 'revenue'];

export function LiftSection() {
  const [metric, setMetric] = useState<LiftMetric>('revenue');
  const { entries, error } = useReports(['control_group', 'journey', 'holdout']);
  const rows = (entries ?? []).map((e) => {
    const treated = e.report?.arms.find((a) => !a.control);
    const control = e.report?.arms.find((a) => a.control);
    const cell = treated?.metrics[metric];
    return { e, treated, control, cell, vs: cell?.vsControl ?? null, currency: e.report?.currency?.base };
  });
  const window = entries?.find((e) => e.report?.window)?.report?.window;
  return (
    <section className="card" data-testid="lift">
      <div className="card-head">
        <h2>{t('results.lift.title')}</h2>
        <div className="toggle" role="tablist" aria-label={t('results.lift.metric')}>
          {METRICS.map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              data-testid={`lift-metric-${m}`}
              aria-selected={m === metric}
              className={m === metric ? 'on' : undefined}
              onClick={() => setMetric(m)}
            >
              {liftMetricName(m)}
            </button>
          ))}
        </div>
      </div>
      {error && <p className="error">{error}</p>}
      {!entries && !error && <p className="muted">{t('common.loading')}</p>}
      {window && (
        <p className="muted">
          {t('results.lift.window', {
            from: window.from.slice(0, 10),
            until: window.until.slice(0, 10),
            days: window.days,
          })}
        </p>
      )}
      {entries && (
        <>
          <LiftBars
            bars={rows.map((r) => ({
              id: r.e.experiment.id,
              label: experimentName(r.e.experiment),
              lift: r.vs?.relativeLift ?? null,
              low: r.vs?.relativeInterval.low ?? null,
              high: r.vs?.relativeInterval.high ?? null,
            }))}
          />
          <div className="table-scroll">
            <table className="table results-table" data-testid="lift-table" data-metric={metric}>
              <thead>
                <tr>
                  <th>{t('results.lift.experiment')}</th>
                  <th className="num">{t('results.lift.treated')}</th>
                  <th className="num">{t('results.lift.control')}</th>
                  <th className="num">{t('results.lift.treatedValue')}</th>
                  <th className="num">{t('results.lift.controlValue')}</th>
                  <th className="num">{t('results.lift.difference')}</th>
                  <th className="num">{t('results.lift.relative')}</th>
                  <th>{t('results.lift.verdict')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ e, treated, control, cell, vs, currency }) => (
                  <tr
                    key={e.experiment.id}
                    data-testid="lift-row"
                    data-id={e.experiment.id}
                    data-verdict={vs?.verdict.kind ?? ''}
                  >
                    <td>
                      <span data-server-words>{experimentName(e.experiment)}</span>
                    </td>
                    {e.report && treated && control && cell ? (
                      <>
                        <td className="num" data-testid="lift-treated-n">
                          {formatNumber(treated.n)}
                        </td>
                        <td className="num" data-testid="lift-control-n">
                          {formatNumber(control.n)}
                        </td>
                        <td className="num" data-testid="lift-treated-value">
                          {liftValue(metric, cell.value, currency)}
                        </td>
                        <td className="num" data-testid="lift-control-value">
                          {liftValue(metric, control.metrics[metric]!.value, currency)}
                        </td>
                        <DifferenceCell metric={metric} vs={vs} currency={currency} testId="lift-difference" />
                        <td className="num" data-testid="lift-relative">
                          {vs ? formatPercent(vs.relativeLift) : '—'}
                        </td>
                        <td data-testid="lift-verdict">
                          {vs ? verdictText(vs, metric, currency) : '—'}
                          {cell.robustness && !cell.robustness.agrees && (
                            <small className="warning" data-testid="lift-heavy-tails">
                              {t('results.lift.heavyTails')}
                            </small>
                          )}
                        </td>
                      </>
                    ) : (
                      <td colSpan={7} className="muted" data-testid="lift-missing">
                        {e.report ? t('results.lift.noArms') : t('results.lift.noControlYet')}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ExportButton
            name={`lift-${metric}`}
            testId="lift-csv"
            rows={() => [
              [
                t('results.lift.experiment'),
                t('results.lift.treated'),
                t('results.lift.control'),
                t('results.lift.treatedValue'),
                t('results.lift.controlValue'),
                t('results.lift.difference'),
                t('results.csv.low'),
                t('results.csv.high'),
                t('results.lift.relative'),
                t('results.csv.relativeLow'),
                t('results.csv.relativeHigh'),
                t('results.csv.pValue'),
                t('results.csv.incremental'),
                t('results.lift.verdict'),
              ],
              ...rows.map(({ e, treated, control, cell, vs, currency }) => [
                experimentName(e.experiment),
                treated?.n,
                control?.n,
                cell?.value,
                control?.metrics[metric]?.value,
                vs?.difference,
                vs?.interval.low,
                vs?.interval.high,
                vs?.relativeLift,
                vs?.relativeInterval.low,
                vs?.relativeInterval.high,
                vs?.pValue,
                vs?.incremental,
                vs ? verdictText(vs, metric, currency) : null,
              ]),
            ]}
          />
        </>
      )}
    </section>
  );
}
