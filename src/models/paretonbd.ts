// Pareto/NBD (Schmittlein, Morrison & Colombo 1987), pure: likelihood on grouped sufficient statistics in the form of
// Fader, Hardie & Lee's note (2005), maximum-likelihood fit on log-parameters, P(alive) and conditional expectations.
// Model: while alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); their lifetime is exponential
// with rate μ ~ Gamma(s, β), so they can die at any time — also before any repeat purchase.
import gammaln from '@stdlib/math-base-special-gammaln';
import hyp2f1 from '@stdlib/math-base-special-hyp2f1';
import type { GroupedSummaries, RecencyFrequency } from './summary.ts';
import { asGroups, checkFitData, sumOverGroups } from './fitdata.ts';
import { fitCountModel, type CountModelFit, type PositiveModel } from './mle.ts';

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

export type ParetoNbdFit = CountModelFit<ParetoNbdParams>;

const MODEL = 'Pareto/NBD';
export const PARETO_NBD_NAMES = ['r', 'alpha', 's', 'beta'] as const;

/**
 * ln of FHL's A₀ times (max(α,β)+t_x)^(r+s+x): with m = max(α, β), d = |α − β|, q = s+1 if α ≥ β else r+x,
 *   A₀ = F(d/(m+t_x)) / (m+t_x)^(r+s+x) − F(d/(m+T)) / (m+T)^(r+s+x),   F(z) = ₂F₁(r+s+x, q; r+s+x+1; z).
 * Returned on the log scale relative to (m+t_x) so the difference of two tiny powers does not underflow.
 * −∞ when t_x = T (then A₀ = 0).
 */
function logA0(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const rsx = r + s + x;
  const m = Math.max(alpha, beta);
  const d = Math.abs(alpha - beta);
  const q = alpha >= beta ? s + 1 : r + x;
  const F = (z: number) => (d === 0 ? 1 : hypergeometric(rsx, q, z));
  const first = F(d / (m + tx));
  const second = F(d / (m + T)) * Math.exp(rsx * (Math.log(m + tx) - Math.log(m + T)));
  const diff = first - second;
  if (!(diff > 0)) return -Infinity;
  return Math.log(diff) - rsx * Math.log(m + tx);
}

/**
 * ₂F₁(A, q; A+1; z) (A = r+s+x > 0, q > 0, 0 ≤ z < 1) as Euler's transform (1−z)^(1−q) · Σₙ ∏ₖ<ₙ (A+1−q+k)/(A+1+k) · zⁿ: a series of
 * positive terms falling at least as fast as zⁿ, about four times cheaper than the library's general routine. Near
 * z = 1 (slow convergence) or if the power overflows, the library answers.
 */
function hypergeometric(A: number, q: number, z: number): number {
  if (z > 0.95) return hyp2f1(A, q, A + 1, z);
  const b = A + 1 - q;
  const c = A + 1;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 2000; n++) {
    term *= ((b + n) / (c + n)) * z;
    sum += term;
    if (term <= 1e-17 * sum) break;
  }
  const value = Math.exp((1 - q) * Math.log1p(-z)) * sum;
  return Number.isFinite(value) ? value : hyp2f1(A, q, A + 1, z);
}

/** The part of ln L_i that depends on x alone: ln[Γ(r+x) α^r β^s / Γ(r)]. */
function headOf(p: ParetoNbdParams, x: number): number {
  return gammaln(p.r + x) - gammaln(p.r) + p.r * Math.log(p.alpha) + p.s * Math.log(p.beta);
}

/** The rest of ln L_i: ln[(α+T)^−(r+x)(β+T)^−s + s/(r+s+x) · A₀] by log-sum-exp. */
function tailOf(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const dead = Math.log(s) - Math.log(r + s + x) + logA0(p, x, tx, T);
  const mx = Math.max(alive, dead);
  return mx + Math.log1p(Math.exp(Math.min(alive, dead) - mx));
}

function groupedLogLikelihood(p: ParetoNbdParams, g: GroupedSummaries): number {
  return p.r > 0 && p.alpha > 0 && p.s > 0 && p.beta > 0
    ? sumOverGroups(
        g,
        (x) => headOf(p, x),
        (x, tx, T) => tailOf(p, x, tx, T),
      )
    : NaN;
}

/** Total log-likelihood of the customers in `data` (grouped or per-customer rows). */
export function paretoNbdLogLikelihood(
  params: ParetoNbdParams,
  data: GroupedSummaries | ArrayLike<RecencyFrequency>,
): number {
  return groupedLogLikelihood(params, asGroups(MODEL, data));
}

/** The model as the generic maximum-likelihood helpers see it, on grouped data. */
export function paretoNbdModel(data: GroupedSummaries | ArrayLike<RecencyFrequency>): PositiveModel<ParetoNbdParams> {
  const g = asGroups(MODEL, data);
  return { names: PARETO_NBD_NAMES, logLikelihood: (p) => groupedLogLikelihood(p, g) };
}

export interface ParetoNbdFitOptions {
  minCustomers?: number;
  initial?: ParetoNbdParams;
  maxIterations?: number;
}

/** Maximum-likelihood fit. Throws ModelFitError when the data cannot support one. */
export function fitParetoNbd(
  data: GroupedSummaries | ArrayLike<RecencyFrequency>,
  options: ParetoNbdFitOptions = {},
): ParetoNbdFit {
  const g = asGroups(MODEL, data);
  const { purchases, exposure } = checkFitData(MODEL, g, options.minCustomers ?? 30);
  const init = options.initial ?? { r: 1, alpha: exposure / purchases, s: 1, beta: exposure / g.customers };
  return fitCountModel(MODEL, paretoNbdModel(g), init, g, options.maxIterations);
}

/**
 * P(alive at T | x, t_x, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀)  (FHL 2005 note, eq. 18).
 * Below 1 for one-time buyers too: a customer may die before buying again.
 */
export function paretoNbdPAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = params;
  const logOdds =
    Math.log(s) -
    Math.log(r + s + x) +
    (r + x) * Math.log(alpha + T) +
    s * Math.log(beta + T) +
    logA0(params, x, tx, T);
  if (logOdds === -Infinity) return 1;
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[Y(t) | x, t_x, T] = P(alive) · (r+x)/(α+T) · (β+T)/(s−1) · [1 − ((β+T)/(β+T+t))^(s−1)]  (FHL note, eq. 22);
 * the factor [1 − q^(s−1)]/(s−1) with q = (β+T)/(β+T+t) is computed as −expm1((s−1) ln q)/(s−1), which tends to
 * −ln q at s = 1 (no 0/0).
 */
export function paretoNbdExpectedPurchases(
  params: ParetoNbdParams,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  if (t <= 0) return 0;
  const { r, alpha, s, beta } = params;
  const lnInvQ = Math.log1p(t / (beta + T));
  const k = s - 1;
  const factor = Math.abs(k) < 1e-12 ? lnInvQ : -Math.expm1(-k * lnInvQ) / k;
  return paretoNbdPAlive(params, x, tx, T) * ((r + x) / (alpha + T)) * (beta + T) * factor;
}

/** E[X(t)]: expected purchases in the first t periods of a new customer (FHL note, eq. 17). */
export function paretoNbdExpectedPurchasesNew(params: ParetoNbdParams, t: number): number {
  return paretoNbdExpectedPurchases(params, 0, 0, 0, t);
}
