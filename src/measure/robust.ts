// The heavy-tail check of a revenue lift (pure): Welch on the amounts themselves can be swayed by a few big spenders,
// so the same two arms are also compared on log(1 + amount), which tames the tail; when the two comparisons reach
// different conclusions (one sees a lift, the other none or the opposite) the report says so and the marketer waits.
import { welch, type Interval } from './intervals.ts';
import type { MetricSummary } from './summary.ts';

/** An arm's summary of an amount on the log scale sits beside the amount's under this suffix ("revenue:log"). */
export const LOG_SUFFIX = ':log';

/** Where an interval of a difference lies: above 0, below 0, or across it. */
export type Direction = 'up' | 'down' | 'unclear';

export interface RobustnessCheck {
  method: 'log1p_welch';
  /** mean(log(1 + x)) treated − control: about the relative difference of a typical (not the mean) customer's amount. */
  difference: number;
  interval: Interval;
  pValue: number;
  /** What Welch on the amounts concludes, and what the log comparison concludes. */
  amounts: Direction;
  logs: Direction;
  agrees: boolean;
}

/** An amount on the log scale, sign kept (a refund below zero stays below zero): sign(x) · ln(1 + |x|). */
export function logAmount(x: number): number {
  return Math.sign(x) * Math.log1p(Math.abs(x));
}

export function direction(i: Interval): Direction {
  if (!(Number.isFinite(i.low) && Number.isFinite(i.high))) return 'unclear';
  return i.low > 0 ? 'up' : i.high < 0 ? 'down' : 'unclear';
}

/** Compares the log summaries of two arms and sets the result beside the amounts' own fixed interval. */
export function robustnessCheck(
  amountsInterval: Interval,
  logTreated: MetricSummary,
  logControl: MetricSummary,
  confidence = 0.95,
): RobustnessCheck {
  const w = welch(logTreated, logControl, confidence);
  const amounts = direction(amountsInterval);
  const logs = direction(w.interval);
  return {
    method: 'log1p_welch',
    difference: w.difference,
    interval: w.interval,
    pValue: w.pValue,
    amounts,
    logs,
    agrees: amounts === logs,
  };
}
