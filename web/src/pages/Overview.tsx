// Overview page: workspace totals (net revenue in the base currency, and per currency), events-per-day chart and the
// latest events.
import type { ReactNode } from 'react';
import { apiPath } from '../api';
import { EventsChart } from '../components/EventsChart';
import { Money, MoneyNoteLine } from '../components/money/Money';
import { formatDate, formatNumber } from '../format';
import { formatAmount } from '../money';
import { customerHref } from '../router';
import type { OverviewResponse } from '../types';
import { useApi } from '../useApi';

export function Overview() {
  const { data, error } = useApi<OverviewResponse>(apiPath('/stats/overview'));

  return (
    <>
      <h1>Overview</h1>
      {error && <p className="error" role="alert">{error}</p>}
      {!data && !error && <p className="muted">Loading…</p>}
      {data && (
        <>
          <div className="cards">
            <Stat label="Customers" testId="stat-customers" value={formatNumber(data.customers)} />
            <Stat label="Events" testId="stat-events" value={formatNumber(data.events)} />
            <Stat label="Orders" testId="stat-orders" value={formatNumber(data.orders)} />
            <Stat label="Net revenue" testId="stat-revenue" value={<Money figure={data} note={data.money} />}>
              {Object.keys(data.revenueByCurrency).some((c) => c !== data.money.currency) && (
                <ul className="money-parts" data-testid="revenue-by-currency">
                  {Object.entries(data.revenueByCurrency).map(([c, amount]) => <li key={c}>{formatAmount(amount, c)}</li>)}
                </ul>
              )}
            </Stat>
          </div>
          <MoneyNoteLine note={data.money} testId="overview-money-note" />
          <section className="card">
            <h2>Events per day</h2>
            <EventsChart points={data.eventsPerDay} />
          </section>
          <section className="card">
            <h2>Latest events</h2>
            {data.latestEvents.length === 0 ? (
              <p className="muted empty">No events yet.</p>
            ) : (
              <table className="table" data-testid="latest-events">
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>Event</th>
                    <th>Customer</th>
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
                            e.name ?? 'track'
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

function Stat({ label, value, testId, children }: { label: string; value: ReactNode; testId: string; children?: ReactNode }) {
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
