// The heavy-tail check: the same arms on log(1 + amount) beside Welch on the amounts; worked by hand where they agree
// and where they do not, and carried by an imported experiment's report for each amount.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { summarize } from '../../src/measure/index.ts';
import { logAmount, robustnessCheck } from '../../src/measure/robust.ts';
import { welch } from '../../src/measure/intervals.ts';
import { experimentReport } from '../../src/measure/experiments/report.ts';
import { ExperimentTally } from '../../src/measure/experiments/tally.ts';

const repeat = (x: number, n: number) => Array.from({ length: n }, () => x);

describe('the heavy-tail check of a revenue lift', () => {
  it('same mean, different shape: 100 customers spend 10 each against 10 of 100 spending 100 — Welch sees nothing, the logs see a lift', () => {
    const treated = [...repeat(10, 100)];
    const control = [...repeat(100, 10), ...repeat(0, 90)];
    const amounts = welch(summarize(treated), summarize(control));
    assert.equal(amounts.difference, 0);
    const check = robustnessCheck(
      amounts.interval,
      summarize(treated.map(logAmount)),
      summarize(control.map(logAmount)),
    );
    // mean log: ln 11 against 0.1 · ln 101
    assert.ok(Math.abs(check.difference - (Math.log(11) - 0.1 * Math.log(101))) < 1e-12);
    assert.deepEqual([check.amounts, check.logs, check.agrees], ['unclear', 'up', false]);
  });
  it('a clear lift both ways agrees', () => {
    const treated = [...repeat(50, 60), ...repeat(0, 40)];
    const control = [...repeat(50, 20), ...repeat(0, 80)];
    const amounts = welch(summarize(treated), summarize(control));
    const check = robustnessCheck(
      amounts.interval,
      summarize(treated.map(logAmount)),
      summarize(control.map(logAmount)),
    );
    assert.deepEqual([check.amounts, check.logs, check.agrees], ['up', 'up', true]);
  });
  it('a refund keeps its sign on the log scale', () => {
    assert.equal(logAmount(-9), -Math.log(10));
    assert.equal(logAmount(0), 0);
  });
  it('an imported experiment carries the check for each amount, not for rates', () => {
    const tally = new ExperimentTally({
      arm: 'arm',
      control: 'c',
      metrics: [
        { name: 'conversion', column: 'x', kind: 'proportion' },
        { name: 'spend', column: 'y', kind: 'mean' },
      ],
    });
    let line = 1;
    for (const v of repeat(10, 100)) tally.add('t', `t${line}`, [1, v], line++);
    for (const v of [...repeat(100, 10), ...repeat(0, 90)]) tally.add('c', `c${line}`, [v > 0 ? 1 : 0, v], line++);
    const report = experimentReport({
      id: 'x',
      name: 'x',
      controlArm: 'c',
      metrics: [
        { name: 'conversion', kind: 'proportion' },
        { name: 'spend', kind: 'mean' },
      ],
      arms: tally.summaries(),
    });
    const t = report.arms[1]!;
    assert.equal(t.metrics.conversion!.robustness, undefined);
    assert.deepEqual([t.metrics.spend!.robustness!.amounts, t.metrics.spend!.robustness!.logs], ['unclear', 'up']);
  });
});
