// Fixed-sample confidence intervals: Wilson for a proportion, Newcombe for a difference of two, Welch for means, and the relative lift.
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { mean, variance, type MetricSummary } from './summary.ts';

export interface Interval {
  low: number;
  high: number;
}

/** The two-sided normal quantile for a confidence level, e.g. 0.95 → 1.95996. */
export function zFor(confidence: number): number {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be between 0 and 1 (got ${confidence})`);
  return normalQuantile(1 - (1 - confidence) / 2, 0, 1);
}

/** Wilson's score interval for x successes of n (Wilson 1927); empty n gives [0, 1]. */
export function wilson(x: number, n: number, confidence = 0.95): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const z = zFor(confidence);
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Newcombe's hybrid score interval for p1 − p2 (Newcombe 1998, method 10), built from each proportion's Wilson
 * interval: good coverage at small counts and rates near 0, where the plain Wald interval fails.
 */
export function newcombe(x1: number, n1: number, x2: number, n2: number, confidence = 0.95): Interval {
  const p1 = n1 ? x1 / n1 : 0;
  const p2 = n2 ? x2 / n2 : 0;
  const a = wilson(x1, n1, confidence);
  const b = wilson(x2, n2, confidence);
  const d = p1 - p2;
  return {
    low: d - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: d + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}

export interface MeanDifference {
  difference: number;
  standardError: number;
  degreesOfFreedom: number;
  interval: Interval;
  /** Two-sided p-value of no difference. */
  pValue: number;
}

/** Welch's unequal-variance t interval and test for mean(a) − mean(b); NaN fields when either arm has under 2 values. */
export function welch(a: MetricSummary, b: MetricSummary, confidence = 0.95): MeanDifference {
  const va = variance(a) / a.n;
  const vb = variance(b) / b.n;
  const difference = mean(a) - mean(b);
  const se = Math.sqrt(va + vb);
  if (!Number.isFinite(se))
    return {
      difference,
      standardError: Number.NaN,
      degreesOfFreedom: Number.NaN,
      interval: { low: Number.NaN, high: Number.NaN },
      pValue: Number.NaN,
    };
  if (se === 0) {
    return {
      difference,
      standardError: 0,
      degreesOfFreedom: Number.POSITIVE_INFINITY,
      interval: { low: difference, high: difference },
      pValue: difference === 0 ? 1 : 0,
    };
  }
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const t = tQuantile(1 - (1 - confidence) / 2, df);
  const stat = Math.abs(difference / se);
  return {
    difference,
    standardError: se,
    degreesOfFreedom: df,
    interval: { low: difference - t * se, high: difference + t * se },
    pValue: 2 * (1 - tCdf(stat, df)),
  };
}

/** Two-sided p-value of the pooled two-proportion z test (the test the Newcombe interval goes with). */
export function proportionsPValue(x1: number, n1: number, x2: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return Number.NaN;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return 1;
  const z = Math.abs(x1 / n1 - x2 / n2) / se;
  return 2 * (1 - normalCdf(z, 0, 1));
}

/**
 * The relative lift mean(a) / mean(b) − 1 with its interval by the delta method on the log of the ratio (Katz's
 * log interval for proportions). Undefined (NaN) when either mean is 0.
 */
export function relativeLift(
  a: MetricSummary,
  b: MetricSummary,
  confidence = 0.95,
): { lift: number; interval: Interval } {
  const ma = mean(a);
  const mb = mean(b);
  const lift = ma / mb - 1;
  if (!(ma > 0 && mb > 0)) return { lift: mb > 0 ? lift : Number.NaN, interval: { low: Number.NaN, high: Number.NaN } };
  const seLog = Math.sqrt(variance(a) / (a.n * ma * ma) + variance(b) / (b.n * mb * mb));
  const z = zFor(confidence);
  const log = Math.log(ma / mb);
  return { lift, interval: { low: Math.exp(log - z * seLog) - 1, high: Math.exp(log + z * seLog) - 1 } };
}
