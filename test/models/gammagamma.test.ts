// Gamma-Gamma spend and CLV: recovery on simulated spend, the shrinkage of E[Z | x, zbar], CLV's discounting, and
// the errors for spend data that cannot support a fit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  fitGammaGamma,
  expectedAverageValue,
  customerLifetimeValue,
  type GammaGammaParams,
  type SpendSummary,
} from '../../src/models/gammagamma.ts';
import { expectedPurchases } from '../../src/models/bgnbd.ts';
import { seededRandom, randomGamma } from '../../src/models/simulate.ts';
import { ModelFitError } from '../../src/models/errors.ts';

const cdnowSpend: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };
const cdnowPurchases = { r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 };

/** Repeat buyers whose purchase values are Gamma(p, ν), ν ~ Gamma(q, γ) across customers. */
function simulateSpend(params: GammaGammaParams, customers: number, seed: number, unit = 1): SpendSummary[] {
  const rng = seededRandom(seed);
  return Array.from({ length: customers }, () => {
    const x = 1 + Math.floor(rng() * 8);
    const nu = randomGamma(rng, params.q, params.gamma);
    let total = 0;
    for (let k = 0; k < x; k++) total += randomGamma(rng, params.p, nu);
    return { x, zbar: (total / x) * unit };
  });
}

describe('Gamma-Gamma fit', () => {
  it('recovers p, q, γ from 20,000 simulated repeat buyers (within 10 %)', () => {
    const { params } = fitGammaGamma(simulateSpend(cdnowSpend, 20_000, 5));
    for (const key of ['p', 'q', 'gamma'] as const) {
      assert.ok(Math.abs(params[key] / cdnowSpend[key] - 1) < 0.1, `${key}: ${params[key]}`);
    }
  });
  it('does not care about the currency unit: spend in cents gives γ × 100 and the same p, q', () => {
    const dollars = fitGammaGamma(simulateSpend(cdnowSpend, 2_000, 6)).params;
    const cents = fitGammaGamma(simulateSpend(cdnowSpend, 2_000, 6, 100)).params;
    assert.ok(Math.abs(cents.p / dollars.p - 1) < 1e-6 && Math.abs(cents.q / dollars.q - 1) < 1e-6);
    assert.ok(Math.abs(cents.gamma / (100 * dollars.gamma) - 1) < 1e-6);
  });
  it('ignores customers without repeat purchases or with zero spend', () => {
    const rows = simulateSpend(cdnowSpend, 500, 7);
    const a = fitGammaGamma(rows);
    const b = fitGammaGamma([...rows, { x: 0, zbar: 0 }, { x: 3, zbar: 0 }]);
    assert.deepEqual(b.params, a.params);
    assert.equal(b.customers, 500);
  });
});

describe('E[Z | x, zbar]: the customer’s own mean, shrunk towards the population mean pγ/(q−1)', () => {
  const population = (6.25 * 15.44) / 2.74;
  it('with no repeat purchase it is the population mean ($35.22 for CDNOW)', () => {
    assert.equal(expectedAverageValue(cdnowSpend, 0, 0).toFixed(2), '35.22');
    assert.ok(Math.abs(expectedAverageValue(cdnowSpend, 0, 0) - population) < 1e-12);
  });
  it('is the weighted average with weight px/(px+q−1) on zbar', () => {
    for (const [x, zbar] of [
      [1, 100],
      [2, 22.35],
      [20, 5],
    ]) {
      const w = (6.25 * x) / (6.25 * x + 2.74);
      assert.ok(Math.abs(expectedAverageValue(cdnowSpend, x, zbar) - (w * zbar + (1 - w) * population)) < 1e-9);
    }
  });
  it('CDNOW customer 1 (x = 2, zbar = $22.35) is expected to spend $24.66 per purchase', () => {
    assert.equal(expectedAverageValue(cdnowSpend, 2, 22.345).toFixed(2), '24.66');
  });
  it('is undefined (NaN) when the population mean is (q ≤ 1) and the customer has no repeat spend', () => {
    assert.ok(Number.isNaN(expectedAverageValue({ p: 2, q: 0.8, gamma: 10 }, 0, 0)));
  });
});

describe('customer lifetime value', () => {
  const customer = { x: 2, tx: 30.43, T: 38.86, zbar: 22.345 };
  const monthly = { periods: 12, periodLength: 52 / 12 };
  const undiscounted =
    expectedAverageValue(cdnowSpend, 2, 22.345) * expectedPurchases(cdnowPurchases, 2, 30.43, 38.86, 52);
  it('without discounting it is E[Z] · E[Y(horizon)]', () => {
    const clv = customerLifetimeValue(cdnowPurchases, cdnowSpend, customer, { ...monthly, discountRate: 0 });
    assert.ok(Math.abs(clv - undiscounted) < 1e-9, `${clv} vs ${undiscounted}`);
  });
  it('discounting each month’s purchases lowers it, by less than discounting everything by a whole year', () => {
    const clv = customerLifetimeValue(cdnowPurchases, cdnowSpend, customer, { ...monthly, discountRate: 0.01 });
    assert.ok(clv < undiscounted && clv > undiscounted / 1.01 ** 12);
    assert.equal(clv.toFixed(2), '36.20');
  });
  it('applies the margin', () => {
    const revenue = customerLifetimeValue(cdnowPurchases, cdnowSpend, customer, { ...monthly, discountRate: 0.01 });
    const profit = customerLifetimeValue(cdnowPurchases, cdnowSpend, customer, {
      ...monthly,
      discountRate: 0.01,
      margin: 0.3,
    });
    assert.ok(Math.abs(profit - 0.3 * revenue) < 1e-9);
  });
  it('rejects a horizon that makes no sense', () => {
    assert.throws(
      () =>
        customerLifetimeValue(cdnowPurchases, cdnowSpend, customer, { periods: 1.5, periodLength: 4, discountRate: 0 }),
      RangeError,
    );
    assert.throws(
      () =>
        customerLifetimeValue(cdnowPurchases, cdnowSpend, customer, { periods: 12, periodLength: 0, discountRate: 0 }),
      RangeError,
    );
  });
});

describe('spend data that cannot support a fit give a ModelFitError saying why', () => {
  const rep = <T>(n: number, row: T) => Array.from({ length: n }, () => row);
  const cases: [string, () => unknown, string][] = [
    ['nobody has repeat spend', () => fitGammaGamma(rep(100, { x: 0, zbar: 0 })), 'no_repeat_buyers'],
    ['5 repeat buyers', () => fitGammaGamma(rep(5, { x: 2, zbar: 10 })), 'too_few_customers'],
    [
      'every repeat buyer spends exactly the same',
      () => fitGammaGamma([...rep(50, { x: 2, zbar: 10 }), ...rep(50, { x: 1, zbar: 10 })]),
      'degenerate_estimates',
    ],
  ];
  for (const [name, fit, code] of cases) {
    it(`${name} → ${code}`, () =>
      assert.throws(fit, (e: unknown) => e instanceof ModelFitError && e.code === code && e.model === 'Gamma-Gamma'));
  }
});
