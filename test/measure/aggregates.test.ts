// The retention and cohort reports read aggregates kept by triggers on orders (migration 040). Through a scenario of
// orders placed, refunded, cancelled, re-amounted, moved to another customer, deleted and a change of the workspace's
// zone, each step's reports must equal a recomputation from the raw orders done here in the test.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { putJourneySettings } from '../../src/journeys/store/control.ts';
import { cohortCells, periodCounts, type MoneyScope, type Period } from '../../src/measure/store/retention.ts';

const RATES = { EUR: 4.3 };
const now = new Date('2026-07-01T00:00:00Z');
const span = (zone: string) => ({ from: new Date('2025-11-15T00:00:00Z'), to: new Date('2026-06-30T00:00:00Z'), zone });
const SCOPES: { name: string; money: MoneyScope }[] = [
  { name: 'all converted to PLN', money: { currency: 'PLN', rates: RATES } },
  { name: 'all, no rates', money: { currency: 'PLN', rates: {} } },
  { name: 'EUR only', money: { currency: 'EUR' } },
];

// [user, when, total, currency] — midnight-adjacent times so that a zone change moves orders between months.
const PLACED: [string, string, number, string | null][] = [
  ['ann', '2025-12-31T23:30:00Z', 40, 'PLN'],
  ['ann', '2026-01-20T10:00:00Z', 25.5, 'PLN'],
  ['ann', '2026-03-02T09:00:00Z', 70, 'EUR'],
  ['bob', '2026-01-31T23:10:00Z', 200, null],
  ['bob', '2026-02-01T08:00:00Z', 15, 'pln '],
  ['bob', '2026-04-30T22:30:00Z', 60, 'PLN'],
  ['cat', '2026-02-10T12:00:00Z', 80, 'EUR'],
  ['cat', '2026-02-28T23:59:00Z', 20, 'EUR'],
  ['cat', '2026-05-05T05:00:00Z', 33.33, 'USD'],
  ['dan', '2026-03-31T22:45:00Z', 10, 'PLN'],
  ['dan', '2026-06-15T12:00:00Z', 99.99, ''],
  ['eve', '2025-11-30T23:30:00Z', 5, 'PLN'],
];

const groupBy = <T>(xs: T[], key: (x: T) => string) => {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
};

interface RawOrder {
  customer_id: string;
  total: string;
  refunded: string;
  currency: string | null;
  placed_at: Date;
}

/** The reference: the store's counts recomputed in TypeScript from the completed orders placed before `until`. */
function reference(orders: RawOrder[], zone: string, period: Period, money: MoneyScope, from: Date, to: Date) {
  const unit = period === 'quarter' ? 'quarter' : 'month';
  const p = (at: Date) => DateTime.fromJSDate(at, { zone }).startOf(unit).toISODate()!;
  const prevOf = (d: string) =>
    DateTime.fromISO(d)
      .minus(period === 'quarter' ? { months: 3 } : { months: 1 })
      .toISODate()!;
  const inScope = orders
    .map((o) => {
      const cur = (o.currency ?? '').trim().toUpperCase() || money.currency;
      const rate = cur === money.currency ? 1 : money.rates?.[cur];
      return { ...o, cur, value: rate === undefined ? null : (Number(o.total) - Number(o.refunded)) * rate };
    })
    .filter((o) => money.rates || o.cur === money.currency)
    .sort((a, b) => a.placed_at.getTime() - b.placed_at.getTime());
  const per = new Map<
    string,
    {
      active: number;
      new: number;
      retained: number;
      repeat: number;
      orders: number;
      revenue: number;
      unconverted: number;
      gaps: number[];
    }
  >();
  const cells = new Map<string, { customers: number; revenue: number }>();
  const slot = (k: string) =>
    per.get(k) ??
    (per.set(k, { active: 0, new: 0, retained: 0, repeat: 0, orders: 0, revenue: 0, unconverted: 0, gaps: [] }),
    per.get(k)!);
  const byCustomer = groupBy(inScope, (o) => o.customer_id);
  for (const list of byCustomer.values()) {
    list.forEach((o, i) => {
      if (i > 0)
        slot(p(o.placed_at)).gaps.push((o.placed_at.getTime() - list[i - 1]!.placed_at.getTime()) / 86_400_000);
    });
    const periods = [...groupBy(list, (o) => p(o.placed_at)).entries()].sort(([a], [b]) => a.localeCompare(b));
    const months = [
      ...groupBy(list, (o) => DateTime.fromJSDate(o.placed_at, { zone }).startOf('month').toISODate()!).entries(),
    ].sort(([a], [b]) => a.localeCompare(b));
    let cum = 0;
    periods.forEach(([k, os], i) => {
      const s = slot(k);
      cum += os.length;
      s.active++;
      s.orders += os.length;
      if (i === 0) s.new++;
      if (cum >= 2) s.repeat++;
      if (i > 0 && periods[i - 1]![0] === prevOf(k)) s.retained++;
      for (const o of os)
        if (o.value === null) s.unconverted++;
        else s.revenue += o.value;
    });
    const cohort = months[0]![0];
    for (const [m, os] of months) {
      const c = cells.get(`${cohort}|${m}`) ?? { customers: 0, revenue: 0 };
      c.customers++;
      c.revenue += os.reduce((s, o) => s + (o.value ?? 0), 0);
      cells.set(`${cohort}|${m}`, c);
    }
  }
  const first = p(from);
  const keep = [...per.entries()]
    .filter(([k]) => k >= prevOf(first) && k <= p(to))
    .sort(([a], [b]) => a.localeCompare(b));
  const cohortFrom = DateTime.fromJSDate(from, { zone }).startOf('month').toISODate()!;
  const cohortTo = DateTime.fromJSDate(to, { zone }).startOf('month').toISODate()!;
  return {
    counts: {
      previousActive: keep.filter(([k]) => k < first).reduce((s, [, v]) => s + v.active, 0),
      periods: keep
        .filter(([k]) => k >= first)
        .map(([k, v]) => ({
          period: k,
          active: v.active,
          newCustomers: v.new,
          retained: v.retained,
          repeat: v.repeat,
          orders: v.orders,
          revenue: v.revenue,
          daysBetweenOrders: v.gaps.length ? v.gaps.reduce((s, g) => s + g, 0) / v.gaps.length : null,
        })),
      unconvertedOrders: keep.reduce((s, [, v]) => s + v.unconverted, 0),
    },
    cohorts: [...cells.entries()]
      .map(([k, v]) => {
        const [cohort, m] = k.split('|') as [string, string];
        const offset = Math.round(DateTime.fromISO(m).diff(DateTime.fromISO(cohort), 'months').months);
        return { cohort, offset, customers: v.customers, revenue: v.revenue };
      })
      .filter((c) => c.cohort >= cohortFrom && c.cohort <= cohortTo)
      .sort((a, b) => a.cohort.localeCompare(b.cohort) || a.offset - b.offset),
  };
}

/** Deep equality with money and day averages compared to 1e-9 (sums in another order round differently). */
function assertClose(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    assert.ok(
      Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
      `${path}: ${actual} ≠ ${expected}`,
    );
  } else if (expected && typeof expected === 'object') {
    assert.equal(typeof actual, 'object', path);
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual as object)]);
    for (const k of keys)
      assertClose((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
  } else assert.equal(actual, expected, path);
}

describe(`Measure aggregates match the raw orders (${backend})`, () => {
  let t: TestDb;
  let ws: string;
  let zone = 'UTC';
  const sql = (text: string, params: unknown[] = []) => t.db.query(text, [ws, ...params]);
  const track = (event: string, user: string, at: string, properties: Record<string, unknown>) => ({
    type: 'track' as const,
    userId: user,
    event,
    timestamp: at,
    properties,
  });

  before(async () => {
    t = await freshDb();
    ws = t.workspaceId;
  });
  after(async () => t.close());

  async function check(step: string, until = now) {
    const orders = await t.db.query<RawOrder>(
      `SELECT customer_id::text, total::text, refunded::text, currency, placed_at FROM orders
       WHERE workspace_id = $1 AND status = 'completed' AND customer_id IS NOT NULL AND placed_at < $2`,
      [ws, until],
    );
    for (const { name, money } of SCOPES) {
      for (const period of ['month', 'quarter'] as const) {
        const want = reference(orders, zone, period, money, span(zone).from, span(zone).to);
        assertClose(
          await periodCounts(t.db, ws, period, span(zone), money, until),
          want.counts,
          `${step}, ${name}, per ${period}`,
        );
        if (period === 'month')
          assertClose(await cohortCells(t.db, ws, span(zone), money, until), want.cohorts, `${step}, ${name}, cohorts`);
      }
    }
    return orders.length;
  }

  const steps: [string, () => Promise<unknown>][] = [
    [
      'orders placed through ingest (one batch, several customers)',
      () =>
        ingest(
          t.db,
          ws,
          PLACED.map(([u, at, total, currency], i) =>
            track('Order Completed', u, at, { order_id: `o${i}`, total, ...(currency === null ? {} : { currency }) }),
          ),
          { receivedAt: now },
        ),
    ],
    [
      'a partial refund and a cancellation through ingest',
      () =>
        ingest(
          t.db,
          ws,
          [
            track('Order Refunded', 'ann', '2026-01-21T10:00:00Z', { order_id: 'o1', total: 5.5 }),
            track('Order Cancelled', 'cat', '2026-02-11T10:00:00Z', { order_id: 'o6' }),
          ],
          { receivedAt: now },
        ),
    ],
    [
      'an amount corrected and an order moved to another customer',
      () =>
        sql(
          `UPDATE orders SET total = CASE order_id WHEN 'o5' THEN 65 ELSE total END,
              customer_id = CASE order_id WHEN 'o9' THEN (SELECT customer_id FROM orders WHERE workspace_id = $1 AND order_id = 'o0') ELSE customer_id END
       WHERE workspace_id = $1 AND order_id IN ('o5', 'o9')`,
        ),
    ],
    [
      'an update that changes nothing the reports read',
      () => sql(`UPDATE orders SET message_id = 'other' WHERE workspace_id = $1`),
    ],
    [
      "a customer's first order deleted (their cohort moves)",
      () => sql(`DELETE FROM orders WHERE workspace_id = $1 AND order_id IN ('o0', 'o11')`),
    ],
    [
      'the workspace moves to Warsaw time',
      async () => {
        await putJourneySettings(t.db, ws, { timezone: 'Europe/Warsaw' });
        zone = 'Europe/Warsaw';
      },
    ],
    [
      'an order placed after a refund-free late night, in Warsaw',
      () =>
        ingest(t.db, ws, [track('Order Completed', 'eve', '2026-05-31T22:30:00Z', { order_id: 'o12', total: 12 })], {
          receivedAt: now,
        }),
    ],
    [
      'then New York time',
      async () => {
        await putJourneySettings(t.db, ws, { timezone: 'America/New_York' });
        zone = 'America/New_York';
      },
    ],
  ];

  for (const [step, act] of steps) {
    it(step, async () => {
      await act();
      assert.ok((await check(step)) > 0);
    });
  }

  it("an order dated after the report's moment is left out, as from the raw orders", async () => {
    await ingest(t.db, ws, [track('Order Completed', 'dan', '2026-06-20T12:00:00Z', { order_id: 'o13', total: 7 })], {
      receivedAt: now,
    });
    await check('an order after until', new Date('2026-06-18T00:00:00Z'));
  });

  it('the aggregates equal a full rebuild (nothing drifted through the steps)', async () => {
    const snapshot = () =>
      sql(`SELECT (SELECT json_agg(x ORDER BY x.customer_id, x.month, x.currency) FROM (SELECT customer_id, month::text, currency, orders, net::text, first_at, last_at FROM customer_months WHERE workspace_id = $1) x) AS months,
      (SELECT json_agg(x ORDER BY x.cohort, x.month) FROM (SELECT cohort::text, month::text, customers FROM cohort_customers WHERE workspace_id = $1 AND customers <> 0) x) AS customers,
      (SELECT json_agg(x ORDER BY x.cohort, x.month, x.currency) FROM (SELECT cohort::text, month::text, currency, net::text FROM cohort_revenue WHERE workspace_id = $1 AND net <> 0) x) AS revenue`);
    const kept = await snapshot();
    await sql('SELECT measure_rebuild($1)');
    assert.deepEqual(await snapshot(), kept);
  });
});
