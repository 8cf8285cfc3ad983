// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"), pure: likelihood on grouped sufficient
// statistics, maximum-likelihood fit on log-parameters, P(alive) and conditional expected purchases.
// Model: while alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they drop
// out with probability p ~ Beta(a, b). Time is in the summary's period (weeks by default).
import gammaln from '@stdlib/math-base-special-gammaln';
import digamma from '@stdlib/math-base-special-digamma';
import hyp2f1 from '@stdlib/math-base-special-hyp2f1';
import type { GroupedSummaries, RecencyFrequency } from './summary.ts';
import { asGroups, checkFitData } from './fitdata.ts';
import { minimize } from './optimize.ts';
import { ModelFitError } from './errors.ts';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  customers: number;
  /** Distinct (x, t_x, T) triples the likelihood was evaluated on. */
  groups: number;
  iterations: number;
  evaluations: number;
}

export interface BgNbdFitOptions {
  /** Fewer customers than this → ModelFitError('too_few_customers'). Default 30. */
  minCustomers?: number;
  /** Starting point; by default r = a = b = 1 and α matched to the observed purchase rate. */
  initial?: BgNbdParams;
  maxIterations?: number;
}

const MODEL = 'BG/NBD';
/** An estimate outside [1e-6, 1e6] (time in weeks) has run off to 0 or ∞: the data do not identify the model. */
const LOG_BOUND = Math.log(1e6);

/**
 * Per distinct x, the terms of the log-likelihood that depend only on x (the gamma-function ratios); per group,
 * the index of its x. Computing those once per x instead of once per customer is what makes a fit cheap.
 */
interface Prepared {
  g: GroupedSummaries;
  xs: Float64Array; // distinct x values
  xOf: Uint32Array; // group → index into xs
  xCount: Float64Array; // customers per distinct x
  // distinct T and t_x values and each group's index into them: ln(α+T) is then computed once per distinct value
  Ts: Float64Array;
  TOf: Uint32Array;
  txs: Float64Array;
  txOf: Uint32Array;
}

function distinct(values: Float64Array): { values: Float64Array; of: Uint32Array } {
  const index = new Map<number, number>();
  const of = new Uint32Array(values.length);
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    let k = index.get(values[i]);
    if (k === undefined) {
      k = out.length;
      index.set(values[i], k);
      out.push(values[i]);
    }
    of[i] = k;
  }
  return { values: Float64Array.from(out), of };
}

function prepare(g: GroupedSummaries): Prepared {
  const x = distinct(g.x);
  const xCount = new Float64Array(x.values.length);
  for (let i = 0; i < g.size; i++) xCount[x.of[i]] += g.count[i];
  const T = distinct(g.T);
  const tx = distinct(g.tx);
  return { g, xs: x.values, xOf: x.of, xCount, Ts: T.values, TOf: T.of, txs: tx.values, txOf: tx.of };
}

/**
 * Log-likelihood and, when `grad` is given, its gradient with respect to (ln r, ln α, ln a, ln b).
 *   ln L_i = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *          + ln[ (α+T)^−(r+x) + 1{x>0} · a/(b+x−1) · (α+t_x)^−(r+x) ]
 * the last term by log-sum-exp.
 */
function logLikelihoodPrepared(p: BgNbdParams, prep: Prepared, grad?: Float64Array): number {
  const { r, alpha, a, b } = p;
  const { g, xs, xOf, xCount } = prep;
  const nx = xs.length;
  // per distinct x: the gamma-function terms, ln(b+x−1), and their derivatives
  const lnBx1 = new Float64Array(nx);
  const lnAlpha = Math.log(alpha);
  const lnA = Math.log(a);
  const lgR = gammaln(r);
  const lgB = gammaln(b);
  const lgAB = gammaln(a + b);
  let ll = 0;
  let dr = 0;
  let dalpha = 0;
  let da = 0;
  let db = 0;
  const psiR = grad ? digamma(r) : 0;
  const psiB = grad ? digamma(b) : 0;
  const psiAB = grad ? digamma(a + b) : 0;
  for (let k = 0; k < nx; k++) {
    const x = xs[k];
    const lgABx = gammaln(a + b + x);
    lnBx1[k] = x > 0 ? Math.log(b + x - 1) : 0;
    ll += xCount[k] * (gammaln(r + x) - lgR + r * lnAlpha + gammaln(b + x) - lgABx - lgB + lgAB);
    if (grad) {
      const psiABx = digamma(a + b + x);
      const c = xCount[k];
      dr += c * (digamma(r + x) - psiR + lnAlpha);
      dalpha += c * (r / alpha);
      da += c * (psiAB - psiABx);
      db += c * (digamma(b + x) - psiABx - psiB + psiAB);
    }
  }
  const { Ts, TOf, txs, txOf } = prep;
  const lnAT = new Float64Array(Ts.length);
  const invAT = new Float64Array(Ts.length);
  for (let k = 0; k < Ts.length; k++) {
    lnAT[k] = Math.log(alpha + Ts[k]);
    invAT[k] = 1 / (alpha + Ts[k]);
  }
  const lnAtx = new Float64Array(txs.length);
  const invAtx = new Float64Array(txs.length);
  for (let k = 0; k < txs.length; k++) {
    lnAtx[k] = Math.log(alpha + txs[k]);
    invAtx[k] = 1 / (alpha + txs[k]);
  }
  const { x: gx, count } = g;
  for (let i = 0; i < g.size; i++) {
    const x = gx[i];
    const c = count[i];
    const rx = r + x;
    const kT = TOf[i];
    const lT = lnAT[kT];
    const u = -rx * lT;
    if (x === 0) {
      ll += c * u;
      if (grad) {
        dr -= c * lT;
        dalpha -= c * rx * invAT[kT];
      }
      continue;
    }
    const kt = txOf[i];
    const lt = lnAtx[kt];
    const v = lnA - lnBx1[xOf[i]] - rx * lt;
    // ln(e^u + e^v) = max + ln(1 + e^(min − max))
    const m = u > v ? u : v;
    const e = Math.exp(-Math.abs(u - v));
    ll += c * (m + Math.log1p(e));
    if (grad) {
      const big = 1 / (1 + e); // weight of the larger term
      const p2 = v > u ? big : 1 - big;
      const p1 = 1 - p2;
      dr -= c * (p1 * lT + p2 * lt);
      dalpha -= c * rx * (p1 * invAT[kT] + p2 * invAtx[kt]);
      da += (c * p2) / a;
      db -= (c * p2) / (b + x - 1);
    }
  }
  if (grad) {
    // chain rule to log-parameters: ∂/∂ln θ = θ ∂/∂θ
    grad[0] = dr * r;
    grad[1] = dalpha * alpha;
    grad[2] = da * a;
    grad[3] = db * b;
  }
  return ll;
}

/** Total log-likelihood of the customers in `data` (grouped or per-customer rows). */
export function bgnbdLogLikelihood(params: BgNbdParams, data: GroupedSummaries | ArrayLike<RecencyFrequency>): number {
  return logLikelihoodPrepared(params, prepare(asGroups(MODEL, data)));
}

const fromLog = (v: ArrayLike<number>): BgNbdParams => ({
  r: Math.exp(v[0]),
  alpha: Math.exp(v[1]),
  a: Math.exp(v[2]),
  b: Math.exp(v[3]),
});

/** Maximum-likelihood fit. Throws ModelFitError when the data cannot support one. */
export function fitBgNbd(
  data: GroupedSummaries | ArrayLike<RecencyFrequency>,
  options: BgNbdFitOptions = {},
): BgNbdFit {
  const g = asGroups(MODEL, data);
  const { purchases, exposure } = checkFitData(MODEL, g, options.minCustomers ?? 30);
  const prep = prepare(g);
  const init = options.initial ?? { r: 1, alpha: exposure / purchases, a: 1, b: 1 };
  const x0 = [Math.log(init.r), Math.log(init.alpha), Math.log(init.a), Math.log(init.b)];
  const n = g.customers;
  // minimise the mean negative log-likelihood so tolerances do not depend on the number of customers
  const f = (v: Float64Array) => -logLikelihoodPrepared(fromLog(v), prep) / n;
  const fg = (v: Float64Array, grad: Float64Array) => {
    const ll = logLikelihoodPrepared(fromLog(v), prep, grad);
    for (let i = 0; i < 4; i++) grad[i] = -grad[i] / n;
    return -ll / n;
  };
  const maxIterations = options.maxIterations ?? 500;
  const res = minimize(f, x0, fg, {
    maxIterations,
    gradientTolerance: 1e-10,
    nelderMead: { maxIterations: 4 * maxIterations },
  });
  const params = fromLog(res.x);
  if (res.x.some((v) => Math.abs(v) > LOG_BOUND)) {
    throw new ModelFitError(
      MODEL,
      'degenerate_estimates',
      `estimates ran off (${describe(params)}): the data do not identify the model`,
    );
  }
  if (!res.converged) {
    throw new ModelFitError(
      MODEL,
      'did_not_converge',
      `no convergence after ${res.iterations} iterations (at ${describe(params)})`,
    );
  }
  return {
    params,
    logLikelihood: -res.value * n,
    customers: n,
    groups: g.size,
    iterations: res.iterations,
    evaluations: res.evaluations,
  };
}

function describe(p: BgNbdParams): string {
  return `r=${p.r.toPrecision(4)}, α=${p.alpha.toPrecision(4)}, a=${p.a.toPrecision(4)}, b=${p.b.toPrecision(4)}`;
}

/**
 * P(alive at T | x, t_x, T) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
 * A customer with no repeat purchase is alive with probability 1 under BG/NBD (dropout happens only right after a
 * purchase) — see Fader, Hardie & Lee 2005, §5.
 */
export function pAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in the next t periods (FHL 2005, eq. 10):
 *   P(alive) · (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; z)],  z = t/(α+T+t).
 * By Euler's transformation ((1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z) = ₂F₁(a, b; c; z)) the bracket becomes
 *   1 − (1−z)^(a−1) · ₂F₁(a+b−1−r, a−1; a+b+x−1; z),
 * whose upper parameters do not grow with x: no overflow for heavy buyers and a fast-converging series.
 * At a = 1 the expression is 0/0; there we average the two sides a = 1 ± 1e-4 (the function is smooth in a).
 */
export function expectedPurchases(params: BgNbdParams, x: number, tx: number, T: number, t: number): number {
  if (t <= 0) return 0;
  const { a, b } = params;
  const h = 1e-4;
  if (Math.abs(a - 1) < h || Math.abs(a + b + x - 1) < h) {
    return (conditional({ ...params, a: a - h }, x, tx, T, t) + conditional({ ...params, a: a + h }, x, tx, T, t)) / 2;
  }
  return conditional(params, x, tx, T, t);
}

function conditional(params: BgNbdParams, x: number, tx: number, T: number, t: number): number {
  const { r, alpha, a, b } = params;
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  const alive = pAlive(params, x, tx, T);
  // E[Y(t) | alive] lies in [0, (r+x)·t/(α+T)]: the integrand (1 − E[e^(−λpt)])/p is largest as p → 0
  const upper = ((r + x) * t) / (alpha + T);
  const bracket = 1 - Math.exp((a - 1) * Math.log1p(-z)) * hyp2f1(a + b - 1 - r, a - 1, c, z);
  const value = (c * bracket) / (a - 1);
  if (value >= 0 && value <= upper * (1 + 1e-9)) return alive * value;
  // the library's ₂F₁ failed (it can for strongly negative first parameter, i.e. r ≫ a + b): sum the series of
  // ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; c; z) directly — all its terms are positive, so it cannot cancel
  const fallback = (c * -Math.expm1((r + x) * Math.log1p(-z) + logHyp2f1PositiveSeries(r + x, b + x, c, z))) / (a - 1);
  return alive * Math.min(Math.max(fallback, 0), upper);
}

/**
 * ln ₂F₁(A, B; C; z) for A, B, C > 0 and 0 ≤ z < 1 by its power series, whose terms are then all positive.
 * The running sum is rescaled to stay finite; it stops when the remaining tail is below 1e-16 of the sum.
 * Cost grows like max(A·z/(1−z), 1/(1−z)) terms: used only as a fallback.
 */
export function logHyp2f1PositiveSeries(A: number, B: number, C: number, z: number): number {
  if (!(A > 0 && B > 0 && C > 0 && z >= 0 && z < 1)) return NaN;
  const SCALE = 2 ** 600;
  const LN_SCALE = 600 * Math.LN2;
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let n = 0; n < 50_000_000; n++) {
    const ratio = (((A + n) * (B + n)) / ((C + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (sum > SCALE) {
      sum /= SCALE;
      term /= SCALE;
      logScale += LN_SCALE;
    }
    const q = Math.max(ratio, z);
    if (q < 1 && term * (q / (1 - q)) <= 1e-16 * sum) break;
  }
  return logScale + Math.log(sum);
}

/** E[X(t)]: expected purchases in the first t periods of a new customer (the x = 0, T = 0 case). */
export function expectedPurchasesNew(params: BgNbdParams, t: number): number {
  return expectedPurchases(params, 0, 0, 0, t);
}

export interface BgNbdScores {
  pAlive: Float64Array;
  expected: Float64Array;
}

/** Scores every distinct triple of `groups` (P(alive), expected purchases in the next `t`); index with rowGroup. */
export function scoreGroups(params: BgNbdParams, groups: GroupedSummaries, t: number): BgNbdScores {
  const pa = new Float64Array(groups.size);
  const ex = new Float64Array(groups.size);
  for (let i = 0; i < groups.size; i++) {
    pa[i] = pAlive(params, groups.x[i], groups.tx[i], groups.T[i]);
    ex[i] = expectedPurchases(params, groups.x[i], groups.tx[i], groups.T[i], t);
  }
  return { pAlive: pa, expected: ex };
}
