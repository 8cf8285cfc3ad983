// Customers page: search box and a paged table of customers linking to their profiles.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { apiGet, apiPath } from '../api';
import { EMPTY, formatDate, formatMoney, formatNumber } from '../format';
import { customerHref } from '../router';
import type { Customer, CustomersResponse } from '../types';

const PAGE_SIZE = 50;

export function Customers() {
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');
  const [customers, setCustomers] = useState<Customer[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const requestId = useRef(0);

  async function load(q: string, after: string | null) {
    const id = ++requestId.current;
    setLoading(true);
    setError(null);
    try {
      const res = await apiGet<CustomersResponse>(apiPath('/customers', { q, limit: PAGE_SIZE, cursor: after }));
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
      <h1>Customers</h1>
      <form className="search" role="search" onSubmit={search}>
        <input
          type="search"
          name="q"
          placeholder="Search by user id, e-mail, phone or trait value"
          aria-label="Search customers"
          value={input}
          onChange={(e) => setInput(e.target.value)}
        />
        <button type="submit" className="button">
          Search
        </button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      <section className="card">
        {loaded && customers.length === 0 ? (
          <p className="muted empty" data-testid="customers-empty">
            {query ? `No customers match “${query}”.` : 'No customers yet.'}
          </p>
        ) : (
          <table className="table" data-testid="customers-table">
            <thead>
              <tr>
                <th>User id</th>
                <th>E-mail</th>
                <th>Phone</th>
                <th className="num">Orders</th>
                <th className="num">Revenue</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {customers.map((c) => (
                <tr key={c.id} data-testid="customer-row">
                  <td>
                    <a href={customerHref(c.id)}>{c.userId ?? <span className="muted">Anonymous</span>}</a>
                  </td>
                  <td>{c.email ?? EMPTY}</td>
                  <td className="nowrap">{c.phone ?? EMPTY}</td>
                  <td className="num">{formatNumber(c.aggregates.ordersCount)}</td>
                  <td className="num">{formatMoney(c.aggregates.revenueTotal)}</td>
                  <td className="nowrap">{formatDate(c.aggregates.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {loading && <p className="muted">Loading…</p>}
        {cursor && !loading && (
          <div className="more">
            <button type="button" className="button secondary" onClick={() => void load(query, cursor)}>
              Load more
            </button>
          </div>
        )}
      </section>
    </>
  );
}
