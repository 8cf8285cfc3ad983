// RFM (pure): quintile scores R, F, M (1–5) and named segments from an editable R×F(M) mapping.
// Quintiles: over the n customers with orders, the k-th break (k = 1…4) is the value at 1-based position ⌈k·n/5⌉ of
// the ascending order (PostgreSQL's percentile_disc), and a customer's score is 1 + the number of breaks strictly below
// their value. With distinct values that is exactly the fifths of the ranking; equal values always get the same score
// (ties fall to the lower score), so the result depends only on the values, never on row order.
// R is scored on −(days since the last order): the most recent fifth gets 5. F is orders (or purchase days), M net revenue.

export type RfmScore = 1 | 2 | 3 | 4 | 5;

export interface RfmValues {
  /** Whole days from the last order to the scoring day. */
  recencyDays: number;
  /** Orders (or distinct purchase days, per settings). */
  frequency: number;
  /** Net revenue. */
  monetary: number;
}

export interface RfmScores {
  r: RfmScore;
  f: RfmScore;
  m: RfmScore;
}

/** Four ascending cut points per dimension; R's are on −recencyDays. */
export interface RfmBreaks {
  r: number[];
  f: number[];
  m: number[];
}

/** 1-based positions of the four breaks among n ordered values: ⌈k·n/5⌉, in integer arithmetic. */
export function quintilePositions(n: number): number[] {
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`need a positive number of values (got ${n})`);
  return [1, 2, 3, 4].map((k) => Math.floor((k * n + 4) / 5));
}

/** The four quintile breaks of `values` (any order). */
export function quintileBreaks(values: ArrayLike<number>): number[] {
  const sorted = Float64Array.from(values).sort();
  return quintilePositions(sorted.length).map((p) => sorted[p - 1]!);
}

/** 1 + the number of breaks strictly below `value`. */
export function quintile(value: number, breaks: ArrayLike<number>): RfmScore {
  let s = 1;
  for (let k = 0; k < breaks.length; k++) if (value > breaks[k]!) s++;
  return Math.min(s, 5) as RfmScore;
}

export function rfmScores(v: RfmValues, breaks: RfmBreaks): RfmScores {
  return {
    r: quintile(-v.recencyDays, breaks.r),
    f: quintile(v.frequency, breaks.f),
    m: quintile(v.monetary, breaks.m),
  };
}

// ---- named segments ----

/** Inclusive score range [from, to]. */
export type ScoreRange = [number, number];

/** A rule of the mapping: the first rule whose ranges contain the customer's scores names the segment. */
export interface RfmRule {
  segment: string;
  r: ScoreRange;
  f: ScoreRange;
  /** Optional: without it, any M. */
  m?: ScoreRange;
}

/**
 * The well-known R×F grid (R rows, F columns; M is not used by default):
 *
 *        F=1             F=2                 F=3                 F=4           F=5
 *   R=5  New             Potential loyalist  Potential loyalist  Champions     Champions
 *   R=4  Promising       Potential loyalist  Potential loyalist  Loyal         Loyal
 *   R=3  About to sleep  About to sleep      Need attention      Loyal         Loyal
 *   R=2  Hibernating     Hibernating         At risk             At risk       Cannot lose them
 *   R=1  Lost            Lost                At risk             At risk       Cannot lose them
 */
export const DEFAULT_RFM_SEGMENTS: readonly RfmRule[] = Object.freeze([
  { segment: 'Champions', r: [5, 5], f: [4, 5] },
  { segment: 'Loyal', r: [3, 4], f: [4, 5] },
  { segment: 'Potential loyalist', r: [4, 5], f: [2, 3] },
  { segment: 'New', r: [5, 5], f: [1, 1] },
  { segment: 'Promising', r: [4, 4], f: [1, 1] },
  { segment: 'Need attention', r: [3, 3], f: [3, 3] },
  { segment: 'About to sleep', r: [3, 3], f: [1, 2] },
  { segment: 'Cannot lose them', r: [1, 2], f: [5, 5] },
  { segment: 'At risk', r: [1, 2], f: [3, 4] },
  { segment: 'Hibernating', r: [2, 2], f: [1, 2] },
  { segment: 'Lost', r: [1, 1], f: [1, 2] },
] satisfies RfmRule[]) as readonly RfmRule[];

const inRange = (v: number, range: ScoreRange | undefined) => !range || (v >= range[0] && v <= range[1]);

/** The segment of a customer's scores: the first matching rule, or null when none matches. */
export function rfmSegment(s: RfmScores, rules: readonly RfmRule[] = DEFAULT_RFM_SEGMENTS): string | null {
  for (const rule of rules)
    if (inRange(s.r, rule.r) && inRange(s.f, rule.f) && inRange(s.m, rule.m)) return rule.segment;
  return null;
}

/**
 * Checks a mapping; returns the problems, each with its path (empty = valid): ranges are whole scores 1–5 with
 * from ≤ to, names are non-empty, and every one of the 125 (R, F, M) combinations is named by some rule.
 */
export function validateRfmRules(rules: readonly RfmRule[]): string[] {
  const errors: string[] = [];
  if (!Array.isArray(rules) || rules.length === 0) return ['segments: give at least one rule'];
  rules.forEach((rule, i) => {
    if (typeof rule.segment !== 'string' || !rule.segment.trim())
      errors.push(`segments.${i}.segment: a non-empty name`);
    for (const dim of ['r', 'f', 'm'] as const) {
      const range = rule[dim];
      if (range === undefined && dim === 'm') continue;
      if (
        !Array.isArray(range) ||
        range.length !== 2 ||
        !range.every((v) => Number.isInteger(v) && v >= 1 && v <= 5) ||
        range[0] > range[1]
      ) {
        errors.push(
          `segments.${i}.${dim}: a range [from, to] of whole scores 1–5 with from ≤ to (got ${JSON.stringify(range)})`,
        );
      }
    }
  });
  if (errors.length) return errors;
  const missing: string[] = [];
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      const ms = [1, 2, 3, 4, 5].filter((m) => rfmSegment({ r, f, m } as RfmScores, rules) === null);
      if (ms.length === 5) missing.push(`R${r}F${f}`);
      else if (ms.length) missing.push(...ms.map((m) => `R${r}F${f}M${m}`));
    }
  }
  if (missing.length)
    errors.push(
      `segments: no rule names ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}`,
    );
  return errors;
}

/**
 * The 5×5 R×F grid of segment names, grid[r−1][f−1]; a cell whose name depends on M (rules with an m range) is null.
 */
export function rfmGridNames(rules: readonly RfmRule[] = DEFAULT_RFM_SEGMENTS): (string | null)[][] {
  const grid: (string | null)[][] = [];
  for (let r = 1; r <= 5; r++) {
    const row: (string | null)[] = [];
    for (let f = 1; f <= 5; f++) {
      const names = new Set([1, 2, 3, 4, 5].map((m) => rfmSegment({ r, f, m } as RfmScores, rules)));
      row.push(names.size === 1 ? [...names][0]! : null);
    }
    grid.push(row);
  }
  return grid;
}

/** The distinct segment names of a mapping, in rule order. */
export const segmentNames = (rules: readonly RfmRule[] = DEFAULT_RFM_SEGMENTS) => [
  ...new Set(rules.map((r) => r.segment)),
];
