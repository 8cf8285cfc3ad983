// Order imports from CSV: lines of one order become one order, bad lines reject their whole order, gzip reads the same.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { importFile } from '../../src/import/import.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { customerOf, importSuite, readRejects, snapshot } from './fixtures.ts';

const CSV =
  [
    'order_id,customer_id,date,currency,product_id,name,price,quantity', // 1
    'o1,u1,2026-03-01 10:00,EUR,p1,Pen,2.50,4', // 2
    'o1,u1,2026-03-01 10:00,EUR,p2,Ink,5.00,1', // 3
    'o2,u2,2026-03-01 11:00,EUR,p1,Pen,2.50,2', // 4
    'o3,u1,2026-03-02,EUR,p3,Pad,3.00,1', // 5
    'o2,u2,2026-03-01 11:00,EUR,p3,Pad,3.00,1', // 6: o2 again, two orders later → same order
    'o4,u3,2026-03-03,EUR,p1,Pen,abc,1', // 7: bad price → all of o4 refused
    'o4,u3,2026-03-03,EUR,p2,Ink,5.00,1', // 8
    'o5,,2026-03-04,EUR,p1,Pen,2.50,2', // 9: anonymous sale
    ',u1,2026-03-05,EUR,p1,Pen,1,1', // 10: no order id
    'o6,u1,,EUR,p1,Pen,1,1', // 11: no date
    'o7,u4,2026-03-06,EUR,p1,Pen,-5,1', // 12: negative total
  ].join('\n') + '\n';

interface Case {
  name: string;
  file: string;
  text: string;
  options?: { mapping?: Record<string, string>; currency?: string; timeZone?: string };
  summary: { lines: number; accepted: number; rejected: number; anonymous: number };
  rejects: [number, string, RegExp][];
  orders: Record<
    string,
    { user_id: string | null; total: string; lines: number; placed_at?: string; currency?: string | null }
  >;
  customers?: Record<
    string,
    { orders_count: number; purchase_days: number; revenue_total: number; first?: string; last?: string }
  >;
}

const cases: Case[] = [
  {
    name: 'several lines per order, an anonymous sale, and each kind of bad line',
    file: 'orders.csv',
    text: CSV,
    summary: { lines: 11, accepted: 4, rejected: 5, anonymous: 1 },
    rejects: [
      [7, 'price', /^not a number/],
      [8, 'price', /^order o4 not imported because of line 7: not a number/],
      [10, 'order_id', /needs an order id/],
      [11, 'date', /needs a date/],
      [12, 'price', /total is negative/],
    ],
    orders: {
      o1: { user_id: 'u1', total: '15.00', lines: 2, placed_at: '2026-03-01 10:00:00+00', currency: 'EUR' },
      o2: { user_id: 'u2', total: '8.00', lines: 2 },
      o3: { user_id: 'u1', total: '3.00', lines: 1, placed_at: '2026-03-02 00:00:00+00' },
      o5: { user_id: null, total: '5.00', lines: 1 },
    },
    customers: {
      u1: {
        orders_count: 2,
        purchase_days: 2,
        revenue_total: 18,
        first: '2026-03-01T10:00:00.000Z',
        last: '2026-03-02T00:00:00.000Z',
      },
      u2: { orders_count: 1, purchase_days: 1, revenue_total: 8 },
    },
  },
  {
    name: 'an order-level total on the first line only, columns recognised by name, default currency and zone',
    file: 'shop-export.csv',
    text: 'Order Number,Customer,Placed At,Total,SKU,Qty,Price\nA100,u9,2026-04-01 09:00,30.00,s1,1,10\nA100,u9,,,s2,2,10\nA101,u9,2026-04-02 09:00,,s1,3,10\n',
    options: { currency: 'GBP', timeZone: 'Europe/London' },
    summary: { lines: 3, accepted: 2, rejected: 0, anonymous: 0 },
    rejects: [],
    orders: {
      A100: { user_id: 'u9', total: '30.00', lines: 2, placed_at: '2026-04-01 08:00:00+00', currency: 'GBP' },
      A101: { user_id: 'u9', total: '30.00', lines: 1 },
    },
    customers: { u9: { orders_count: 2, purchase_days: 2, revenue_total: 60 } },
  },
  {
    name: 'explicit --map for unusual column names',
    file: 'odd.csv',
    text: 'ref,who,when,amount\nR1,w1,2026-06-01,12.5\n',
    options: { mapping: { orderId: 'ref', userId: 'who', date: 'when', total: 'amount' } },
    summary: { lines: 1, accepted: 1, rejected: 0, anonymous: 0 },
    rejects: [],
    orders: { R1: { user_id: 'w1', total: '12.50', lines: 0, currency: null } },
  },
  {
    name: 'an order whose lines come back after more than a few other orders: the late line is refused, not lost silently',
    file: 'scattered.csv',
    text: [
      'id,user,date,price',
      'x0,u,2026-05-01,1',
      ...Array.from({ length: 9 }, (_, i) => `x${i + 1},u,2026-05-01,1`),
      'x0,u,2026-05-01,1',
    ].join('\n'),
    options: { mapping: { orderId: 'id', userId: 'user' } },
    summary: { lines: 11, accepted: 10, rejected: 1, anonymous: 0 },
    rejects: [[12, 'id', /order x0 \(line 2\) was already complete/]],
    orders: Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`x${i}`, { user_id: 'u', total: '1.00', lines: 1 }]),
    ),
  },
];

describe('import orders (CSV)', () => {
  const { t, tmp } = importSuite();

  for (const c of cases) {
    it(c.name, async () => {
      const ws = (await createWorkspace(t.db, c.name)).id;
      const rejectsFile = `${tmp.dir}/${c.file}.rejects.csv`;
      const s = await importFile(t.db, ws, {
        kind: 'orders',
        file: tmp.file(c.file, c.text),
        rejectsFile,
        batchSize: 2,
        ...c.options,
      });
      assert.deepEqual(
        { lines: s.lines, accepted: s.accepted, rejected: s.rejected, anonymous: s.anonymous },
        c.summary,
      );
      const rejects = readRejects(s.rejectsFile).sort((a, b) => a.line - b.line);
      assert.deepEqual(
        rejects.map((r) => [r.line, r.field]),
        c.rejects.map(([l, f]) => [l, f]),
      );
      c.rejects.forEach(([, , reason], i) => assert.match(rejects[i]!.reason, reason));
      const { orders } = await snapshot(t.db, ws);
      assert.deepEqual(
        orders.map((o) => o.order_id),
        Object.keys(c.orders).sort(),
      );
      for (const o of orders) {
        const want = c.orders[o.order_id as string]!;
        for (const [k, v] of Object.entries(want)) assert.equal(o[k], v, `${o.order_id}.${k}`);
      }
      for (const [userId, want] of Object.entries(c.customers ?? {})) {
        const got = (await customerOf(t.db, ws, userId))!;
        assert.equal(got.orders_count, want.orders_count);
        assert.equal(got.purchase_days, want.purchase_days);
        assert.equal(got.revenue_total, want.revenue_total);
        if (want.first) assert.equal(got.first_order_at.toISOString(), want.first);
        if (want.last) assert.equal(got.last_order_at.toISOString(), want.last);
      }
    });
  }

  it('a gzipped file imports exactly like the plain one', async () => {
    const plain = (await createWorkspace(t.db, 'plain')).id;
    const gz = (await createWorkspace(t.db, 'gz')).id;
    const a = await importFile(t.db, plain, {
      kind: 'orders',
      file: tmp.file('same.csv', CSV),
      rejectsFile: `${tmp.dir}/a.csv`,
    });
    const b = await importFile(t.db, gz, {
      kind: 'orders',
      file: tmp.file('same.csv.gz', CSV),
      rejectsFile: `${tmp.dir}/b.csv`,
    });
    assert.deepEqual({ ...b, rejectsFile: null }, { ...a, rejectsFile: null });
    assert.deepEqual(readRejects(b.rejectsFile), readRejects(a.rejectsFile));
    const [sa, sb] = [await snapshot(t.db, plain), await snapshot(t.db, gz)];
    assert.deepEqual(sb.orders, sa.orders);
    assert.deepEqual(sb.customers, sa.customers);
  });

  it('an unknown extension asks for --format', async () => {
    await assert.rejects(
      importFile(t.db, t.workspaceId, { kind: 'orders', file: tmp.file('orders.xlsx', 'x') }),
      /pass --format csv or --format jsonl/,
    );
  });
});
