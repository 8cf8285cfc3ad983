// Lifetime value with and without messages: the pure curve on a case worked by hand, then a small shop where a
// marketing journey greets new customers and the control group keeps half out, orders placed at known days after;
// the report's curves equal what the test sums from the orders it placed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { journeyWorld } from '../journeys/world.ts';
import { putJourneySettings } from '../../src/journeys/index.ts';
import { ltvComparison } from '../../src/measure/ltv.ts';
import { ltvReport } from '../../src/measure/retention-report.ts';

const DAY = 86_400_000;

describe('lifetime value curves (pure, worked by hand)', () => {
  it('months count only the customers observed through them; the difference is treated − control', () => {
    // control: c1 observed 3 months (10 in month 0), c2 observed 1 month (20 in month 0)
    // treated: t1 observed 3 months (30 in month 0, 60 in month 2), t2 observed 2 months (40 in month 1)
    const r = ltvComparison(
      [
        {
          arm: 'control',
          observed: [
            { months: 3, customers: 1 },
            { months: 1, customers: 1 },
          ],
          revenue: [{ month: 0, revenue: 30 }],
          clv: { customers: 2, mean: 50 },
        },
        {
          arm: 'treated',
          observed: [
            { months: 3, customers: 1 },
            { months: 2, customers: 1 },
          ],
          revenue: [
            { month: 0, revenue: 30 },
            { month: 1, revenue: 40 },
            { month: 2, revenue: 60 },
          ],
          clv: { customers: 2, mean: 80 },
        },
      ],
      4,
    );
    const [treated, control] = r.arms;
    // treated: month 1: 30 / 2 = 15; month 2: 40 / 2 = 20 → 35; month 3: 60 / 1 (only t1) = 60 → 95; month 4: nobody
    assert.deepEqual(
      treated!.months.map((m) => [m.customers, m.revenuePerCustomer, m.cumulative]),
      [
        [2, 15, 15],
        [2, 20, 35],
        [1, 60, 95],
        [0, null, null],
      ],
    );
    // control: month 1: 30 / 2 = 15; month 2: 0 / 1 (only c1) → 15; month 3: 0 / 1 → 15
    assert.deepEqual(
      control!.months.map((m) => [m.customers, m.revenuePerCustomer, m.cumulative]),
      [
        [2, 15, 15],
        [1, 0, 15],
        [1, 0, 15],
        [0, null, null],
      ],
    );
    assert.deepEqual(
      r.difference.map((d) => d.cumulative),
      [0, 20, 80, null],
    );
    assert.equal(r.clvDifference, 30);
    assert.equal(treated!.customers, 2);
  });
  it('an arm with nobody yet has no curve and no CLV', () => {
    const r = ltvComparison([], 2);
    assert.deepEqual(
      r.arms.map((a) => [a.arm, a.customers, a.months.map((m) => m.cumulative)]),
      [
        ['treated', 0, [null, null]],
        ['control', 0, [null, null]],
      ],
    );
    assert.equal(r.clvDifference, null);
  });
});

describe(`lifetime value with and without messages (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('20 sign up; the control group keeps about half out; orders on days 5, 40 and 70 land in months 1, 2 and 3', {
    timeout: 300_000,
  }, async () => {
    const start = new Date('2026-01-05T09:00:00Z');
    const w = await journeyWorld(t, start);
    await putJourneySettings(t.db, w.ws, { share: 0.5, periodMonths: 6 });
    await w.journey('welcome', {
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'hi',
      steps: [{ id: 'hi', type: 'send', template: 'welcome', channel: { fixed: 'email' } }],
    });
    const users = Array.from({ length: 20 }, (_, i) => `u${i}`);
    await w.send(...users.map((u) => ({ type: 'track', userId: u, event: 'Signed Up' })));
    const held = new Set(
      (
        await t.db.query<{ user_id: string }>(
          'SELECT c.user_id FROM journey_holdouts h JOIN customers c ON c.workspace_id = h.workspace_id AND c.id = h.customer_id WHERE h.workspace_id = $1',
          [w.ws],
        )
      ).map((r) => r.user_id),
    );
    assert.ok(held.size > 0 && held.size < 20, `some held out, some not: ${held.size}`);

    // User i buys (i + 1) × 10 on day 5, treated users again on day 40, every third user on day 70.
    const orders: { user: string; day: number; total: number }[] = [];
    users.forEach((u, i) => {
      orders.push({ user: u, day: 5, total: (i + 1) * 10 });
      if (!held.has(u)) orders.push({ user: u, day: 40, total: 25 });
      if (i % 3 === 0) orders.push({ user: u, day: 70, total: 7 });
    });
    await w.send(
      ...orders.map((o, i) => ({
        type: 'track',
        userId: o.user,
        event: 'Order Completed',
        timestamp: new Date(start.getTime() + o.day * DAY).toISOString(),
        properties: { order_id: `o${i}`, total: o.total, currency: 'PLN' },
      })),
    );
    // Two scored customers per arm, for the models' CLV.
    const treatedUsers = users.filter((u) => !held.has(u));
    const controlUsers = users.filter((u) => held.has(u));
    const clv: [string, number][] = [
      [treatedUsers[0]!, 100],
      [treatedUsers[1] ?? treatedUsers[0]!, 300],
      [controlUsers[0]!, 90],
    ];
    for (const [u, v] of clv)
      await t.db.query('UPDATE customers SET clv = $3 WHERE workspace_id = $1 AND user_id = $2', [w.ws, u, v]);

    const now = new Date(start.getTime() + 100 * DAY); // 3 whole months (of 30.44 days) since everyone's assignment
    const r = await ltvReport(t.db, w.ws, { months: 4 }, now);
    assert.equal(r.currency, 'PLN');
    for (const [arm, group] of [
      ['treated', treatedUsers],
      ['control', controlUsers],
    ] as const) {
      const curve = r.arms.find((a) => a.arm === arm)!;
      assert.equal(curve.customers, group.length, arm);
      const perMonth = [5, 40, 70].map(
        (day) =>
          orders.filter((o) => o.day === day && group.includes(o.user)).reduce((s, o) => s + o.total, 0) / group.length,
      );
      const expected = [perMonth[0]!, perMonth[0]! + perMonth[1]!, perMonth[0]! + perMonth[1]! + perMonth[2]!, null];
      curve.months.forEach((m, i) => {
        if (expected[i] === null) assert.equal(m.cumulative, null, `${arm} month ${m.month}: nobody observed 4 months`);
        else
          assert.ok(
            Math.abs(m.cumulative! - expected[i]!) < 1e-9,
            `${arm} month ${m.month}: ${m.cumulative} vs ${expected[i]}`,
          );
      });
      const scored = [...new Map(clv.filter(([u]) => group.includes(u))).values()]; // a user scored twice keeps the last
      assert.equal(curve.clv.customers, scored.length, arm);
      assert.ok(Math.abs(curve.clv.mean! - scored.reduce((s, v) => s + v, 0) / scored.length) < 1e-9, arm);
    }
    const [treated, control] = r.arms;
    assert.deepEqual(
      r.difference.map((d) => d.cumulative),
      treated!.months.map((m, i) => (m.cumulative === null ? null : m.cumulative - control!.months[i]!.cumulative!)),
    );
    assert.equal(r.clvDifference, treated!.clv.mean! - control!.clv.mean!);
  });
});
