// The cdnow preset on small files in both CDNOW layouts (sample: 5 columns, no header; master: header, 4 columns).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { importFile } from '../../src/import/import.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { importSuite, readRejects, snapshot } from './fixtures.ts';

const cases = [
  {
    name: 'sample layout: user id = sample id without zeros, master id kept on the order',
    file: 'CDNOW_sample.txt',
    text: ' 00004 0001 19970101  2   29.33\r\n 00004 0001 19970101  1   10.00\r\n 00021 0002 19970102  3   63.34\r\n 00022 0003 1997011x  1   1.00\r\n',
    orders: [
      ['cdnow-sample-1', '1', '29.33', '1997-01-01 00:00:00+00'],
      ['cdnow-sample-2', '1', '10.00', '1997-01-01 00:00:00+00'],
      ['cdnow-sample-3', '2', '63.34', '1997-01-02 00:00:00+00'],
    ],
    rejects: [[4, 'date']],
    customers: [
      ['1', 2, 1, '39.33'],
      ['2', 1, 1, '63.34'],
    ],
  },
  {
    name: 'master layout: header skipped, user id = customer id without zeros',
    file: 'CDNOW_master.txt',
    text: ' customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n 00002 19970112  1   12.00\r\n 00002 19970112  5   77.00\r\n',
    orders: [
      ['cdnow-master-2', '1', '11.77', '1997-01-01 00:00:00+00'],
      ['cdnow-master-3', '2', '12.00', '1997-01-12 00:00:00+00'],
      ['cdnow-master-4', '2', '77.00', '1997-01-12 00:00:00+00'],
    ],
    rejects: [],
    customers: [
      ['1', 1, 1, '11.77'],
      ['2', 2, 1, '89.00'],
    ],
  },
];

describe('import orders --preset cdnow', () => {
  const { t, tmp } = importSuite();

  for (const c of cases) {
    it(c.name, async () => {
      const ws = (await createWorkspace(t.db, c.name)).id;
      const s = await importFile(t.db, ws, {
        kind: 'orders',
        preset: 'cdnow',
        file: tmp.file(c.file, c.text),
        rejectsFile: `${tmp.dir}/${c.file}.rejects.csv`,
      });
      assert.equal(s.accepted, c.orders.length);
      assert.deepEqual(
        readRejects(s.rejectsFile).map((r) => [r.line, r.field]),
        c.rejects,
      );
      const state = await snapshot(t.db, ws);
      assert.deepEqual(
        state.orders.map((o) => [o.order_id, o.user_id, o.total, o.placed_at]),
        c.orders,
      );
      assert.deepEqual(
        state.customers.map((x) => [x.user_id, x.orders_count, x.purchase_days, x.revenue_total]),
        c.customers,
      );
    });
  }

  it('the sample keeps the master id and the number of CDs on the order', async () => {
    const [e] = await t.db.query<Record<string, any>>(
      `SELECT properties FROM events WHERE properties->>'orderId' = 'cdnow-sample-1'`,
    );
    assert.deepEqual(e!.properties, {
      orderId: 'cdnow-sample-1',
      total: 29.33,
      currency: 'USD',
      cdnow_master_id: '4',
      products: [{ name: 'CDs', quantity: 2, price: 14.665 }],
    });
  });
});
