// The score descriptor (src/scores/descriptor.ts) against the migrated schema and its readers: every score has its column
// of its SQL type on customers (a new score needs one migration line and one descriptor entry), a text score's fixed
// values are exactly what the column's CHECK allows, and stored columns, API scores and template scores convert
// without loss.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { SCORES, scoreColumns, scoreValues, templateScores, type ScoreColumns } from '../../src/scores/descriptor.ts';

const SQL_TYPES = { smallint: 'smallint', float8: 'double precision', text: 'text' } as const;

describe(`score descriptor (${backend})`, () => {
  let t: TestDb;
  before(async () => {
    t = await freshDb();
  });
  after(async () => t?.close());

  it('has a customers column of the described type for every score', async () => {
    const rows = await t.db.query<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'customers' AND table_schema = current_schema()",
    );
    const columns = new Map(rows.map((r) => [r.column_name, r.data_type]));
    for (const s of SCORES) assert.equal(columns.get(s.name), SQL_TYPES[s.sql], `customers.${s.name}`);
  });

  it('lists exactly the values the column accepts for a text score with fixed values', async () => {
    const ws = t.workspaceId;
    let id = 0;
    for (const s of SCORES) {
      if (!('values' in s)) continue;
      for (const v of s.values) {
        await t.db.query(`INSERT INTO customers (workspace_id, id, ${s.name}) VALUES ($1, $2, $3)`, [ws, ++id, v]);
      }
      await assert.rejects(
        t.db.query(`INSERT INTO customers (workspace_id, id, ${s.name}) VALUES ($1, $2, $3)`, [
          ws,
          ++id,
          'not-a-value',
        ]),
        /check constraint/i,
        `${s.name} refuses a value outside its list`,
      );
    }
  });

  it('reads stored columns as API scores and template scores, and back', () => {
    const stored: ScoreColumns = {
      rfm_r: 5,
      rfm_f: 4,
      rfm_m: 3,
      p_alive: 0.25,
      clv: 120.5,
      expected_purchases: 1.5,
      expected_order_value: 40,
      rfm_segment: 'Champions',
      churn_risk: 'high',
      lifecycle_stage: 'at_risk',
    };
    const api = scoreValues(stored);
    assert.deepEqual(api, {
      rfm: { r: 5, f: 4, m: 3 },
      pAlive: 0.25,
      clv: 120.5,
      expectedPurchases: 1.5,
      expectedOrderValue: 40,
      rfmSegment: 'Champions',
      churnRisk: 'high',
      lifecycleStage: 'at_risk',
    });
    assert.deepEqual(scoreColumns(api), stored);
    assert.deepEqual(templateScores(api), {
      rfm: { r: 5, f: 4, m: 3 },
      p_alive: 0.25,
      clv: 120.5,
      expected_purchases: 1.5,
      expected_order_value: 40,
      rfm_segment: 'Champions',
      churn_risk: 'high',
      lifecycle_stage: 'at_risk',
    });
    // a group is null unless every member is set; numbers stored as text (numeric) are read as numbers
    assert.deepEqual(scoreValues({ rfm_r: 5, rfm_f: null, p_alive: '0.5' }).rfm, null);
    assert.equal(scoreValues({ p_alive: '0.5' }).pAlive, 0.5);
    assert.deepEqual(templateScores(undefined), {
      rfm: null,
      p_alive: null,
      clv: null,
      expected_purchases: null,
      expected_order_value: null,
      rfm_segment: null,
      churn_risk: null,
      lifecycle_stage: null,
    });
  });
});
