// "Customer runs" panel: a customer's runs of this journey (by user id or customer id), each with its step history
// and the messages the run asked for — sent, or not sent and why — at their step.
import { useState, type FormEvent } from 'react';
import { apiGet, apiPath } from '../../api';
import { EMPTY, formatDate, formatValue } from '../../format';
import type { JourneyRun } from '../../journeys/types';
import { RecentMessages } from '../messages/RecentMessages';

export function CustomerRuns({ journeyId }: { journeyId: string }) {
  const [customer, setCustomer] = useState('');
  const [runs, setRuns] = useState<JourneyRun[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  async function show(e: FormEvent) {
    e.preventDefault();
    const who = customer.trim();
    if (!who) return;
    setLoading(true);
    setError(null);
    try {
      const res = await apiGet<{ runs: JourneyRun[] }>(apiPath(`/journeys/${encodeURIComponent(journeyId)}/runs`, { customer: who, limit: 50 }));
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
      <h2 id="customer-runs-title">Customer runs</h2>
      <form className="search journey-runs-form" onSubmit={show}>
        <input type="text" aria-label="Customer (user id or customer id)" placeholder="user id or customer id" value={customer} onChange={(e) => setCustomer(e.target.value)} />
        <button type="submit" className="button" disabled={loading || !customer.trim()}>
          Show runs
        </button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {runs && runs.length === 0 && <p className="muted empty" data-testid="runs-empty">No runs of this journey for this customer.</p>}
      {runs?.map((run) => (
        <div key={run.id} className="journey-run" data-testid="journey-run">
          <p className="ids">
            <span>Run {run.id}</span>
            <span className={`tag status-${run.status}`} data-testid="run-status">{run.status}</span>
            <span>version {run.version}</span>
            {run.entryKey && <span>key {run.entryKey}</span>}
            <span>at step <strong>{run.stepId}</strong></span>
            <span>started {formatDate(run.startedAt)}</span>
            {run.endedAt ? <span>ended {formatDate(run.endedAt)}</span> : run.wakeAt && <span>wakes {formatDate(run.wakeAt)}</span>}
          </p>
          <table className="table">
            <thead>
              <tr>
                <th>Step</th>
                <th>Type</th>
                <th>Outcome</th>
                <th>Time</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {run.history.map((h, i) => (
                <tr key={i} data-testid="run-history-row">
                  <td>{h.stepId}</td>
                  <td>{h.type}</td>
                  <td>{h.outcome}</td>
                  <td className="nowrap">{formatDate(h.at)}</td>
                  <td className="detail">{h.detail === null || h.detail === undefined ? EMPTY : formatValue(h.detail)}</td>
                </tr>
              ))}
              {run.history.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">No step finished yet.</td>
                </tr>
              )}
            </tbody>
          </table>
          <RecentMessages run={run.id} title="Messages of this run" />
        </div>
      ))}
    </section>
  );
}
