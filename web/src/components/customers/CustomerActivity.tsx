// A customer's place in the shop's marketing, on the profile: the segments they are in, their journey runs (each
// with the messages of that run), their consents in force with the whole audit trail, and every message to them.
import { apiPath } from '../../api';
import { EMPTY, formatDate } from '../../format';
import { journeyHref, segmentHref } from '../../router';
import { useApi } from '../../useApi';
import { RecentMessages } from '../messages/RecentMessages';
import type { JourneyRun } from '../../journeys/types';
import type { ConsentRecord, ConsentState } from '../../../../src/consent/types.ts';
import { t } from '../../i18n';
import { statusName } from '../../i18n/terms';

type Dated<T> = Omit<T, 'at' | 'confirmedAt'> & { at: string; confirmedAt?: string | null };
interface ConsentsResponse {
  state: Dated<ConsentState>[];
  trail: Dated<ConsentRecord>[];
}

const what = (c: { channel: string; purpose: string; topic: string }) =>
  c.topic ? t('consent.topic', { topic: c.topic }) : `${c.channel} · ${c.purpose}`;

export function CustomerSegments({ segments }: { segments: { id: string; name: string; enteredAt: string }[] }) {
  return (
    <section className="card" data-testid="customer-segments">
      <h2>{t('nav.segments')}</h2>
      {segments.length === 0 ? (
        <p className="muted empty">{t('activity.noSegment')}</p>
      ) : (
        <ul className="plain-list">
          {segments.map((s) => (
            <li key={s.id} data-testid="customer-segment">
              <a href={segmentHref(s.id)}>{s.name}</a>{' '}
              <span className="muted">{t('activity.since', { when: formatDate(s.enteredAt) })}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function CustomerJourneys({ customerId }: { customerId: string }) {
  const { data, error } = useApi<{ runs: (JourneyRun & { journeyId: string })[] }>(
    apiPath(`/customers/${encodeURIComponent(customerId)}/journeys`),
  );
  return (
    <section className="card" data-testid="customer-journeys">
      <h2>{t('nav.journeys')}</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!data && !error && <p className="muted">{t('common.loading')}</p>}
      {data && data.runs.length === 0 && <p className="muted empty">{t('activity.noJourney')}</p>}
      {data && data.runs.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>{t('title.journey')}</th>
                <th>{t('common.status')}</th>
                <th>{t('activity.step')}</th>
                <th>{t('activity.started')}</th>
                <th>{t('activity.ended')}</th>
              </tr>
            </thead>
            <tbody>
              {data.runs.map((r) => (
                <tr key={r.id} data-testid="customer-run">
                  <td>
                    <a href={journeyHref(r.journeyId)}>{r.journeyId}</a>
                  </td>
                  <td>
                    <span className={`tag status-${r.status}`}>{statusName(r.status)}</span>
                  </td>
                  <td>{r.stepId}</td>
                  <td className="nowrap">{formatDate(r.startedAt)}</td>
                  <td className="nowrap">
                    {r.endedAt
                      ? formatDate(r.endedAt)
                      : r.wakeAt
                        ? t('activity.wakes', { when: formatDate(r.wakeAt) })
                        : EMPTY}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function CustomerConsents({ customerId }: { customerId: string }) {
  const { data, error } = useApi<ConsentsResponse>(apiPath(`/customers/${encodeURIComponent(customerId)}/consents`));
  return (
    <section className="card" data-testid="customer-consents">
      <h2>{t('activity.consents')}</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!data && !error && <p className="muted">{t('common.loading')}</p>}
      {data && data.state.length === 0 && <p className="muted empty">{t('activity.noConsent')}</p>}
      {data && data.state.length > 0 && (
        <ul className="plain-list">
          {data.state.map((c) => (
            <li key={`${c.channel}:${c.purpose}:${c.topic}`} data-testid="consent-state">
              <strong>{what(c)}</strong>:{' '}
              {c.granted ? (c.confirmed ? t('consent.grantedConfirmed') : t('consent.granted')) : t('consent.refused')}{' '}
              <span className="muted">
                {t('activity.since', { when: formatDate(c.at) })} ({c.source})
              </span>
            </li>
          ))}
        </ul>
      )}
      {data && data.trail.length > 0 && (
        <details>
          <summary>{t('consent.auditTrail', { count: data.trail.length })}</summary>
          <div className="table-scroll">
            <table className="table" data-testid="consent-trail">
              <thead>
                <tr>
                  <th>{t('overview.time')}</th>
                  <th>{t('consent.consent')}</th>
                  <th>{t('consent.act')}</th>
                  <th>{t('consent.source')}</th>
                  <th>{t('consent.ip')}</th>
                  <th>{t('consent.textVersion')}</th>
                </tr>
              </thead>
              <tbody>
                {data.trail.map((c, i) => (
                  <tr key={i} data-testid="consent-trail-row">
                    <td className="nowrap">{formatDate(c.at)}</td>
                    <td>{what(c)}</td>
                    <td>
                      {c.granted ? t('consent.granted') : t('consent.revoked')}
                      {c.confirmedAt ? t('consent.confirmedAt', { when: formatDate(c.confirmedAt) }) : ''}
                    </td>
                    <td>{c.source}</td>
                    <td>{c.ip ?? EMPTY}</td>
                    <td>{c.textVersion ?? EMPTY}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </section>
  );
}

export function CustomerMessages({ customerId }: { customerId: string }) {
  return <RecentMessages customer={customerId} title={t('nav.messages')} />;
}
