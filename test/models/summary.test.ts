// From transactions to (x, t_x, T, zbar) and holdout counts, then to grouped sufficient statistics: the rules, case by case.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeTransactions, groupSummaries, type Transaction } from '../../src/models/summary.ts';

const calibrationEnd = new Date('2026-03-31');
const tx = (customerId: string, at: string, value = 10): Transaction => ({ customerId, at: new Date(at), value });

describe('per-customer summary', () => {
  const cases: [string, Transaction[], { x: number; tx: number; T: number; zbar: number }][] = [
    [
      'a single purchase: x = 0, t_x = 0, zbar = 0, T from first purchase to calibration end',
      [tx('a', '2026-03-03T10:00:00Z', 50)],
      { x: 0, tx: 0, T: 4, zbar: 0 },
    ],
    [
      'same-day purchases merge into one purchase worth their total',
      [
        tx('a', '2026-03-03T09:00:00Z', 50),
        tx('a', '2026-03-03T18:00:00Z', 5),
        tx('a', '2026-03-10T12:00:00Z', 20),
        tx('a', '2026-03-10T13:00:00Z', 4),
      ],
      { x: 1, tx: 1, T: 4, zbar: 24 },
    ],
    [
      'zbar is the mean of the repeat purchases only, the first one left out',
      [tx('a', '2026-01-01', 1000), tx('a', '2026-01-15', 10), tx('a', '2026-02-01', 30)],
      { x: 2, tx: 4.43, T: 12.71, zbar: 20 },
    ],
    [
      't_x and T are days / 7 rounded to 2 decimals',
      [tx('a', '2026-01-01'), tx('a', '2026-01-02')],
      { x: 1, tx: 0.14, T: 12.71, zbar: 10 },
    ],
    [
      'the calibration end day counts in full (inclusive)',
      [tx('a', '2026-03-01'), tx('a', '2026-03-31T23:59:59Z')],
      { x: 1, tx: 4.29, T: 4.29, zbar: 10 },
    ],
    [
      'purchases after the calibration end are not repeat purchases',
      [tx('a', '2026-03-01'), tx('a', '2026-04-01T00:00:00Z')],
      { x: 0, tx: 0, T: 4.29, zbar: 0 },
    ],
    [
      'transactions need not come in order',
      [tx('a', '2026-03-15', 7), tx('a', '2026-03-01', 1), tx('a', '2026-03-08', 3)],
      { x: 2, tx: 2, T: 4.29, zbar: 5 },
    ],
  ];
  for (const [name, transactions, expected] of cases) {
    it(name, () => {
      const [s] = summarizeTransactions(transactions, { calibrationEnd });
      assert.deepEqual({ x: s.x, tx: s.tx, T: s.T, zbar: s.zbar }, expected);
      assert.equal('holdoutX' in s, false, 'no holdout asked, no holdout count');
    });
  }

  it('counts holdout purchase days after the calibration end up to the holdout end, same-day merged', () => {
    const [s] = summarizeTransactions(
      [
        tx('a', '2026-03-01'),
        tx('a', '2026-04-02T08:00:00Z'),
        tx('a', '2026-04-02T20:00:00Z'),
        tx('a', '2026-06-30T23:00:00Z'),
        tx('a', '2026-07-01'),
      ],
      { calibrationEnd, holdoutEnd: new Date('2026-06-30') },
    );
    assert.deepEqual({ x: s.x, holdoutX: s.holdoutX }, { x: 0, holdoutX: 2 });
  });
  it('leaves out customers who first bought after the calibration end', () => {
    const out = summarizeTransactions([tx('old', '2026-01-01'), tx('new', '2026-04-05')], {
      calibrationEnd,
      holdoutEnd: new Date('2026-06-30'),
    });
    assert.deepEqual(
      out.map((s) => s.customerId),
      ['old'],
    );
  });
  it('decides the day in the shop’s time zone when given an offset', () => {
    const late = [tx('a', '2026-03-01T12:00:00Z'), tx('a', '2026-03-01T23:30:00Z')];
    assert.equal(summarizeTransactions(late, { calibrationEnd })[0].x, 0, 'same UTC day');
    assert.equal(
      summarizeTransactions(late, { calibrationEnd, utcOffsetMinutes: 60 })[0].x,
      1,
      '00:30 next day at UTC+1',
    );
  });
  it('can count time in days instead of weeks', () => {
    const [s] = summarizeTransactions([tx('a', '2026-03-01'), tx('a', '2026-03-11')], {
      calibrationEnd,
      periodDays: 1,
    });
    assert.deepEqual({ tx: s.tx, T: s.T }, { tx: 10, T: 30 });
  });
  it('keeps the first purchase day and sorts customers by it', () => {
    const out = summarizeTransactions([tx('b', '2026-02-01T15:00:00Z'), tx('a', '2026-02-03'), tx('c', '2026-02-01')], {
      calibrationEnd,
    });
    assert.deepEqual(
      out.map((s) => [s.customerId, s.firstPurchase.toISOString()]),
      [
        ['b', '2026-02-01T00:00:00.000Z'],
        ['c', '2026-02-01T00:00:00.000Z'],
        ['a', '2026-02-03T00:00:00.000Z'],
      ],
    );
  });
  const bad: [string, () => unknown, RegExp][] = [
    [
      'an invalid purchase date',
      () => summarizeTransactions([tx('a', 'not a date')], { calibrationEnd }),
      /invalid date/,
    ],
    [
      'a non-finite value',
      () => summarizeTransactions([{ customerId: 'a', at: new Date('2026-01-01'), value: NaN }], { calibrationEnd }),
      /non-finite value/,
    ],
    [
      'a holdout ending before the calibration',
      () => summarizeTransactions([], { calibrationEnd, holdoutEnd: new Date('2026-01-01') }),
      /holdoutEnd/,
    ],
  ];
  for (const [name, run, message] of bad) it(`rejects ${name}`, () => assert.throws(run, message));
});

describe('grouping into sufficient statistics', () => {
  it('collapses customers with the same (x, t_x, T) and remembers each row’s group', () => {
    const rows = [
      { x: 0, tx: 0, T: 10 },
      { x: 2, tx: 5, T: 10 },
      { x: 0, tx: 0, T: 10 },
      { x: 2, tx: 5, T: 10 },
      { x: 2, tx: 5, T: 11 },
    ];
    const g = groupSummaries(rows);
    assert.equal(g.size, 3);
    assert.equal(g.customers, 5);
    assert.deepEqual([...g.rowGroup], [0, 1, 0, 1, 2]);
    assert.deepEqual([...g.count], [2, 2, 1]);
    assert.deepEqual([...g.x, ...g.tx, ...g.T], [0, 2, 2, 0, 5, 5, 10, 10, 11]);
  });
  const bad: [string, { x: number; tx: number; T: number }][] = [
    ['t_x after T', { x: 1, tx: 6, T: 5 }],
    ['a fractional x', { x: 1.5, tx: 1, T: 5 }],
    ['a negative x', { x: -1, tx: 0, T: 5 }],
    ['t_x > 0 without repeat purchases', { x: 0, tx: 1, T: 5 }],
  ];
  for (const [name, row] of bad) it(`rejects ${name}`, () => assert.throws(() => groupSummaries([row]), RangeError));
});
