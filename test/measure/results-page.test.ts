// The Results page's pure parts: CSV quoting of an exported table, and which arm of a split is the winner.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toCsv } from '../../web/src/results/csv.ts';
import { splitWinner } from '../../web/src/results/winner.ts';
import type { ExperimentReport } from '../../web/src/results/types.ts';

describe('CSV export of a Results table', () => {
  it('quotes what needs it, leaves numbers raw and unknown values empty', () => {
    assert.equal(
      toCsv([
        ['Measured', 'Lift'],
        ['welcome, spring', 0.125],
        ['say "hi"', null],
        ['x', Number.NaN],
      ]),
      'Measured,Lift\r\n"welcome, spring",0.125\r\n"say ""hi""",\r\nx,\r\n',
    );
  });
});

describe('the winner of a split', () => {
  const arm = (name: string, control: boolean, value: number, verdict: string | null) => ({
    arm: name,
    control,
    n: 100,
    metrics: { conversion: { value, vsControl: verdict === null ? null : ({ verdict: { kind: verdict } } as never) } },
  });
  const report = (...arms: ReturnType<typeof arm>[]) => ({ arms }) as unknown as ExperimentReport;
  const cases: [string, ExperimentReport, string | null][] = [
    [
      'the best of the arms that earn',
      report(arm('plain', true, 0.1, null), arm('coupon', false, 0.3, 'earns'), arm('gift', false, 0.25, 'earns')),
      'coupon',
    ],
    [
      'the first arm when every other hurts',
      report(arm('plain', true, 0.3, null), arm('coupon', false, 0.1, 'hurts')),
      'plain',
    ],
    [
      'none while the test cannot tell',
      report(
        arm('plain', true, 0.1, null),
        arm('coupon', false, 0.12, 'not_enough_data'),
        arm('gift', false, 0.05, 'hurts'),
      ),
      null,
    ],
  ];
  for (const [name, r, winner] of cases) it(name, () => assert.equal(splitWinner(r, 'conversion'), winner));
});
