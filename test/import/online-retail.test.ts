// The online-retail preset on a small gzipped file in the UCI layout: invoices, cancellations, anonymous sales.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { importFile } from '../../src/import/import.ts';
import { customerOf, importSuite, readRejects, snapshot } from './fixtures.ts';

const CSV =
  [
    'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country', // 1
    '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom', // 2
    '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom', // 3
    '536366,22633,HAND WARMER UNION JACK,6,2011-06-01 08:28:00,1.85,17850.0,United Kingdom', // 4: summer time (UTC+1)
    'C536379,D,Discount,-1,2011-06-02 09:41:00,27.50,17850.0,United Kingdom', // 5: cancellation
    '536414,22139,,56,2010-12-01 11:52:00,0.0,,United Kingdom', // 6: anonymous, zero value
    '536544,21773,"DECORATIVE ROSE BATHROOM BOTTLE, ",1,2010-12-01 14:32:00,2.51,,United Kingdom', // 7: anonymous
    '536544,21774,DECORATIVE CATS BATHROOM BOTTLE,2,2010-12-01 14:32:00,2.51,,United Kingdom', // 8
    'C536548,22244,3 HOOK HANGER MAGIC GARDEN,-4,2010-12-01 14:33:00,1.95,,Germany', // 9: anonymous cancellation
    'A563186,B,Adjust bad debt,1,2011-08-12 14:51:00,-11062.06,,United Kingdom', // 10: not an order
    '536400,X,Thing,1,2010-13-01 10:00:00,1,12347.0,Iceland', // 11: month 13
    '536370,22728,ALARM CLOCK BAKELIKE PINK,24,2010-12-01 08:45:00,3.75,12583.0,France', // 12
  ].join('\n') + '\n';

describe('import orders --preset online-retail', () => {
  const { t, tmp } = importSuite();

  it('invoices become orders, C invoices refunds, lines without CustomerID anonymous sales', async () => {
    const rejectsFile = `${tmp.dir}/retail.rejects.csv`;
    const s = await importFile(t.db, t.workspaceId, {
      kind: 'orders',
      preset: 'online-retail',
      file: tmp.file('retail.csv.gz', CSV),
      rejectsFile,
      batchSize: 3,
    });
    assert.deepEqual(s, {
      lines: 11,
      accepted: 7,
      duplicates: 0,
      rejected: 2,
      anonymous: 4,
      resumedFrom: 0,
      rejectsFile,
      complete: true,
    });
    const rejects = readRejects(rejectsFile).sort((a, b) => a.line - b.line);
    assert.deepEqual(
      rejects.map((r) => [r.line, r.field]),
      [
        [10, 'UnitPrice'],
        [11, 'InvoiceDate'],
      ],
    );

    const { orders, adjustments } = await snapshot(t.db, t.workspaceId);
    assert.deepEqual(
      orders.map((o) => [o.order_id, o.user_id, o.total, o.lines, o.currency, o.placed_at]),
      [
        ['536365', '17850', '35.64', 2, 'GBP', '2010-12-01 08:26:00+00'],
        ['536366', '17850', '11.10', 1, 'GBP', '2011-06-01 07:28:00+00'],
        ['536370', '12583', '90.00', 1, 'GBP', '2010-12-01 08:45:00+00'],
        ['536414', null, '0.00', 1, 'GBP', '2010-12-01 11:52:00+00'],
        ['536544', null, '7.53', 2, 'GBP', '2010-12-01 14:32:00+00'],
      ],
    );
    assert.deepEqual(
      adjustments.map((a) => [a.order_id, a.kind, a.amount]),
      [
        ['C536379', 'refund', '27.50'],
        ['C536548', 'refund', '7.80'],
      ],
    );

    const c = (await customerOf(t.db, t.workspaceId, '17850'))!;
    assert.deepEqual(
      [
        c.orders_count,
        c.purchase_days,
        c.revenue_total,
        c.revenue_net,
        c.first_order_at.toISOString(),
        c.last_order_at.toISOString(),
      ],
      [2, 2, 46.74, 19.24, '2010-12-01T08:26:00.000Z', '2011-06-01T07:28:00.000Z'],
    );
    const [event] = await t.db.query<Record<string, any>>(
      `SELECT context, properties FROM events WHERE workspace_id = $1 AND properties->>'orderId' = '536370'`,
      [t.workspaceId],
    );
    assert.deepEqual(event!.context, { location: { country: 'France' }, traits: { country: 'France' } });
    assert.deepEqual(event!.properties.products, [
      { product_id: '22728', name: 'ALARM CLOCK BAKELIKE PINK', price: 3.75, quantity: 24 },
    ]);
    const [{ n }] = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM customers WHERE workspace_id = $1',
      [t.workspaceId],
    );
    assert.equal(n, 2, 'anonymous sales create no customer');
  });

  it('the preset only imports orders', async () => {
    await assert.rejects(
      importFile(t.db, t.workspaceId, { kind: 'customers', preset: 'online-retail', file: tmp.file('x.csv', CSV) }),
      /imports orders, not customers/,
    );
  });
});
