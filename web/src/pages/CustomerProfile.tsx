// Customer profile page: aggregates, model scores, traits, per-event counters, open carts and the paged event timeline.
import { useEffect, useRef, useState } from 'react';
import { apiGet, apiPath } from '../api';
import { customerTitle, eventLabel, formatDate, formatMoney, formatNumber, formatValue, orderInfo } from '../format';
import type { Aggregates, Cart, CustomerResponse, EventsResponse, RetainEvent, ScoreNote } from '../types';
import type { CustomerScores } from '../modelTypes';
import '../models.css';
import '../messages.css';
import { CustomerConsents, CustomerJourneys, CustomerMessages, CustomerSegments } from '../components/customers/CustomerActivity';

const PAGE_SIZE = 50;

const AGGREGATES: { key: keyof Aggregates; label: string; kind: 'date' | 'number' | 'money' }[] = [
  { key: 'firstSeen', label: 'First seen', kind: 'date' },
  { key: 'lastSeen', label: 'Last seen', kind: 'date' },
  { key: 'firstOrderAt', label: 'First order', kind: 'date' },
  { key: 'lastOrderAt', label: 'Last order', kind: 'date' },
  { key: 'ordersCount', label: 'Orders', kind: 'number' },
  { key: 'purchaseDays', label: 'Purchase days', kind: 'number' },
  { key: 'revenueTotal', label: 'Revenue total', kind: 'money' },
  { key: 'revenueNet', label: 'Revenue net', kind: 'money' },
  { key: 'averageOrderValue', label: 'Average order value', kind: 'money' },
];

function formatAggregate(value: string | number | null, kind: 'date' | 'number' | 'money'): string {
  if (kind === 'date') return formatDate(typeof value === 'string' ? value : null);
  const n = typeof value === 'number' ? value : null;
  return kind === 'money' ? formatMoney(n) : formatNumber(n);
}

export function CustomerProfile({ id }: { id: string }) {
  const [profile, setProfile] = useState<CustomerResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [events, setEvents] = useState<RetainEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [eventsLoading, setEventsLoading] = useState(true);
  const [eventsError, setEventsError] = useState<string | null>(null);
  const live = useRef(true);

  async function loadEvents(after: string | null) {
    setEventsLoading(true);
    setEventsError(null);
    try {
      const res = await apiGet<EventsResponse>(
        apiPath(`/customers/${encodeURIComponent(id)}/events`, { limit: PAGE_SIZE, cursor: after }),
      );
      if (!live.current) return;
      setEvents((prev) => (after ? [...prev, ...res.events] : res.events));
      setCursor(res.nextCursor);
    } catch (err) {
      if (live.current) setEventsError(err instanceof Error ? err.message : String(err));
    } finally {
      if (live.current) setEventsLoading(false);
    }
  }

  useEffect(() => {
    live.current = true;
    apiGet<CustomerResponse>(apiPath(`/customers/${encodeURIComponent(id)}`))
      .then((res) => live.current && setProfile(res))
      .catch((err: Error) => live.current && setError(err.message));
    void loadEvents(null);
    return () => {
      live.current = false;
    };
    // The page is keyed by customer id, so this runs once per customer.
  }, [id]);

  if (error) {
    return (
      <>
        <h1>Customer</h1>
        <p className="error" role="alert">{error}</p>
        <p>
          <a href="#/customers">Back to customers</a>
        </p>
      </>
    );
  }
  if (!profile) return <p className="muted">Loading…</p>;

  const { customer, counters } = profile;
  const traits = Object.entries(customer.traits ?? {});

  return (
    <>
      <p className="crumbs">
        <a href="#/customers">Customers</a> /
      </p>
      <h1 data-testid="customer-title">{customerTitle(customer)}</h1>
      <p className="muted ids">
        {customer.name && customer.userId && <span data-testid="customer-user-id">User id {customer.userId}</span>}
        {customer.email && <span data-testid="customer-email">{customer.email}</span>}
        {customer.phone && <span data-testid="customer-phone">{customer.phone}</span>}
        <span>Customer id {customer.id}</span>
        {customer.anonymousIds.length > 0 && <span>Anonymous ids: {customer.anonymousIds.join(', ')}</span>}
      </p>

      <section className="card">
        <h2>Aggregates</h2>
        <dl className="aggregates">
          {AGGREGATES.map(({ key, label, kind }) => (
            <div key={key} className="aggregate">
              <dt>{label}</dt>
              <dd data-testid={`agg-${key}`}>{formatAggregate(customer.aggregates[key], kind)}</dd>
            </div>
          ))}
        </dl>
      </section>

      {customer.scores && <ScoresCard scores={customer.scores} notes={profile.scoreNotes} />}

      <div className="columns">
        <section className="card">
          <h2>Traits</h2>
          {traits.length === 0 ? (
            <p className="muted empty">No traits.</p>
          ) : (
            <dl className="kv" data-testid="traits">
              {traits.map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd data-testid={`trait-${k}`}>{formatValue(v)}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
        <section className="card">
          <h2>Events by name</h2>
          {counters.length === 0 ? (
            <p className="muted empty">No events.</p>
          ) : (
            <table className="table" data-testid="counters">
              <thead>
                <tr>
                  <th>Event</th>
                  <th className="num">Count</th>
                  <th>Last at</th>
                </tr>
              </thead>
              <tbody>
                {counters.map((c) => (
                  <tr key={c.name} data-testid="counter-row">
                    <td>{c.name}</td>
                    <td className="num">{formatNumber(c.count)}</td>
                    <td className="nowrap">{formatDate(c.lastAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>

      {profile.openCarts.length > 0 && <OpenCarts carts={profile.openCarts} />}

      <div className="columns">
        <CustomerSegments segments={profile.segments} />
        <CustomerConsents customerId={customer.id} />
      </div>
      <CustomerJourneys customerId={customer.id} />
      <CustomerMessages customerId={customer.id} />

      <section className="card">
        <h2>Timeline</h2>
        {eventsError && <p className="error" role="alert">{eventsError}</p>}
        <table className="table" data-testid="timeline">
          <thead>
            <tr>
              <th>Time</th>
              <th>Event</th>
              <th>Order id</th>
              <th className="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => {
              const order = orderInfo(e);
              return (
                <tr key={e.id} data-testid="timeline-row">
                  <td className="nowrap">{formatDate(e.timestamp)}</td>
                  <td data-testid="timeline-event">{eventLabel(e)}</td>
                  <td data-testid="timeline-order-id">{order ? order.orderId : ''}</td>
                  <td className="num" data-testid="timeline-order-total">{order ? order.total : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {!eventsLoading && events.length === 0 && !eventsError && <p className="muted empty">No events.</p>}
        {eventsLoading && <p className="muted">Loading…</p>}
        {cursor && !eventsLoading && (
          <div className="more">
            <button type="button" className="button secondary" onClick={() => void loadEvents(cursor)}>
              Load more
            </button>
          </div>
        )}
      </section>
    </>
  );
}

/** The carts that still hold products: each line, the total and when the cart last changed. */
function OpenCarts({ carts }: { carts: Cart[] }) {
  return (
    <section className="card" data-testid="open-carts">
      <h2>Open carts</h2>
      {carts.map((cart) => (
        <div key={cart.id ?? ''} data-testid="open-cart">
          <p className="muted">
            {cart.id ? `Cart ${cart.id}` : 'Cart (no id)'} · changed {formatDate(cart.updatedAt)}
            {cart.url && (
              <>
                {' · '}
                <a href={cart.url} target="_blank" rel="noreferrer">
                  open
                </a>
              </>
            )}
          </p>
          <table className="table">
            <thead>
              <tr>
                <th>Product</th>
                <th className="num">Quantity</th>
                <th className="num">Price</th>
                <th className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {cart.items.map((item, i) => (
                <tr key={i} data-testid="cart-line">
                  <td>{[item.name ?? item.productId ?? item.sku, item.variant].filter(Boolean).join(' · ')}</td>
                  <td className="num">{formatNumber(item.quantity)}</td>
                  <td className="num">{formatMoney(item.price)}</td>
                  <td className="num">{formatMoney(item.total)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th colSpan={3}>Total{cart.currency ? ` (${cart.currency})` : ''}</th>
                <th className="num" data-testid="cart-total">{formatMoney(cart.total)}</th>
              </tr>
            </tfoot>
          </table>
        </div>
      ))}
    </section>
  );
}

const STAGES: Record<string, string> = { new: 'New', active: 'Active', at_risk: 'At risk', churned: 'Churned', reactivated: 'Reactivated' };

/** A note on scores that seem to disagree, in words. */
function scoreNoteText(note: ScoreNote): string {
  switch (note.code) {
    case 'churned_by_days':
      return note.orders === 1
        ? `Churned because the only order was ${note.daysSinceLastOrder} days ago (the shop's rule: no order for ${note.churnedAfterDays} days). The churn risk stays ${note.churnRisk}: after a single order the model cannot tell a lapse from a long gap between orders.`
        : `Churned because the last order was ${note.daysSinceLastOrder} days ago (the shop's rule: no order for ${note.churnedAfterDays} days). The churn risk is ${note.churnRisk} because this customer's past orders were far apart, so the model still expects them back.`;
    case 'at_risk_without_model':
      return `At risk because there has been no order for ${note.daysSinceLastOrder} days (the rule without a model: ${note.atRiskAfterDays} days). There is no model score yet to say more.`;
    case 'rfm_is_relative':
      return `The recency score is ${note.recencyScore} of 5 although the stage is ${STAGES[note.stage]?.toLowerCase() ?? note.stage}: RFM ranks customers against each other, so ${note.recencyScore} means more recent than most of your customers, not recent in days.`;
    case 'scored_before_last_order':
      return `These scores were computed on ${formatDate(note.scoredAt)}, before the last order (${formatDate(note.lastOrderAt)}); the next model run updates them.`;
    default: {
      const unknown: never = note;
      return String(unknown);
    }
  }
}

/** RFM segment and scores, P(alive), churn risk, expected purchases, order value, CLV and lifecycle stage. */
function ScoresCard({ scores: s, notes }: { scores: CustomerScores; notes: ScoreNote[] }) {
  const items: { key: string; label: string; value: string; className?: string }[] = [
    { key: 'rfmSegment', label: 'RFM segment', value: s.rfmSegment ?? '—' },
    { key: 'rfm', label: 'R / F / M', value: s.rfm ? `${s.rfm.r} / ${s.rfm.f} / ${s.rfm.m}` : '—' },
    { key: 'lifecycleStage', label: 'Stage', value: s.lifecycleStage ? STAGES[s.lifecycleStage] ?? s.lifecycleStage : '—' },
    { key: 'pAlive', label: 'P(alive)', value: s.pAlive === null ? '—' : `${(s.pAlive * 100).toFixed(1)}%` },
    { key: 'churnRisk', label: 'Churn risk', value: s.churnRisk ?? '—', className: s.churnRisk ? `risk-${s.churnRisk}` : undefined },
    { key: 'expectedPurchases', label: 'Expected purchases', value: s.expectedPurchases === null ? '—' : s.expectedPurchases.toFixed(2) },
    { key: 'expectedOrderValue', label: 'Expected order value', value: formatMoney(s.expectedOrderValue) },
    { key: 'clv', label: 'CLV', value: formatMoney(s.clv) },
    { key: 'scoredAt', label: 'Scored', value: formatDate(s.scoredAt) },
  ];
  return (
    <section className="card" data-testid="scores">
      <h2>Scores</h2>
      {s.scoredAt === null ? (
        <p className="muted empty">Not scored yet: the models run daily, or on the Models page.</p>
      ) : (
        <dl className="aggregates">
          {items.map((i) => (
            <div key={i.key} className="aggregate">
              <dt>{i.label}</dt>
              <dd data-testid={`score-${i.key}`} className={i.className}>
                {i.value}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {notes.length > 0 && (
        <ul className="score-notes" data-testid="score-notes">
          {notes.map((n) => (
            <li key={n.code} data-testid={`score-note-${n.code}`}>
              {scoreNoteText(n)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
