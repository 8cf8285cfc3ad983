// Customer profile page: aggregates, model scores, traits, per-event counters, open carts and the paged event timeline.
import { useEffect, useRef, useState } from 'react';
import { apiGet, apiPath } from '../api';
import {
  customerTitle,
  eventLabel,
  formatDate,
  formatDecimal,
  formatMoney,
  formatNumber,
  formatPercent,
  formatValue,
  orderInfo,
} from '../format';
import type { Aggregates, Cart, CustomerResponse, EventsResponse, RetainEvent, ScoreNote } from '../types';
import type { CustomerScores } from '../modelTypes';
import '../models.css';
import '../messages.css';
import {
  CustomerConsents,
  CustomerJourneys,
  CustomerMessages,
  CustomerSegments,
} from '../components/customers/CustomerActivity';
import { t } from '../i18n';
import { CustomerLoyaltyCard } from '../components/loyalty/CustomerLoyaltyCard';
import { riskName, rfmSegmentName, stageName } from '../i18n/terms';

const PAGE_SIZE = 50;

const AGGREGATES: { key: keyof Aggregates; label: () => string; kind: 'date' | 'number' | 'money' }[] = [
  { key: 'firstSeen', label: () => t('profile.firstSeen'), kind: 'date' },
  { key: 'lastSeen', label: () => t('profile.lastSeen'), kind: 'date' },
  { key: 'firstOrderAt', label: () => t('profile.firstOrder'), kind: 'date' },
  { key: 'lastOrderAt', label: () => t('customers.lastOrder'), kind: 'date' },
  { key: 'ordersCount', label: () => t('overview.orders'), kind: 'number' },
  { key: 'purchaseDays', label: () => t('profile.purchaseDays'), kind: 'number' },
  { key: 'revenueTotal', label: () => t('profile.revenueTotal'), kind: 'money' },
  { key: 'revenueNet', label: () => t('profile.revenueNet'), kind: 'money' },
  { key: 'averageOrderValue', label: () => t('profile.aov'), kind: 'money' },
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
        <h1>{t('title.customer')}</h1>
        <p className="error" role="alert">
          {error}
        </p>
        <p>
          <a href="#/customers">{t('profile.backToCustomers')}</a>
        </p>
      </>
    );
  }
  if (!profile) return <p className="muted">{t('common.loading')}</p>;

  const { customer, counters } = profile;
  const traits = Object.entries(customer.traits ?? {});

  return (
    <>
      <p className="crumbs">
        <a href="#/customers">{t('nav.customers')}</a> /
      </p>
      <h1 data-testid="customer-title">{customerTitle(customer)}</h1>
      <p className="muted ids">
        {customer.name && customer.userId && (
          <span data-testid="customer-user-id">{t('profile.userId', { id: customer.userId })}</span>
        )}
        {customer.email && <span data-testid="customer-email">{customer.email}</span>}
        {customer.phone && <span data-testid="customer-phone">{customer.phone}</span>}
        <span>{t('profile.customerId', { id: customer.id })}</span>
        <span data-testid="customer-order-count">
          {t('customers.orderCount', { count: customer.aggregates.ordersCount })}
        </span>
        {customer.anonymousIds.length > 0 && (
          <span>{t('profile.anonymousIds', { ids: customer.anonymousIds.join(', ') })}</span>
        )}
      </p>

      <section className="card">
        <h2>{t('profile.aggregates')}</h2>
        <dl className="aggregates">
          {AGGREGATES.map(({ key, label, kind }) => (
            <div key={key} className="aggregate">
              <dt>{label()}</dt>
              <dd data-testid={`agg-${key}`}>{formatAggregate(customer.aggregates[key], kind)}</dd>
            </div>
          ))}
        </dl>
      </section>

      {customer.scores && <ScoresCard scores={customer.scores} notes={profile.scoreNotes} />}

      <div className="columns">
        <section className="card">
          <h2>{t('profile.traits')}</h2>
          {traits.length === 0 ? (
            <p className="muted empty">{t('profile.noTraits')}</p>
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
          <h2>{t('profile.eventsByName')}</h2>
          {counters.length === 0 ? (
            <p className="muted empty">{t('profile.noEvents')}</p>
          ) : (
            <table className="table" data-testid="counters">
              <thead>
                <tr>
                  <th>{t('overview.event')}</th>
                  <th className="num">{t('profile.count')}</th>
                  <th>{t('profile.lastAt')}</th>
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
      <CustomerLoyaltyCard customerId={customer.id} />
      <CustomerJourneys customerId={customer.id} />
      <CustomerMessages customerId={customer.id} />

      <section className="card">
        <h2>{t('profile.timeline')}</h2>
        {eventsError && (
          <p className="error" role="alert">
            {eventsError}
          </p>
        )}
        <table className="table" data-testid="timeline">
          <thead>
            <tr>
              <th>{t('overview.time')}</th>
              <th>{t('overview.event')}</th>
              <th>{t('profile.orderId')}</th>
              <th className="num">{t('profile.total')}</th>
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
                  <td className="num" data-testid="timeline-order-total">
                    {order ? order.total : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {!eventsLoading && events.length === 0 && !eventsError && (
          <p className="muted empty">{t('profile.noEvents')}</p>
        )}
        {eventsLoading && <p className="muted">{t('common.loading')}</p>}
        {cursor && !eventsLoading && (
          <div className="more">
            <button type="button" className="button secondary" onClick={() => void loadEvents(cursor)}>
              {t('common.loadMore')}
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
      <h2>{t('profile.openCarts')}</h2>
      {carts.map((cart) => (
        <div key={cart.id ?? ''} data-testid="open-cart">
          <p className="muted">
            {cart.id ? t('profile.cart', { id: cart.id }) : t('profile.cartNoId')} ·{' '}
            {t('profile.changed', { when: formatDate(cart.updatedAt) })}
            {cart.url && (
              <>
                {' · '}
                <a href={cart.url} target="_blank" rel="noreferrer">
                  {t('profile.open')}
                </a>
              </>
            )}
          </p>
          <table className="table">
            <thead>
              <tr>
                <th>{t('profile.product')}</th>
                <th className="num">{t('profile.quantity')}</th>
                <th className="num">{t('profile.price')}</th>
                <th className="num">{t('profile.total')}</th>
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
                <th colSpan={3}>
                  {t('profile.total')}
                  {cart.currency ? ` (${cart.currency})` : ''}
                </th>
                <th className="num" data-testid="cart-total">
                  {formatMoney(cart.total)}
                </th>
              </tr>
            </tfoot>
          </table>
        </div>
      ))}
    </section>
  );
}

/** A note on scores that seem to disagree, in words. */
function scoreNoteText(note: ScoreNote): string {
  switch (note.code) {
    case 'churned_by_days':
      return note.orders === 1
        ? t('profile.note.churnedOneOrder', {
            days: note.daysSinceLastOrder,
            after: note.churnedAfterDays,
            risk: riskName(note.churnRisk),
          })
        : t('profile.note.churnedFarApart', {
            days: note.daysSinceLastOrder,
            after: note.churnedAfterDays,
            risk: riskName(note.churnRisk),
          });
    case 'at_risk_without_model':
      return t('profile.note.atRiskWithoutModel', { days: note.daysSinceLastOrder, after: note.atRiskAfterDays });
    case 'rfm_is_relative':
      return t('profile.note.rfmIsRelative', { score: note.recencyScore, stage: stageName(note.stage) });
    case 'scored_before_last_order':
      return t('profile.note.scoredBeforeLastOrder', {
        scoredAt: formatDate(note.scoredAt),
        lastOrderAt: formatDate(note.lastOrderAt),
      });
    default: {
      const unknown: never = note;
      return String(unknown);
    }
  }
}

/** RFM segment and scores, P(alive), churn risk, expected purchases, order value, CLV and lifecycle stage. */
function ScoresCard({ scores: s, notes }: { scores: CustomerScores; notes: ScoreNote[] }) {
  const items: { key: string; label: string; value: string; className?: string }[] = [
    { key: 'rfmSegment', label: t('customers.rfmSegment'), value: s.rfmSegment ? rfmSegmentName(s.rfmSegment) : '—' },
    { key: 'rfm', label: 'R / F / M', value: s.rfm ? `${s.rfm.r} / ${s.rfm.f} / ${s.rfm.m}` : '—' },
    { key: 'lifecycleStage', label: t('profile.stage'), value: s.lifecycleStage ? stageName(s.lifecycleStage) : '—' },
    { key: 'pAlive', label: 'P(alive)', value: formatPercent(s.pAlive) },
    {
      key: 'churnRisk',
      label: t('customers.churnRisk'),
      value: s.churnRisk ? riskName(s.churnRisk) : '—',
      className: s.churnRisk ? `risk-${s.churnRisk}` : undefined,
    },
    {
      key: 'expectedPurchases',
      label: t('profile.expectedPurchases'),
      value: s.expectedPurchases === null ? '—' : formatDecimal(s.expectedPurchases),
    },
    { key: 'expectedOrderValue', label: t('profile.expectedOrderValue'), value: formatMoney(s.expectedOrderValue) },
    { key: 'clv', label: t('customers.clv'), value: formatMoney(s.clv) },
    { key: 'scoredAt', label: t('profile.scored'), value: formatDate(s.scoredAt) },
  ];
  return (
    <section className="card" data-testid="scores">
      <h2>{t('profile.scores')}</h2>
      {s.scoredAt === null ? (
        <p className="muted empty">{t('profile.notScored')}</p>
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
