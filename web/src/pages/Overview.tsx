// Overview page: workspace totals (net revenue in the base currency, and per currency), events-per-day chart and the
// latest events; an empty workspace offers to fill itself with the demo shop.
import { useState, type ReactNode } from 'react';
import { apiPath, apiSend } from '../api';
import { EventsChart } from '../components/EventsChart';
import { Money, MoneyNoteLine } from '../components/money/Money';
import { formatDate, formatNumber } from '../format';
import { formatAmount } from '../money';
import { customerHref } from '../router';
import type { OverviewResponse } from '../types';
import { useApi } from '../useApi';
import { t } from '../i18n';

export function Overview() {
  const [round, setRound] = useState(0);
  const { data, error } = useApi<OverviewResponse>(apiPath('/stats/overview', { r: round || undefined }));

  return (
    <>
      <h1>{t('nav.overview')}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!data && !error && <p className="muted">{t('common.loading')}</p>}
      {data && data.customers === 0 && data.events === 0 && <DemoOffer onFilled={() => setRound((r) => r + 1)} />}
      {data && (
        <>
          <div className="cards">
            <Stat label={t('nav.customers')} testId="stat-customers" value={formatNumber(data.customers)} />
            <Stat label={t('overview.events')} testId="stat-events" value={formatNumber(data.events)} />
            <Stat label={t('overview.orders')} testId="stat-orders" value={formatNumber(data.orders)} />
            <Stat
              label={t('overview.netRevenue')}
              testId="stat-revenue"
              value={<Money figure={data} note={data.money} />}
            >
              {Object.keys(data.revenueByCurrency).some((c) => c !== data.money.currency) && (
                <ul className="money-parts" data-testid="revenue-by-currency">
                  {Object.entries(data.revenueByCurrency).map(([c, amount]) => (
                    <li key={c}>{formatAmount(amount, c)}</li>
                  ))}
                </ul>
              )}
            </Stat>
          </div>
          <MoneyNoteLine note={data.money} testId="overview-money-note" />
          <section className="card">
            <h2>{t('overview.eventsPerDay')}</h2>
            <EventsChart points={data.eventsPerDay} />
          </section>
          <section className="card">
            <h2>{t('overview.latestEvents')}</h2>
            {data.latestEvents.length === 0 ? (
              <p className="muted empty">{t('overview.noEvents')}</p>
            ) : (
              <table className="table" data-testid="latest-events">
                <thead>
                  <tr>
                    <th>{t('overview.time')}</th>
                    <th>{t('overview.event')}</th>
                    <th>{t('title.customer')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.latestEvents.map((e) => {
                    const who = e.userId ?? e.anonymousId ?? e.customerId;
                    return (
                      <tr key={e.id}>
                        <td className="nowrap">{formatDate(e.timestamp)}</td>
                        <td>
                          {e.type === 'track' ? (
                            (e.name ?? 'track')
                          ) : (
                            <>
                              <span className="tag">{e.type}</span>
                              {e.name ? ` ${e.name}` : ''}
                            </>
                          )}
                        </td>
                        <td>
                          {e.customerId ? (
                            <a href={customerHref(e.customerId)}>{who}</a>
                          ) : (
                            <span className="muted">{who ?? '—'}</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </>
  );
}

/** The empty workspace's offer: a generated shop with a year of customers, carts, orders and returns (POST /demo). */
function DemoOffer({ onFilled }: { onFilled: () => void }) {
  const [state, setState] = useState<'idle' | 'filling' | string>('idle');
  const fill = async () => {
    setState('filling');
    try {
      await apiSend('POST', apiPath('/demo'));
      onFilled();
    } catch (err) {
      setState((err as Error).message);
    }
  };
  return (
    <section className="card" data-testid="demo-offer">
      <h2>{t('overview.emptyTitle')}</h2>
      <p>{t('overview.emptyText')}</p>
      <button type="button" className="button" disabled={state === 'filling'} onClick={() => void fill()}>
        {state === 'filling' ? t('overview.filling') : t('overview.fillDemo')}
      </button>
      {state !== 'idle' && state !== 'filling' && (
        <p className="error" role="alert">
          {state}
        </p>
      )}
    </section>
  );
}

function Stat({
  label,
  value,
  testId,
  children,
}: {
  label: string;
  value: ReactNode;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <div className="card stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
      {children}
    </div>
  );
}
