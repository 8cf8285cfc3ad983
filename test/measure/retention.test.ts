// Retention metrics and cohorts on a small shop worked out by hand: six customers over four months, one order in a
// currency without a rate. Each figure below is counted in the comments from the orders listed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { putCurrencySettings } from '../../src/money/store.ts';

const ORDERS: [string, string, number, string?][] = [
  ['E', '2025-12-20', 40],
  ['E', '2026-01-25', 30],
  ['A', '2026-01-10', 100],
  ['A', '2026-02-05', 50],
  ['A', '2026-03-20', 70],
  ['B', '2026-01-15', 200],
  ['B', '2026-03-02', 100],
  ['C', '2026-02-10', 80],
  ['C', '2026-02-20', 20],
  ['F', '2026-02-01', 10, 'EUR'],
  ['D', '2026-03-05', 60],
];

describe(`retention metrics and cohorts (${backend})`, () => {
  let s: Served;
  const now = new Date('2026-04-02T00:00:00Z');
  const get = async (path: string) => {
    const res = await s.call('GET', path, { key: s.adminKey });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  before(async () => {
    s = await serve({ clock: () => now });
    const ws = s.t.workspaceId;
    await putCurrencySettings(s.t.db, ws, { base: 'PLN', rates: {} }, now);
    const r = await ingest(
      s.t.db,
      ws,
      ORDERS.map(([user, day, total, currency], i) => ({
        type: 'track',
        userId: user,
        event: 'Order Completed',
        timestamp: `${day}T12:00:00Z`,
        properties: { order_id: `o${i}`, total, currency: currency ?? 'PLN' },
      })),
      { receivedAt: now },
    );
    assert.deepEqual(r.rejected, []);
  });
  after(async () => s.close());

  it('per month: (E − N) / S, churn, repeat rate, frequency, order value, days between orders', async () => {
    const r = await get('/api/v1/measure/retention?period=month&from=2026-01-01&to=2026-03-31');
    assert.equal(r.currency, 'PLN');
    assert.equal(r.unconvertedOrders, 1, "F's order in EUR has no rate");
    const rows = r.periods.map((p: Record<string, unknown>) => [
      p.period,
      p.startingCustomers,
      p.active,
      p.newCustomers,
      p.retained,
      p.repeat,
      p.orders,
      p.revenue,
      p.retentionRate,
      p.churnRate,
      p.daysBetweenOrders,
    ]);
    assert.deepEqual(rows, [
      // January: base = December's E; A, B new; E came back; E has 2 orders; 100 + 200 + 30; E waited 36 days.
      ['2026-01-01', 1, 3, 2, 1, 1, 3, 330, 1, 0, 36],
      // February: base = January's A, B, E; C, F new; A came back; A and C have 2 orders; 50 + 80 + 20 (F's EUR left out).
      ['2026-02-01', 3, 3, 2, 1, 2, 4, 150, 1 / 3, 2 / 3, 18],
      // March: base = February's A, C, F; D new; A came back (B bought in January, not February); A 3 orders, B 2.
      ['2026-03-01', 3, 3, 1, 1, 2, 3, 230, 2 / 3, 2 / 3, 44.5],
    ]);
    const march = r.periods[2];
    assert.equal(march.repeatPurchaseRate, 2 / 3);
    assert.equal(march.purchaseFrequency, 1);
    assert.ok(Math.abs(march.averageOrderValue - 230 / 3) < 1e-9);
    assert.ok(Math.abs(march.revenuePerCustomer - 230 / 3) < 1e-9);
  });

  it('per quarter, and in one currency only', async () => {
    const q = await get('/api/v1/measure/retention?period=quarter&from=2026-01-01&to=2026-03-31');
    assert.deepEqual(
      q.periods.map((p: Record<string, unknown>) => [
        p.period,
        p.startingCustomers,
        p.active,
        p.newCustomers,
        p.repeat,
        p.orders,
        p.revenue,
        p.retentionRate,
      ]),
      [['2026-01-01', 1, 6, 5, 4, 10, 710, 1]],
    );
    const eur = await get('/api/v1/measure/retention?from=2026-02-01&to=2026-02-28&currency=eur');
    assert.deepEqual(
      eur.periods.map((p: Record<string, unknown>) => [p.period, p.active, p.orders, p.revenue]),
      [['2026-02-01', 1, 1, 10]],
    );
    assert.equal(eur.currency, 'EUR');
  });

  it('cohorts: customers by month of first order × months since', async () => {
    const c = await get('/api/v1/measure/cohorts?from=2025-12-01&to=2026-03-31');
    const table = c.cohorts.map(
      (r: { cohort: string; customers: number; months: { buying: number; share: number; revenue: number }[] }) => [
        r.cohort,
        r.customers,
        r.months.map((m) => `${m.buying}/${m.revenue}`),
      ],
    );
    assert.deepEqual(table, [
      ['2025-12-01', 1, ['1/40', '1/30']],
      ['2026-01-01', 2, ['2/300', '1/50', '2/170']],
      ['2026-02-01', 2, ['2/100']],
      ['2026-03-01', 1, ['1/60']],
    ]);
    assert.equal(c.cohorts[1].months[1].share, 0.5);
  });

  it('LTV over HTTP: no marketing yet gives empty curves in the base currency; a bad window or horizon is refused by field', async () => {
    const ltv = await get('/api/v1/measure/ltv?months=3');
    assert.equal(ltv.currency, 'PLN');
    assert.deepEqual(
      ltv.arms.map((a: { arm: string; customers: number; months: unknown[] }) => [a.arm, a.customers, a.months.length]),
      [
        ['treated', 0, 3],
        ['control', 0, 3],
      ],
    );
    const swapped = await s.call('GET', '/api/v1/measure/ltv?from=2026-03-01&to=2026-02-01', { key: s.adminKey });
    assert.equal(swapped.status, 400);
    assert.match(JSON.stringify(swapped.body), /to: the last day \(2026-02-01\) is before the first/);
    const months = await s.call('GET', '/api/v1/measure/ltv?months=0', { key: s.adminKey });
    assert.equal(months.status, 400);
    assert.match(JSON.stringify(months.body), /months/);
  });

  it('refuses a bad currency or date, naming the field', async () => {
    const bad = await s.call('GET', '/api/v1/measure/retention?currency=XX', { key: s.adminKey });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /currency/);
    const day = await s.call('GET', '/api/v1/measure/cohorts?from=2026-13-01', { key: s.adminKey });
    assert.equal(day.status, 400);
    assert.match(JSON.stringify(day.body), /from/);
  });
});
