// Properties of Pareto/NBD and MBG/NBD over random parameters and customers: P(alive) is a probability, falls as the
// customer stays silent longer, and is below 1 for one-time buyers; expected purchases are ≥ 0 and grow with t.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { paretoNbdPAlive, paretoNbdExpectedPurchases } from '../../src/models/paretonbd.ts';
import { mbgNbdPAlive, mbgNbdExpectedPurchases } from '../../src/models/mbgnbd.ts';

const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true });
/** A customer (x, t_x, T) with 0 ≤ t_x ≤ T, t_x = 0 when x = 0, and a later age T2 ≥ T. */
const customer = fc
  .record({
    x: fc.integer({ min: 0, max: 60 }),
    T: positive(0.1, 200),
    share: positive(0, 1),
    more: positive(0.1, 100),
  })
  .map(({ x, T, share, more }) => ({ x, tx: x === 0 ? 0 : share * T, T, T2: T + more }));
const horizons = fc
  .tuple(positive(0.01, 100), positive(0.01, 100))
  .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

const models = [
  {
    name: 'Pareto/NBD',
    params: fc.record({
      r: positive(0.05, 5),
      alpha: positive(0.5, 50),
      s: positive(0.05, 5),
      beta: positive(0.5, 50),
    }),
    pAlive: paretoNbdPAlive,
    expected: paretoNbdExpectedPurchases,
  },
  {
    name: 'MBG/NBD',
    params: fc.record({ r: positive(0.05, 5), alpha: positive(0.5, 50), a: positive(0.05, 5), b: positive(0.05, 10) }),
    pAlive: mbgNbdPAlive,
    expected: mbgNbdExpectedPurchases,
  },
] as const;

for (const m of models) {
  describe(`${m.name} properties`, () => {
    const pAlive = m.pAlive as (p: unknown, x: number, tx: number, T: number) => number;
    const expected = m.expected as (p: unknown, x: number, tx: number, T: number, t: number) => number;
    it('P(alive) is in [0, 1], below 1 for one-time buyers, and does not rise while the customer stays silent', () => {
      fc.assert(
        fc.property(m.params, customer, (p, c) => {
          const now = pAlive(p, c.x, c.tx, c.T);
          const later = pAlive(p, c.x, c.tx, c.T2);
          assert.ok(now >= 0 && now <= 1, `P(alive) ${now}`);
          assert.ok(later <= now + 1e-12, `P(alive) rose from ${now} to ${later}`);
          if (c.x === 0) assert.ok(pAlive(p, 0, 0, c.T) < 1);
        }),
        { numRuns: 300 },
      );
    });
    it('expected purchases are finite, ≥ 0 and do not fall as the horizon grows', () => {
      fc.assert(
        fc.property(m.params, customer, horizons, (p, c, [t1, t2]) => {
          const e1 = expected(p, c.x, c.tx, c.T, t1);
          const e2 = expected(p, c.x, c.tx, c.T, t2);
          assert.ok(Number.isFinite(e1) && e1 >= 0, `E[Y(${t1})] = ${e1}`);
          assert.ok(e2 >= e1 * (1 - 1e-9), `E[Y(${t2})] = ${e2} < E[Y(${t1})] = ${e1}`);
        }),
        { numRuns: 300 },
      );
    });
  });
}
