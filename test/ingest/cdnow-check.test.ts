// CDNOW sample (shipped in datasets/cdnow): after the cdnow preset import, every customer's aggregates equal what the file says.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDb, type TestDb } from '../helpers/db.ts';
import { importFile } from '../../src/import/import.ts';
import { shippedFile } from '../../src/datasets/shipped.ts';

const SAMPLE = shippedFile('cdnow/CDNOW_sample.txt');
const SUMMARY = shippedFile('cdnow/cdnow_customers_summary_with_transactions.csv');

interface Expected {
  orders: number;
  days: Set<string>;
  first: string;
  last: string;
  cents: number;
}

/** Straight from the file, without the importer: sample_id → what the platform must hold. */
function expectedFromFile(): Map<string, Expected> {
  const out = new Map<string, Expected>();
  for (const raw of readFileSync(SAMPLE, 'utf8').split(/\r?\n/)) {
    if (!raw.trim()) continue;
    const [, sampleId, ymd, , dollars] = raw.trim().split(/\s+/);
    const id = String(parseInt(sampleId!, 10));
    const day = `${ymd!.slice(0, 4)}-${ymd!.slice(4, 6)}-${ymd!.slice(6, 8)}`;
    const e = out.get(id) ?? { orders: 0, days: new Set<string>(), first: day, last: day, cents: 0 };
    e.orders++;
    e.days.add(day);
    if (day < e.first) e.first = day;
    if (day > e.last) e.last = day;
    e.cents += Math.round(Number(dollars) * 100);
    out.set(id, e);
  }
  return out;
}

describe('CDNOW sample through the cdnow preset', () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('imports all 6,919 purchases of 2,357 customers, and each customer matches the file', {
    timeout: 60_000,
  }, async () => {
    const expected = expectedFromFile();
    assert.equal(expected.size, 2357);
    const s = await importFile(t.db, t.workspaceId, {
      kind: 'orders',
      preset: 'cdnow',
      file: SAMPLE,
      rejectsFile: join(tmpdir(), `cdnow-${process.pid}.rejects.csv`),
    });
    assert.deepEqual([s.lines, s.accepted, s.rejected, s.complete], [6919, 6919, 0, true]);

    const rows = await t.db.query<{
      user_id: string;
      orders_count: number;
      purchase_days: number;
      first: string;
      last: string;
      cents: string;
      net: string;
    }>(
      `SELECT user_id, orders_count, purchase_days, to_char(first_order_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS first,
              to_char(last_order_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS last,
              (revenue_total * 100)::bigint::text AS cents, (revenue_net * 100)::bigint::text AS net
         FROM customers WHERE workspace_id = $1`,
      [t.workspaceId],
    );
    assert.equal(rows.length, expected.size);
    const wrong: string[] = [];
    for (const r of rows) {
      const e = expected.get(r.user_id);
      if (!e) {
        wrong.push(`${r.user_id}: not in the file`);
        continue;
      }
      const want = [
        e.orders,
        e.days.size,
        `${e.first}T00:00:00`,
        `${e.last}T00:00:00`,
        String(e.cents),
        String(e.cents),
      ];
      const got = [r.orders_count, r.purchase_days, r.first, r.last, r.cents, r.net];
      if (JSON.stringify(got) !== JSON.stringify(want))
        wrong.push(`${r.user_id}: got ${JSON.stringify(got)}, file says ${JSON.stringify(want)}`);
    }
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} customers differ`);
  });

  it('user ids are the IDs of the published summary: its x (repeat purchase days to 1997-09-30) is reproduced for everyone', async () => {
    const summary = readFileSync(SUMMARY, 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(','));
    const rows = await t.db.query<{ user_id: string; x: number }>(
      `SELECT c.user_id, count(DISTINCT (o.placed_at AT TIME ZONE 'UTC')::date)::int - 1 AS x
         FROM customers c JOIN orders o ON o.workspace_id = c.workspace_id AND o.customer_id = c.id
        WHERE c.workspace_id = $1 AND o.placed_at < '1997-10-01T00:00:00Z' GROUP BY c.user_id`,
      [t.workspaceId],
    );
    const x = new Map(rows.map((r) => [r.user_id, r.x]));
    assert.equal(summary.length, 2357);
    const wrong = summary
      .filter(([id, sx]) => x.get(id!) !== Number(sx))
      .map(([id, sx]) => `${id}: summary x=${sx}, ours ${x.get(id!)}`);
    assert.deepEqual(wrong.slice(0, 10), []);
    assert.equal(
      [...x.values()].reduce((a, b) => a + b, 0),
      2457,
      'the README total of repeat purchases in calibration',
    );
  });
});
