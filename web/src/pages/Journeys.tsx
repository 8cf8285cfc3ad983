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
import { t } from '../i18n';
import { triggerTitle } from '../journeys/steps';

export function Journeys() {
  const { data, error } = useApi<{ journeys: JourneySummary[] }>(apiPath('/journeys'));
  const journeys = data?.journeys;
  return (
    <>
      <div className="card-head">
        <h1>{t('nav.journeys')}</h1>
        <a className="button" href="#/journeys/new">
          {t('title.newJourney')}
        </a>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <section className="card">
        {!journeys && !error && <p className="muted">{t('common.loading')}</p>}
        {journeys && journeys.length === 0 && (
          <p className="muted empty" data-testid="journeys-empty">
            {t('journeys.noneBefore')} <a href="#/journeys/new">{t('journeys.fromScratch')}</a>.
          </p>
        )}
        {journeys && journeys.length > 0 && (
          <table className="table" data-testid="journeys-table">
            <thead>
              <tr>
                <th>{t('common.name')}</th>
                <th>{t('common.status')}</th>
                <th>{t('journey.trigger')}</th>
                <th className="num">{t('journeys.version')}</th>
                <th className="num">{t('journeys.activeRuns')}</th>
                <th className="num">{t('journeys.totalRuns')}</th>
                <th>{t('common.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {journeys.map((j) => (
                <tr key={j.id} data-testid="journey-row">
                  <td>
                    <a href={journeyHref(j.id)} data-testid="journey-name">
                      {j.name}
                    </a>
                    {j.purpose === 'transactional' && <span className="muted"> · {t('journeys.transactional')}</span>}
                  </td>
                  <td data-testid="journey-row-status">
                    <StatusBadge status={j.status} />
                  </td>
                  <td>{triggerTitle(j.triggerType)}</td>
                  <td className="num">
                    {j.version}
                    {j.activeVersion !== null && j.activeVersion !== j.version && (
                      <span className="muted"> {t('journeys.activeVersion', { version: j.activeVersion })}</span>
                    )}
                  </td>
                  <td className="num" data-testid="journey-active-runs">
                    {formatNumber(j.activeRuns)}
                  </td>
                  <td className="num" data-testid="journey-total-runs">
                    {formatNumber(j.totalRuns)}
                  </td>
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
