// Customers page: search box (ids, e-mail, phone, words of the name) and a paged table of customers, sortable by the
// columns a marketer compares them by, each row linking to the profile.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { apiGet, apiPath } from '../api';
import { EMPTY, formatDate, formatMoney, formatNumber } from '../format';
import { customerHref, type RfmCell } from '../router';
import type { Customer, CustomerSort, CustomersResponse, SortDirection } from '../types';
import { t } from '../i18n';
import { riskName, rfmSegmentName } from '../i18n/terms';

const PAGE_SIZE = 50;

/** The sortable columns, the direction each starts in (as the API's default) and how a cell shows. */
const SORTABLE: {
  sort: CustomerSort;
  label: () => string;
  first: SortDirection;
  num?: boolean;
  cell: (c: Customer) => string;
}[] = [
  {
    sort: 'lastOrder',
    label: () => t('customers.lastOrder'),
    first: 'desc',
    cell: (c) => formatDate(c.aggregates.lastOrderAt),
  },
  {
    sort: 'orders',
    label: () => t('overview.orders'),
    first: 'desc',
    num: true,
    cell: (c) => formatNumber(c.aggregates.ordersCount),
  },
  {
    sort: 'revenue',
    label: () => t('customers.revenue'),
    first: 'desc',
    num: true,
    cell: (c) => formatMoney(c.aggregates.revenueTotal),
  },
  {
    sort: 'rfm',
    label: () => t('customers.rfmSegment'),
    first: 'desc',
    cell: (c) => (c.scores?.rfmSegment ? rfmSegmentName(c.scores.rfmSegment) : EMPTY),
  },
  {
    sort: 'churnRisk',
    label: () => t('customers.churnRisk'),
    first: 'asc',
    cell: (c) => (c.scores?.churnRisk ? riskName(c.scores.churnRisk) : EMPTY),
  },
  {
    sort: 'clv',
    label: () => t('customers.clv'),
    first: 'desc',
    num: true,
    cell: (c) => formatMoney(c.scores?.clv ?? null),
  },
];

interface Order {
  sort: CustomerSort;
  direction: SortDirection | null;
}

export function Customers({ rfm }: { rfm: RfmCell | null }) {
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');
  const [order, setOrder] = useState<Order>({ sort: 'newest', direction: null });
  const [customers, setCustomers] = useState<Customer[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const requestId = useRef(0);

  async function load(q: string, after: string | null, by: Order = order) {
    const id = ++requestId.current;
    setLoading(true);
    setError(null);
    try {
      const res = await apiGet<CustomersResponse>(
        apiPath('/customers', {
          q,
          rfm: rfm ? `${rfm.r}-${rfm.f}` : null,
          limit: PAGE_SIZE,
          cursor: after,
          sort: by.sort === 'newest' ? null : by.sort,
          direction: by.direction,
        }),
      );
      if (id !== requestId.current) return;
      setCustomers((prev) => (after ? [...prev, ...res.customers] : res.customers));
      setCursor(res.nextCursor);
      setLoaded(true);
    } catch (err) {
      if (id === requestId.current) setError(err instanceof Error ? err.message : String(err));
    } finally {
      if (id === requestId.current) setLoading(false);
    }
  }

  useEffect(() => {
    void load('', null);
    return () => {
      requestId.current++;
    };
  }, []);

  /** A click on a column header sorts by it; a second click turns the direction round. */
  function sortBy(sort: CustomerSort, first: SortDirection) {
    const direction: SortDirection =
      order.sort === sort ? ((order.direction ?? first) === 'desc' ? 'asc' : 'desc') : first;
    const next = { sort, direction };
    setOrder(next);
    setCustomers([]);
    setCursor(null);
    void load(query, null, next);
  }

  function search(e: FormEvent) {
    e.preventDefault();
    const q = input.trim();
    setQuery(q);
    setCustomers([]);
    setCursor(null);
    setLoaded(false);
    void load(q, null);
  }

  return (
    <>
      <h1>{t('nav.customers')}</h1>
      {rfm && (
        <p className="notice" data-testid="rfm-filter">
          {t('customers.onlyCell', { r: rfm.r, f: rfm.f })} <a href="#/customers">{t('customers.showEveryone')}</a> ·{' '}
          <a href="#/rfm">{t('customers.backToGrid')}</a>
        </p>
      )}
      <form className="search" role="search" onSubmit={search}>
        <input
          type="search"
          name="q"
          placeholder={t('customers.searchPlaceholder')}
          aria-label={t('customers.searchLabel')}
          value={input}
          onChange={(e) => setInput(e.target.value)}
        />
        <button type="submit" className="button">
          {t('customers.search')}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <section className="card">
        {loaded && customers.length === 0 ? (
          <p className="muted empty" data-testid="customers-empty">
            {query ? t('customers.noMatch', { query }) : rfm ? t('customers.noneInCell') : t('customers.none')}
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="customers-table">
              <thead>
                <tr>
                  <th>{t('title.customer')}</th>
                  <th>{t('customers.email')}</th>
                  {SORTABLE.map((col) => {
                    const active = order.sort === col.sort;
                    const dir = active ? (order.direction ?? col.first) : null;
                    return (
                      <th
                        key={col.sort}
                        className={col.num ? 'num' : undefined}
                        aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}
                      >
                        <button
                          type="button"
                          className="sort"
                          data-testid={`sort-${col.sort}`}
                          onClick={() => sortBy(col.sort, col.first)}
                        >
                          {col.label()}
                          <span aria-hidden="true">{dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}</span>
                        </button>
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {customers.map((c) => (
                  <tr key={c.id} data-testid="customer-row">
                    <td>
                      <a href={customerHref(c.id)} data-testid="customer-name">
                        {c.name ?? c.userId ?? <span className="muted">{t('customers.anonymous')}</span>}
                      </a>
                      {c.name && c.userId && <div className="muted small">{c.userId}</div>}
                    </td>
                    <td>{c.email ?? EMPTY}</td>
                    {SORTABLE.map((col) => (
                      <td key={col.sort} className={col.num ? 'num nowrap' : 'nowrap'} data-testid={`cell-${col.sort}`}>
                        {col.cell(c)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {loading && <p className="muted">{t('common.loading')}</p>}
        {cursor && !loading && (
          <div className="more">
            <button type="button" className="button secondary" onClick={() => void load(query, cursor)}>
              {t('common.loadMore')}
            </button>
          </div>
        )}
      </section>
    </>
  );
}
