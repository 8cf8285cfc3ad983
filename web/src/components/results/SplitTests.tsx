// A/B splits: each journey split's arms on the metric the marketer picks (conversion, revenue per recipient, click
// rate) against the first arm, with intervals, p-values and the verdict; the winner once the always-valid test allows,
// and "send all further traffic to the winner" (asks first; the journey gets a new version without the split).
import { useState } from 'react';
import { apiPath, apiSend } from '../../api';
import { t } from '../../i18n';
import { formatFixed, formatNumber } from '../../format';
import { useReports, type ReportEntry } from '../../results/useReports';
import { experimentName } from '../../results/names';
import { splitWinner } from '../../results/winner';
import { liftMetricName, liftValue, verdictText, type LiftMetric } from '../../results/words';
import { DifferenceCell } from './DifferenceCell';
import { ExportButton } from './ExportButton';

const METRICS: LiftMetric[] = ['conversion', 'revenue', 'click'];

const pValue = (p: number) => (!Number.isFinite(p) ? '—' : p < 0.0001 ? '< 0.0001' : formatFixed(p, 4));

export function SplitTests() {
  const { entries, error } = useReports(['split']);
  return (
    <section className="card" data-testid="splits">
      <h2>{t('results.splits.title')}</h2>
      {error && <p className="error">{error}</p>}
      {!entries && !error && <p className="muted">{t('common.loading')}</p>}
      {entries && entries.length === 0 && <p className="muted">{t('results.splits.none')}</p>}
      {entries?.map((e) => (
        <Split key={e.experiment.id} entry={e} />
      ))}
    </section>
  );
}

function Split({ entry }: { entry: ReportEntry }) {
  const [metric, setMetric] = useState<LiftMetric>('conversion');
  const [asking, setAsking] = useState(false);
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState<{ arm: string; version: number } | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const { experiment, report } = entry;
  const currency = report?.currency?.base;
  const winner = report ? splitWinner(report, metric) : null;

  // Never rejects (a failure becomes the section's error), so the button calls it with `void`.
  async function sendAll(arm: string) {
    setSending(true);
    setSendError(null);
    try {
      const r = await apiSend<{ journey: { version: number }; winner: string }>(
        'POST',
        apiPath(`/experiments/${encodeURIComponent(experiment.id)}/winner`),
        { arm },
      );
      setDone({ arm: r.winner, version: r.journey.version });
      setAsking(false);
    } catch (err) {
      setSendError(err instanceof Error ? err.message : String(err));
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="split" data-testid="split" data-id={experiment.id}>
      <div className="card-head">
        <h3 data-server-words>{experimentName(experiment)}</h3>
        <div className="toggle" role="tablist" aria-label={t('results.lift.metric')}>
          {METRICS.map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              data-testid={`split-metric-${m}`}
              aria-selected={m === metric}
              className={m === metric ? 'on' : undefined}
              onClick={() => setMetric(m)}
            >
              {liftMetricName(m, true)}
            </button>
          ))}
        </div>
      </div>
      {!report && <p className="muted">{entry.error ?? t('results.lift.noControlYet')}</p>}
      {report && (
        <>
          <div className="table-scroll">
            <table className="table results-table" data-testid="split-table" data-metric={metric}>
              <thead>
                <tr>
                  <th>{t('results.splits.arm')}</th>
                  <th className="num">{t('results.splits.recipients')}</th>
                  <th className="num">{liftMetricName(metric, true)}</th>
                  <th className="num">{t('results.splits.vsFirst')}</th>
                  <th className="num">{t('results.splits.pValue')}</th>
                  <th className="num">{t('results.splits.alwaysValidP')}</th>
                  <th>{t('results.lift.verdict')}</th>
                </tr>
              </thead>
              <tbody>
                {report.arms.map((a) => {
                  const cell = a.metrics[metric];
                  const vs = cell?.vsControl ?? null;
                  return (
                    <tr key={a.arm} data-testid="split-arm" data-arm={a.arm} data-verdict={vs?.verdict.kind ?? ''}>
                      <td>
                        <span data-server-words>{a.arm}</span>
                        {a.control && <small className="muted"> {t('results.splits.baseline')}</small>}
                      </td>
                      <td className="num" data-testid="split-n">
                        {formatNumber(a.n)}
                      </td>
                      <td className="num" data-testid="split-value">
                        {cell ? liftValue(metric, cell.value, currency) : '—'}
                      </td>
                      <DifferenceCell metric={metric} vs={vs} currency={currency} />
                      <td className="num" data-testid="split-p">
                        {vs ? pValue(vs.pValue) : '—'}
                      </td>
                      <td className="num">{vs ? pValue(vs.alwaysValid.pValue) : '—'}</td>
                      <td data-testid="split-verdict">{vs ? verdictText(vs, metric, currency) : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p className="muted">{t('results.splits.method')}</p>
          {done ? (
            <p className="success" data-testid="split-done">
              {t('results.splits.done', { arm: done.arm, version: done.version })}
            </p>
          ) : winner ? (
            <div className="winner" data-testid="split-winner" data-arm={winner}>
              <p>
                <strong>{t('results.splits.winner', { arm: winner })}</strong>
              </p>
              {!asking ? (
                <button type="button" className="button" data-testid="split-send-all" onClick={() => setAsking(true)}>
                  {t('results.splits.sendAll', { arm: winner })}
                </button>
              ) : (
                <div className="confirm" data-testid="split-confirm">
                  <p>{t('results.splits.confirm', { arm: winner })}</p>
                  <button
                    type="button"
                    className="button"
                    data-testid="split-confirm-yes"
                    disabled={sending}
                    onClick={() => void sendAll(winner)}
                  >
                    {t('results.splits.yes')}
                  </button>{' '}
                  <button type="button" className="button secondary" onClick={() => setAsking(false)}>
                    {t('common.cancel')}
                  </button>
                </div>
              )}
              {sendError && <p className="error">{sendError}</p>}
            </div>
          ) : (
            <p className="muted" data-testid="split-no-winner">
              {t('results.splits.noWinner')}
            </p>
          )}
          <ExportButton
            name={`split-${experiment.stepId ?? 'arms'}-${metric}`}
            testId="split-csv"
            rows={() => [
              [
                t('results.splits.arm'),
                t('results.splits.recipients'),
                liftMetricName(metric, true),
                t('results.splits.vsFirst'),
                t('results.csv.low'),
                t('results.csv.high'),
                t('results.splits.pValue'),
                t('results.splits.alwaysValidP'),
                t('results.lift.verdict'),
              ],
              ...report.arms.map((a) => {
                const vs = a.metrics[metric]?.vsControl ?? null;
                return [
                  a.arm,
                  a.n,
                  a.metrics[metric]?.value,
                  vs?.difference,
                  vs?.interval.low,
                  vs?.interval.high,
                  vs?.pValue,
                  vs?.alwaysValid.pValue,
                  vs ? verdictText(vs, metric, currency) : null,
                ];
              }),
            ]}
          />
        </>
      )}
    </div>
  );
}
