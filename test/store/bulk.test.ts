// Bulk rows: what one column spec writes comes back the same, on both backends, for every column type and for NULLs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { bulkRows } from '../../src/store/bulk.ts';

describe('the bulk statement pieces (pure)', () => {
  it('names each column once and numbers the arrays from the first parameter', () => {
    const b = bulkRows({ id: 'bigint', status: 'text' }, [{ id: 1, status: 'sent' }], { at: 2, as: 'u' });
    assert.equal(b.from, 'unnest($2::bigint[], $3::text[]) AS u(id, status)');
    assert.equal(b.columns, 'id, status');
    assert.deepEqual(b.params, [[1], ['sent']]);
  });
  it('adds the row position as n with ordinality', () => {
    const b = bulkRows({ k: 'text' }, [{ k: 'a' }], { at: 1, ordinality: true });
    assert.equal(b.from, 'unnest($1::text[]) WITH ORDINALITY AS t(k, n)');
  });
  it('refuses a column name that is not a plain SQL name, naming it', () => {
    assert.throws(() => bulkRows({ 'id; DROP TABLE x': 'text' }, [], { at: 1 }), /"id; DROP TABLE x" is not a plain/);
    assert.throws(() => bulkRows({}, [], { at: 1 }), /spec is empty/);
  });
});

describe(`bulk rows through the database (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  const spec = {
    name: 'text',
    big: 'bigint',
    small: 'smallint',
    whole: 'int',
    amount: 'numeric',
    ratio: 'float8',
    ok: 'boolean',
    at: 'timestamptz',
    day: 'date',
    extra: 'jsonb',
  } as const;
  const rows = [
    {
      name: 'Zażółć "gęślą" {jaźń}, \\ ok',
      big: 9007199254740993n,
      small: 5,
      whole: -7,
      amount: '1234.50',
      ratio: 0.25,
      ok: true,
      at: new Date('2026-12-07T10:00:00.000Z'),
      day: '2026-02-28',
      extra: { cart: [{ sku: 'A,1', qty: 2 }], note: 'a "quote"' },
    },
    {
      name: null,
      big: '42',
      small: null,
      whole: null,
      amount: 3,
      ratio: null,
      ok: false,
      at: '2026-01-01T00:00:00Z',
      day: new Date('2026-03-01T00:00:00Z'),
      extra: null,
    },
    {
      name: '',
      big: undefined,
      small: 0,
      whole: 0,
      amount: null,
      ratio: 1e-9,
      ok: null,
      at: null,
      day: null,
      extra: [1, 'two'],
    },
  ];

  it('reads every row back as written, NULLs included, in order', async () => {
    const b = bulkRows(spec, rows, { at: 1, as: 'r', ordinality: true });
    const back = await t.db.query<Record<string, unknown>>(
      `SELECT n::int, name, big::text, small, whole, amount::text, ratio, ok, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS at,
              day::text, extra FROM ${b.from} ORDER BY n`,
      b.params,
    );
    assert.deepEqual(
      back.map((r) => r.n),
      [1, 2, 3],
    );
    assert.deepEqual(
      back.map((r) => r.name),
      ['Zażółć "gęślą" {jaźń}, \\ ok', null, ''],
    );
    assert.deepEqual(
      back.map((r) => r.big),
      ['9007199254740993', '42', null],
    );
    assert.deepEqual(
      back.map((r) => r.small),
      [5, null, 0],
    );
    assert.deepEqual(
      back.map((r) => r.amount),
      ['1234.50', '3', null],
    );
    assert.deepEqual(
      back.map((r) => r.ratio),
      [0.25, null, 1e-9],
    );
    assert.deepEqual(
      back.map((r) => r.ok),
      [true, false, null],
    );
    assert.deepEqual(
      back.map((r) => r.at),
      ['2026-12-07T10:00', '2026-01-01T00:00', null],
    );
    assert.deepEqual(
      back.map((r) => r.day),
      ['2026-02-28', '2026-03-01', null],
    );
    assert.deepEqual(
      back.map((r) => r.extra),
      [{ cart: [{ sku: 'A,1', qty: 2 }], note: 'a "quote"' }, null, [1, 'two']],
    );
  });

  it('writes rows into a table after a fixed parameter', async () => {
    const b = bulkRows(
      { id: 'bigint', user_id: 'text' },
      [
        { id: 1, user_id: 'u1' },
        { id: 2, user_id: null },
      ],
      { at: 2 },
    );
    await t.db.query(`INSERT INTO customers (workspace_id, ${b.columns}) SELECT $1, ${b.columns} FROM ${b.from}`, [
      t.workspaceId,
      ...b.params,
    ]);
    const back = await t.db.query<{ id: string; user_id: string | null }>(
      'SELECT id::text, user_id FROM customers WHERE workspace_id = $1 ORDER BY id',
      [t.workspaceId],
    );
    assert.deepEqual(back, [
      { id: '1', user_id: 'u1' },
      { id: '2', user_id: null },
    ]);
  });

  it('an empty batch is no rows, not an error', async () => {
    const b = bulkRows({ id: 'bigint' }, [], { at: 1 });
    assert.deepEqual(await t.db.query(`SELECT id FROM ${b.from}`, b.params), []);
  });
});
