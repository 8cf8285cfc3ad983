// Treated against control on one metric: the difference, the relative lift, fixed and always-valid intervals, the
// incremental total, and a verdict in plain terms (the dashboard words it). Pure: summaries in, numbers out.
import { newcombe, proportionsPValue, relativeLift, welch, type Interval } from './intervals.ts';
import { customersForVariance, zPower } from './power.ts';
import { alwaysValid, plannedHalfWidthInErrors } from './sequential.ts';
import { mean, variance, type MetricSummary } from './summary.ts';

/** A yes/no metric (conversion, click) or an amount per customer (revenue, orders). */
export type MetricKind = 'proportion' | 'mean';

/**
 * A verdict waits until each arm has this many customers with an outcome other than 0: a variance read from fewer is
 * too often too small (amounts per customer are heavy-tailed; a rate's variance is sound from fewer).
 */
export const MIN_OUTCOMES_PER_ARM: Record<MetricKind, number> = { proportion: 10, mean: 30 };

export interface CompareOptions {
  /** Of the fixed-sample intervals (default 0.95). */
  confidence?: number;
  /** The always-valid test's error rate (default 0.05). */
  alpha?: number;
  /** The smallest relative lift worth finding, which sizes the experiment (default 0.1 = 10 %). */
  minimumRelativeLift?: number;
  /** The chance of finding that lift when it is there (default 0.8). */
  power?: number;
}

export type Verdict =
  /** The always-valid interval is above zero: the treatment earns `incremental` (its interval in `incrementalInterval`). */
  | { kind: 'earns' }
  /** The always-valid interval is below zero. */
  | { kind: 'hurts' }
  /** Enough customers to have found the smallest lift worth finding, and none was found. */
  | { kind: 'no_measurable_effect' }
  /** Not yet: about `moreCustomers` more (in both arms, split as today) are needed to find the smallest lift worth finding. */
  | { kind: 'not_enough_data'; moreCustomers: number | null };

export interface Comparison {
  kind: MetricKind;
  treated: { n: number; value: number };
  control: { n: number; value: number };
  /** treated − control, per customer. */
  difference: number;
  /** Fixed-sample interval of the difference: Newcombe for proportions, Welch for means. */
  interval: Interval;
  pValue: number;
  relativeLift: number;
  relativeInterval: Interval;
  /** The interval that stays valid however often it is looked at; the verdict reads this one. */
  alwaysValid: { interval: Interval; pValue: number };
  /** difference × treated customers: what the treatment added in the metric's unit (conversions, money). */
  incremental: number;
  incrementalInterval: Interval;
  verdict: Verdict;
}

/**
 * About how many more customers (split as today) until each arm has `minimum` customers with an outcome, at today's
 * rates: 0 when both have; null when an arm has none yet (today's data cannot tell).
 */
function customersForOutcomes(treated: MetricSummary, control: MetricSummary, minimum: number): number | null {
  const total = treated.n + control.n;
  let want = 0;
  for (const arm of [treated, control]) {
    if (arm.nonZero >= minimum) continue;
    if (arm.nonZero === 0) return null;
    want = Math.max(want, Math.ceil((minimum * arm.n) / arm.nonZero / (arm.n / total)) - total);
  }
  return want;
}

function scaled(i: Interval, by: number): Interval {
  return { low: i.low * by, high: i.high * by };
}

/** Compares treated with control on one metric. Both summaries are over eligible customers only. */
export function compare(
  kind: MetricKind,
  treated: MetricSummary,
  control: MetricSummary,
  options: CompareOptions = {},
): Comparison {
  const confidence = options.confidence ?? 0.95;
  const alpha = options.alpha ?? 0.05;
  const minimumLift = options.minimumRelativeLift ?? 0.1;
  const power = options.power ?? 0.8;

  const fixed = welch(treated, control, confidence);
  const difference = mean(treated) - mean(control);
  const interval =
    kind === 'proportion' ? newcombe(treated.sum, treated.n, control.sum, control.n, confidence) : fixed.interval;
  const pValue =
    kind === 'proportion' ? proportionsPValue(treated.sum, treated.n, control.sum, control.n) : fixed.pValue;
  const relative = relativeLift(treated, control, confidence);

  // The experiment's size: the variance at which the smallest lift worth finding clears the always-valid bound with the wanted power.
  const sdT = Math.sqrt(variance(treated));
  const sdC = Math.sqrt(variance(control));
  const delta = minimumLift * Math.abs(mean(control));
  const plannedVariance = (delta / (plannedHalfWidthInErrors(alpha) + zPower(power))) ** 2;
  const currentVariance = variance(treated) / treated.n + variance(control) / control.n;
  const sequential = alwaysValid(difference, currentVariance, plannedVariance, alpha);
  const total = treated.n + control.n;
  const needed = customersForVariance(plannedVariance, sdT, sdC, total > 0 ? control.n / total : 0);

  const shortOfOutcomes = customersForOutcomes(treated, control, MIN_OUTCOMES_PER_ARM[kind]);
  const sequentialKnown = Number.isFinite(sequential.interval.low) && Number.isFinite(sequential.interval.high);
  const shortOfPlan = Number.isFinite(needed) ? Math.max(0, needed - total) : null;
  let verdict: Verdict;
  if (!sequentialKnown) {
    verdict = {
      kind: 'not_enough_data',
      moreCustomers: shortOfOutcomes === null || shortOfPlan === null ? null : Math.max(shortOfOutcomes, shortOfPlan),
    };
  } else if (shortOfOutcomes !== 0) {
    verdict = { kind: 'not_enough_data', moreCustomers: shortOfOutcomes };
  } else if (sequential.interval.low > 0) {
    verdict = { kind: 'earns' };
  } else if (sequential.interval.high < 0) {
    verdict = { kind: 'hurts' };
  } else if (shortOfPlan === 0) {
    verdict = { kind: 'no_measurable_effect' };
  } else {
    verdict = { kind: 'not_enough_data', moreCustomers: shortOfPlan };
  }
  return {
    kind,
    treated: { n: treated.n, value: mean(treated) },
    control: { n: control.n, value: mean(control) },
    difference,
    interval,
    pValue,
    relativeLift: relative.lift,
    relativeInterval: relative.interval,
    alwaysValid: sequential,
    incremental: difference * treated.n,
    incrementalInterval: scaled(sequential.interval, treated.n),
    verdict,
  };
}
