// What an arm's outcomes reduce to for the statistics: customers, and per metric the sum and the sum of squares.

/**
 * The sufficient statistics of one metric over one arm: n customers, Σx and Σx² of their values (0 for none), and how
 * many had a value other than 0 (converters, buyers: a variance read from few of them is not to be trusted).
 */
export interface MetricSummary {
  n: number;
  sum: number;
  sumSquares: number;
  nonZero: number;
}

/** A yes/no outcome (converted, clicked) as a metric summary: x successes of n. */
export function proportionSummary(successes: number, n: number): MetricSummary {
  if (!(Number.isInteger(successes) && Number.isInteger(n) && successes >= 0 && successes <= n)) {
    throw new RangeError(`a proportion needs 0 ≤ successes ≤ n as whole numbers (got ${successes} of ${n})`);
  }
  return { n, sum: successes, sumSquares: successes, nonZero: successes };
}

/** A summary of values one by one (tests and small offline sets). */
export function summarize(values: Iterable<number>): MetricSummary {
  let n = 0;
  let sum = 0;
  let sumSquares = 0;
  let nonZero = 0;
  for (const x of values) {
    n++;
    sum += x;
    sumSquares += x * x;
    if (x !== 0) nonZero++;
  }
  return { n, sum, sumSquares, nonZero };
}

export function mean(s: MetricSummary): number {
  return s.n === 0 ? Number.NaN : s.sum / s.n;
}

/** The unbiased sample variance (n − 1 in the denominator); NaN under two values. */
export function variance(s: MetricSummary): number {
  if (s.n < 2) return Number.NaN;
  const m = s.sum / s.n;
  return Math.max(0, (s.sumSquares - s.n * m * m) / (s.n - 1));
}
