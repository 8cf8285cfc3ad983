// The fixed-sample statistics against published and independently computed figures.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  customersPerArm,
  newcombe,
  proportionsPValue,
  relativeLift,
  summarize,
  welch,
  wilson,
  proportionSummary,
} from '../../src/measure/index.ts';

const close = (actual: number, expected: number, digits = 4) =>
  assert.ok(Math.abs(actual - expected) < 0.5 * 10 ** -digits, `${actual} ≠ ${expected} to ${digits} places`);

describe('confidence intervals for proportions (Newcombe 1998, Statistics in Medicine 17:857 and 873)', () => {
  it('Wilson score interval of 81/263 is 0.2553 to 0.3662', () => {
    const i = wilson(81, 263);
    close(i.low, 0.2553);
    close(i.high, 0.3662);
  });
  it('Wilson by hand: 0 of 10 is 0 to z²/(n + z²)', () => {
    const z = 1.959963984540054;
    const i = wilson(0, 10);
    close(i.low, 0, 12);
    close(i.high, (z * z) / (10 + z * z), 9);
  });
  const differences: [string, [number, number, number, number], [number, number]][] = [
    ['56/70 − 48/80 (method 10: 0.0524 to 0.3339)', [56, 70, 48, 80], [0.0524, 0.3339]],
    ['9/10 − 3/10 (method 10: 0.1705 to 0.8090)', [9, 10, 3, 10], [0.1705, 0.809]],
  ];
  for (const [name, [x1, n1, x2, n2], [low, high]] of differences) {
    it(`Newcombe's hybrid score interval of ${name}`, () => {
      const i = newcombe(x1, n1, x2, n2);
      close(i.low, low);
      close(i.high, high);
    });
  }
  it('pooled z test: 56/70 vs 48/80 has p 0.008045 (scipy.stats.norm)', () =>
    close(proportionsPValue(56, 70, 48, 80), 0.008045, 6));
  it('refuses a proportion with more successes than customers, saying what it needs', () => {
    assert.throws(() => proportionSummary(11, 10), /0 ≤ successes ≤ n/);
  });
});

describe("Welch's interval for a difference in means (checked against scipy.stats.ttest_ind(equal_var=False))", () => {
  const a = summarize([19.1, 20.3, 18.7, 21.5, 22.0, 19.9, 20.8]);
  const b = summarize([17.2, 18.9, 16.5, 19.8, 18.1]);
  const w = welch(a, b);
  it('difference 2.22857, df 8.27192, interval 0.52356 to 3.93358, p 0.016513', () => {
    close(w.difference, 2.22857);
    close(w.degreesOfFreedom, 8.27192);
    close(w.interval.low, 0.52356);
    close(w.interval.high, 3.93358);
    close(w.pValue, 0.016513, 5);
  });
  it('an arm with one value has no interval (NaN), not a made-up one', () => {
    assert.ok(Number.isNaN(welch(summarize([1]), b).interval.low));
  });
});

describe('relative lift and sample size', () => {
  it('the relative lift of 6 % over 5 % is 20 %, its log interval contains it', () => {
    const r = relativeLift(proportionSummary(600, 10_000), proportionSummary(500, 10_000));
    close(r.lift, 0.2, 9);
    assert.ok(r.interval.low < 0.2 && 0.2 < r.interval.high && r.interval.low > 0.05, JSON.stringify(r));
  });
  it('textbook size: detecting 5 % → 6 % at α = 0.05 and 80 % power needs about 8,150 per arm', () => {
    const n = customersPerArm(0.01, Math.sqrt(0.06 * 0.94), Math.sqrt(0.05 * 0.95));
    // (1.95996 + 0.84162)² × (0.0564 + 0.0475) / 0.0001 = 8,155
    assert.ok(Math.abs(n - 8155) <= 1, String(n));
  });
});
