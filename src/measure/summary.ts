// What an arm's outcomes reduce to for the statistics: customers, and per metric the sum and the sum of squares.

/** The sufficient statistics of one metric over one arm: n customers, Σx and Σx² of their values (0 for none). */
export interface MetricSummary {
  n: number;
  sum: number;
  sumSquares: number;
}

/** A yes/no outcome (converted, clicked) as a metric summary: x successes of n. */
export function proportionSummary(successes: number, n: number): MetricSummary {
  if (!(Number.isInteger(successes) && Number.isInteger(n) && successes >= 0 && successes <= n)) {
    throw new RangeError(`a proportion needs 0 ≤ successes ≤ n as whole numbers (got ${successes} of ${n})`);
  }
  return { n, sum: successes, sumSquares: successes };
}

/** A summary of values one by one (tests and small offline sets). */
export function summarize(values: Iterable<number>): MetricSummary {
  let n = 0;
  let sum = 0;
  let sumSquares = 0;
  for (const x of values) {
    n++;
    sum += x;
    sumSquares += x * x;
  }
  return { n, sum, sumSquares };
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
