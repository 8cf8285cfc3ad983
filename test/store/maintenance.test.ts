// Table maintenance where no autovacuum runs: statistics appear after a big change, nothing is done for a small one.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { maintainTables, maintenanceNeeded } from '../../src/store/maintenance.ts';

describe('when tables need maintenance (pure rule)', () => {
  const cases: [
    string,
    { live: number; dead: number; modifiedSinceAnalyze: number },
    { analyze: boolean; vacuum: boolean },
  ][] = [
    [
      'a small change to a small table: nothing',
      { live: 500, dead: 100, modifiedSinceAnalyze: 500 },
      { analyze: false, vacuum: false },
    ],
    [
      '5,000 new rows in a new table: analyse',
      { live: 5000, dead: 0, modifiedSinceAnalyze: 5000 },
      { analyze: true, vacuum: false },
    ],
    [
      '5% of a big table changed: nothing yet',
      { live: 1_000_000, dead: 10_000, modifiedSinceAnalyze: 50_000 },
      { analyze: false, vacuum: false },
    ],
    [
      'a third of the rows dead: vacuum',
      { live: 30_000, dead: 10_000, modifiedSinceAnalyze: 20_000 },
      { analyze: true, vacuum: true },
    ],
  ];
  for (const [name, stats, expected] of cases)
    it(name, () => assert.deepEqual(maintenanceNeeded({ name: 't', ...stats }), expected));
});

describe(`maintaining the database (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('after 5,000 new customers their table gets planner statistics (unless autovacuum does it)', async () => {
    await t.db.query('INSERT INTO customers (workspace_id, id) SELECT $1, g FROM generate_series(1, 5000) g', [
      t.workspaceId,
    ]);
    const autovacuum =
      t.db.kind === 'postgres' ? (await t.db.query<{ autovacuum: string }>('SHOW autovacuum'))[0]!.autovacuum : 'off';
    const done = await maintainTables(t.db);
    if (autovacuum === 'on') {
      assert.deepEqual(done, { analyzed: [], vacuumed: [] });
      return;
    }
    assert.ok(done.analyzed.includes('customers') || done.vacuumed.includes('customers'), JSON.stringify(done));
    const [stats] = await t.db.query<{ reltuples: number }>(
      "SELECT reltuples::float8 AS reltuples FROM pg_class WHERE relname = 'customers'",
    );
    assert.equal(stats!.reltuples, 5000);
    assert.deepEqual(await maintainTables(t.db), { analyzed: [], vacuumed: [] }, 'nothing left to do right after');
  });
});
