// Journeys page: every journey with its status, trigger, version and runs, the way to a new one, and the gallery of
// ready-made journeys.
import { useApi } from '../useApi';
import { formatDate, formatNumber } from '../format';
import { journeyHref } from '../router';
import { apiPath } from '../api';
import { StatusBadge } from '../components/journeys/JourneyToolbar';
import { Gallery } from '../components/journeys/Gallery';
import type { JourneySummary } from '../journeys/types';
import '../segments.css';
import '../journeys.css';

export function Journeys() {
  const { data, error } = useApi<{ journeys: JourneySummary[] }>(apiPath('/journeys'));
  const journeys = data?.journeys;
  return (
    <>
      <div className="card-head">
        <h1>Journeys</h1>
        <a className="button" href="#/journeys/new">
          New journey
        </a>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <section className="card">
        {!journeys && !error && <p className="muted">Loading…</p>}
        {journeys && journeys.length === 0 && (
          <p className="muted empty" data-testid="journeys-empty">
            No journeys yet: start from a recipe below, or <a href="#/journeys/new">build one from scratch</a>.
          </p>
        )}
        {journeys && journeys.length > 0 && (
          <table className="table" data-testid="journeys-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Trigger</th>
                <th className="num">Version</th>
                <th className="num">Active runs</th>
                <th className="num">Total runs</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {journeys.map((j) => (
                <tr key={j.id} data-testid="journey-row">
                  <td>
                    <a href={journeyHref(j.id)} data-testid="journey-name">{j.name}</a>
                    {j.purpose === 'transactional' && <span className="muted"> · transactional</span>}
                  </td>
                  <td data-testid="journey-row-status"><StatusBadge status={j.status} /></td>
                  <td>{j.triggerType}</td>
                  <td className="num">
                    {j.version}
                    {j.activeVersion !== null && j.activeVersion !== j.version && <span className="muted"> ({j.activeVersion} active)</span>}
                  </td>
                  <td className="num" data-testid="journey-active-runs">{formatNumber(j.activeRuns)}</td>
                  <td className="num" data-testid="journey-total-runs">{formatNumber(j.totalRuns)}</td>
                  <td className="nowrap">{formatDate(j.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Gallery />
    </>
  );
}
