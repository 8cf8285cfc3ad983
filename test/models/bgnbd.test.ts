// BG/NBD beyond CDNOW: the conditional expectation against high-precision reference values (including the regions
// where a plain ₂F₁ overflows or fails), P(alive) properties, parameter recovery on simulated customers, and the
// errors a fit gives when the data cannot support one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  pAlive,
  expectedPurchases,
  expectedPurchasesNew,
  fitBgNbd,
  scoreGroups,
  logHyp2f1PositiveSeries,
  type BgNbdParams,
} from '../../src/models/bgnbd.ts';
import { groupSummaries } from '../../src/models/summary.ts';
import { simulateBgNbd, seededRandom } from '../../src/models/simulate.ts';
import { ModelFitError } from '../../src/models/errors.ts';

const cdnow: BgNbdParams = { r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 };
const relativeError = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe('conditional expected purchases E[Y(t) | x, t_x, T]', () => {
  // reference values: the paper's formula evaluated with 50-digit arithmetic (mpmath)
  const cases: [string, BgNbdParams, [number, number, number, number], number][] = [
    ['CDNOW customer 1 over 39 weeks', cdnow, [2, 30.43, 38.86, 39], 1.22589548571115],
    ['a new customer over 10 years (z close to 1)', cdnow, [0, 0, 0, 520], 4.96842480949157],
    ['a heavy buyer, x = 400 (the plain ₂F₁ overflows)', cdnow, [400, 50, 52, 52], 0.0754104897867708],
    [
      'homogeneous buyers, r ≫ a + b (the library ₂F₁ fails; series fallback)',
      { r: 40, alpha: 50, a: 8, b: 2.4 },
      [3, 20, 30, 52],
      0.00312053231967117,
    ],
    [
      'a within 1e-5 of 1 (0/0 in the formula)',
      { r: 1.3, alpha: 10, a: 1.000005, b: 3 },
      [4, 10, 20, 26],
      1.4442114494925,
    ],
    ['a < 1 and b < 1', { r: 0.5, alpha: 2, a: 0.3, b: 0.4 }, [1, 1, 100, 10], 0.000962276467345898],
  ];
  for (const [name, params, [x, tx, T, t], want] of cases) {
    it(name, () => {
      const got = expectedPurchases(params, x, tx, T, t);
      assert.ok(relativeError(got, want) < 1e-6, `got ${got}, want ${want}`);
    });
  }
  it('is 0 over no time, and grows with the horizon', () => {
    assert.equal(expectedPurchases(cdnow, 2, 30.43, 38.86, 0), 0);
    const horizons = [1, 4, 13, 26, 52, 104].map((t) => expectedPurchases(cdnow, 2, 30.43, 38.86, t));
    assert.ok(horizons.every((v, i) => i === 0 || v > horizons[i - 1]));
  });
  it('for a new customer equals the unconditional E[X(t)]', () => {
    // E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))], at t = 39: 1.19500969683183 (mpmath)
    assert.ok(relativeError(expectedPurchasesNew(cdnow, 39), expectedPurchases(cdnow, 0, 0, 0, 39)) < 1e-15);
    assert.ok(
      relativeError(expectedPurchasesNew(cdnow, 39), 1.19500969683183) < 1e-9,
      `${expectedPurchasesNew(cdnow, 39)}`,
    );
  });
  it('the positive-term series agrees with a closed form: ₂F₁(1, 1; 2; z) = −ln(1−z)/z', () => {
    for (const z of [0.1, 0.5, 0.9, 0.99]) {
      assert.ok(relativeError(Math.exp(logHyp2f1PositiveSeries(1, 1, 2, z)), -Math.log1p(-z) / z) < 1e-13, `z = ${z}`);
    }
  });
});

describe('P(alive)', () => {
  it('is 1 for a customer without repeat purchases, however long ago (BG/NBD: dropout only follows a purchase)', () => {
    for (const T of [0, 10, 500]) assert.equal(pAlive(cdnow, 0, 0, T), 1);
  });
  it('right after a repeat purchase it is 1 / (1 + a/(b+x−1))', () => {
    assert.ok(Math.abs(pAlive(cdnow, 3, 20, 20) - 1 / (1 + 0.793 / 4.4262)) < 1e-15);
  });
  it('falls as the silence since the last purchase grows, and faster for frequent buyers', () => {
    const frequent = [22, 26, 30, 40].map((T) => pAlive(cdnow, 10, 20, T));
    const rare = [22, 26, 30, 40].map((T) => pAlive(cdnow, 1, 20, T));
    assert.ok(frequent.every((v, i) => i === 0 || v < frequent[i - 1]));
    assert.ok(frequent[3] < rare[3]);
  });
});

describe('fitting simulated customers recovers the parameters they were drawn from', () => {
  const shops: [string, BgNbdParams][] = [
    ['a CDNOW-like shop', cdnow],
    ['a shop of steady buyers', { r: 2, alpha: 10, a: 1.5, b: 8 }],
  ];
  for (const [name, truth] of shops) {
    it(`${name}: 50,000 customers over a year, r and α within 5 %, a and b within 15 %`, () => {
      const rows = simulateBgNbd(truth, 50_000, { rng: seededRandom(3), cohortDays: 365, resolution: 'continuous' });
      const { params } = fitBgNbd(rows);
      for (const [key, tol] of [
        ['r', 0.05],
        ['alpha', 0.05],
        ['a', 0.15],
        ['b', 0.15],
      ] as const) {
        assert.ok(relativeError(params[key], truth[key]) < tol, `${key}: ${params[key]} vs ${truth[key]}`);
      }
    });
  }
  it('scores each distinct triple once; rowGroup maps the scores back to customers', () => {
    const rows = simulateBgNbd(cdnow, 5_000, { rng: seededRandom(9), cohortDays: 84 });
    const groups = groupSummaries(rows);
    const scores = scoreGroups(cdnow, groups, 52);
    assert.equal(scores.pAlive.length, groups.size);
    for (const i of [0, 17, 4_999]) {
      const { x, tx, T } = rows[i];
      assert.equal(scores.pAlive[groups.rowGroup[i]], pAlive(cdnow, x, tx, T));
      assert.equal(scores.expected[groups.rowGroup[i]], expectedPurchases(cdnow, x, tx, T, 52));
    }
  });
});

describe('data that cannot support a fit give a ModelFitError saying why', () => {
  const rep = <T>(n: number, row: T) => Array.from({ length: n }, () => row);
  const cases: [string, () => unknown, string, RegExp][] = [
    [
      '10 customers',
      () => fitBgNbd(rep(10, { x: 1, tx: 2, T: 5 })),
      'too_few_customers',
      /10 customers, at least 30 needed/,
    ],
    [
      'fewer customers than a configured minimum',
      () => fitBgNbd(rep(100, { x: 1, tx: 2, T: 5 }), { minCustomers: 500 }),
      'too_few_customers',
      /at least 500/,
    ],
    [
      'nobody bought twice',
      () => fitBgNbd(rep(100, { x: 0, tx: 0, T: 5 })),
      'no_repeat_buyers',
      /none of the 100 customers made a repeat purchase/,
    ],
    [
      'a last purchase after the calibration end',
      () => fitBgNbd(rep(100, { x: 1, tx: 6, T: 5 })),
      'invalid_input',
      /t_x ≤ T/,
    ],
    [
      'everyone bought on the last day (no sign of dropout or heterogeneity)',
      () => fitBgNbd(rep(100, { x: 3, tx: 10, T: 10 })),
      'degenerate_estimates',
      /ran off/,
    ],
    [
      'one repeat buyer among 100',
      () => fitBgNbd([{ x: 1, tx: 8, T: 10 }, ...rep(99, { x: 0, tx: 0, T: 10 })]),
      'degenerate_estimates',
      /do not identify/,
    ],
    [
      'too few iterations allowed',
      () => fitBgNbd(simulateBgNbd(cdnow, 2_000, { rng: seededRandom(1), cohortDays: 84 }), { maxIterations: 2 }),
      'did_not_converge',
      /no convergence after/,
    ],
  ];
  for (const [name, fit, code, message] of cases) {
    it(`${name} → ${code}`, () => {
      assert.throws(
        fit,
        (e: unknown) =>
          e instanceof ModelFitError && e.code === code && e.model === 'BG/NBD' && message.test(e.message),
      );
    });
  }
});
