// Churn risk from P(alive): the water-filter buyer who went quiet versus the kitchen-appliance buyer who buys once in
// years, scored with the BG/NBD parameters fitted on CDNOW (r = 0.2426, α = 4.4137, a = 0.7930, b = 2.4262, weeks).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeTransactions } from '../../src/models/summary.ts';
import { pAlive, expectedPurchases } from '../../src/models/bgnbd.ts';
import { riskBand, validateRiskThresholds, DEFAULT_RISK_THRESHOLDS, type RiskBand } from '../../src/models/churn.ts';

const fitted = { r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 };
const today = new Date('2026-06-30');
const daysAgo = (n: number) => new Date(today.getTime() - n * 86_400_000);

/** A customer's purchases given as "days ago", scored as of today. */
function score(purchasesDaysAgo: number[]) {
  const [s] = summarizeTransactions(
    purchasesDaysAgo.map((d) => ({ customerId: 'c', at: daysAgo(d), value: 30 })),
    { calibrationEnd: today },
  );
  const p = pAlive(fitted, s.x, s.tx, s.T);
  return {
    x: s.x,
    tx: s.tx,
    T: s.T,
    pAlive: Number(p.toFixed(4)),
    band: riskBand(p),
    nextYear: Number(expectedPurchases(fitted, s.x, s.tx, s.T, 52).toFixed(2)),
  };
}
/** Six water filters, one every 30 days, the last one `silentDays` ago. */
const waterFilter = (silentDays: number) => score([0, 1, 2, 3, 4, 5].map((k) => silentDays + 30 * k));

describe('the water-filter buyer and the kitchen-appliance buyer', () => {
  const cases: [
    string,
    ReturnType<typeof score>,
    { x: number; tx: number; T: number; pAlive: number; band: RiskBand; nextYear: number },
  ][] = [
    [
      'water filters monthly, last one 30 days ago: on schedule',
      waterFilter(30),
      { x: 5, tx: 21.43, T: 25.71, pAlive: 0.784, band: 'low', nextYear: 4.97 },
    ],
    [
      'water filters monthly, stopped 90 days ago: P(alive) halves → high risk',
      waterFilter(90),
      { x: 5, tx: 21.43, T: 34.29, pAlive: 0.4937, band: 'high', nextYear: 2.59 },
    ],
    [
      'water filters monthly, stopped 180 days ago: high risk',
      waterFilter(180),
      { x: 5, tx: 21.43, T: 47.14, pAlive: 0.1783, band: 'high', nextYear: 0.74 },
    ],
    [
      'one kitchen appliance 3 years ago: never bought again, but P(alive) = 1 (no repeat purchase, no evidence of dropout)',
      score([3 * 365]),
      { x: 0, tx: 0, T: 156.43, pAlive: 1, band: 'low', nextYear: 0.07 },
    ],
    [
      'two appliances 2 years apart, last one 90 days ago',
      score([730 + 90, 90]),
      { x: 1, tx: 104.29, T: 117.14, pAlive: 0.727, band: 'low', nextYear: 0.36 },
    ],
    [
      'two appliances 2 years apart, last one 180 days ago',
      score([730 + 180, 180]),
      { x: 1, tx: 104.29, T: 130, pAlive: 0.7015, band: 'low', nextYear: 0.31 },
    ],
  ];
  for (const [name, got, want] of cases) it(name, () => assert.deepEqual(got, want));

  it('after the same 90 days of silence the frequent buyer is far less likely alive than the rare one', () => {
    assert.ok(waterFilter(90).pAlive < score([730 + 90, 90]).pAlive - 0.2);
  });
});

describe('risk bands', () => {
  const cases: [number, RiskBand][] = [
    [0, 'high'],
    [0.49, 'high'],
    [0.5, 'medium'],
    [0.69, 'medium'],
    [0.7, 'low'],
    [1, 'low'],
  ];
  for (const [p, band] of cases)
    it(`P(alive) ${p} → ${band} with the defaults (high below 0.5: more likely gone than alive; medium below 0.7)`, () =>
      assert.equal(riskBand(p), band));
  it('thresholds are configurable', () => {
    assert.equal(riskBand(0.4937, { highBelow: 0.5, mediumBelow: 0.8 }), 'high');
    assert.equal(riskBand(0.75, { highBelow: 0.5, mediumBelow: 0.8 }), 'medium');
  });
  it('defaults are frozen', () => assert.ok(Object.isFrozen(DEFAULT_RISK_THRESHOLDS)));
  const bad: [string, () => unknown][] = [
    ['high above medium', () => validateRiskThresholds({ highBelow: 0.8, mediumBelow: 0.5 })],
    ['a threshold above 1', () => validateRiskThresholds({ highBelow: 0.3, mediumBelow: 1.2 })],
    ['a P(alive) outside [0, 1]', () => riskBand(1.5)],
    ['a NaN P(alive)', () => riskBand(NaN)],
  ];
  for (const [name, run] of bad) it(`rejects ${name}`, () => assert.throws(run, RangeError));
});
