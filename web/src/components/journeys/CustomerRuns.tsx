// "Customer runs" panel: a customer's runs of this journey (by user id or customer id), each with its step history
// and the messages the run asked for — sent, or not sent and why — at their step.
import { useState, type FormEvent } from 'react';
import { apiGet, apiPath } from '../../api';
import { EMPTY, formatDate, formatValue } from '../../format';
import type { JourneyRun } from '../../journeys/types';
import { RecentMessages } from '../messages/RecentMessages';
import { t } from '../../i18n';
import { statusName } from '../../i18n/terms';

export function CustomerRuns({ journeyId }: { journeyId: string }) {
  const [customer, setCustomer] = useState('');
  const [runs, setRuns] = useState<JourneyRun[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  // Never rejects (a failure becomes the form's error), so the form calls it with `void`.
  async function show(e: FormEvent) {
    e.preventDefault();
    const who = customer.trim();
    if (!who) return;
    setLoading(true);
    setError(null);
    try {
      const res = await apiGet<{ runs: JourneyRun[] }>(
        apiPath(`/journeys/${encodeURIComponent(journeyId)}/runs`, { customer: who, limit: 50 }),
      );
      setRuns(res.runs);
    } catch (err) {
      setRuns(null);
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoading(false);
    }
  }

  return (
    <section className="card" aria-labelledby="customer-runs-title">
      <h2 id="customer-runs-title">{t('runs.title')}</h2>
      <form className="search journey-runs-form" onSubmit={(e) => void show(e)}>
        <input
          type="text"
          aria-label={t('runs.customerLabel')}
          placeholder={t('runs.customerPlaceholder')}
          value={customer}
          onChange={(e) => setCustomer(e.target.value)}
        />
        <button type="submit" className="button" disabled={loading || !customer.trim()}>
          {t('runs.show')}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {runs && runs.length === 0 && (
        <p className="muted empty" data-testid="runs-empty">
          {t('runs.none')}
        </p>
      )}
      {runs?.map((run) => (
        <div key={run.id} className="journey-run" data-testid="journey-run">
          <p className="ids">
            <span>{t('runs.run', { id: run.id })}</span>
            <span className={`tag status-${run.status}`} data-testid="run-status">
              {statusName(run.status)}
            </span>
            <span>{t('journey.version', { version: run.version })}</span>
            {run.entryKey && <span>key {run.entryKey}</span>}
            <span>
              {t('runs.atStep')} <strong>{run.stepId}</strong>
            </span>
            <span>{t('runs.started', { when: formatDate(run.startedAt) })}</span>
            {run.endedAt ? (
              <span>{t('runs.ended', { when: formatDate(run.endedAt) })}</span>
            ) : (
              run.wakeAt && <span>{t('activity.wakes', { when: formatDate(run.wakeAt) })}</span>
            )}
          </p>
          <table className="table">
            <thead>
              <tr>
                <th>{t('activity.step')}</th>
                <th>{t('common.type')}</th>
                <th>{t('runs.outcome')}</th>
                <th>{t('overview.time')}</th>
                <th>{t('runs.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {run.history.map((h, i) => (
                <tr key={i} data-testid="run-history-row">
                  <td>{h.stepId}</td>
                  <td>{h.type}</td>
                  <td>{h.outcome}</td>
                  <td className="nowrap">{formatDate(h.at)}</td>
                  <td className="detail">
                    {h.detail === null || h.detail === undefined ? EMPTY : formatValue(h.detail)}
                  </td>
                </tr>
              ))}
              {run.history.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">
                    {t('runs.noStep')}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <RecentMessages run={run.id} title={t('runs.messages')} />
        </div>
      ))}
    </section>
  );
}
