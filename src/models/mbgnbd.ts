// MBG/NBD (Batislam, Denizel & Filiztekin 2007), pure: likelihood on grouped sufficient statistics, maximum-likelihood
// fit on log-parameters, P(alive) and conditional expectations.
// Model: as BG/NBD (purchase rate λ ~ Gamma(r, α), dropout probability p ~ Beta(a, b)), but a customer may also drop
// out right after the first purchase, so P(alive) < 1 for a customer who never bought again.
import gammaln from '@stdlib/math-base-special-gammaln';
import digamma from '@stdlib/math-base-special-digamma';
import hyp2f1 from '@stdlib/math-base-special-hyp2f1';
import type { GroupedSummaries, RecencyFrequency } from './summary.ts';
import { asGroups, checkFitData, sumOverGroups } from './fitdata.ts';
import { fitCountModel, type CountModelFit, type PositiveModel } from './mle.ts';
import { logHyp2f1PositiveSeries } from './bgnbd.ts';

export interface MbgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export type MbgNbdFit = CountModelFit<MbgNbdParams>;

const MODEL = 'MBG/NBD';
export const MBG_NBD_NAMES = ['r', 'alpha', 'a', 'b'] as const;

const lnBeta = (x: number, y: number) => gammaln(x) + gammaln(y) - gammaln(x + y);

/**
 * ln L_i = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x+1) − ln B(a, b)
 *        + ln[ (α+T)^−(r+x) + a/(b+x) · (α+t_x)^−(r+x) ]
 * The second term (dropped out right after the last purchase, the first one included) is there for x = 0 too.
 */
/** The part of ln L_i that depends on x alone. */
function headOf(p: MbgNbdParams, x: number): number {
  const { r, alpha, a, b } = p;
  return gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + lnBeta(a, b + x + 1) - lnBeta(a, b);
}

/** The rest of ln L_i: the log-sum of being alive at T and of having dropped out right after t_x. */
function tailOf(p: MbgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const u = -(r + x) * Math.log(alpha + T);
  const v = Math.log(a) - Math.log(b + x) - (r + x) * Math.log(alpha + tx);
  const m = Math.max(u, v);
  return m + Math.log1p(Math.exp(-Math.abs(u - v)));
}

function groupedLogLikelihood(p: MbgNbdParams, g: GroupedSummaries): number {
  return p.r > 0 && p.alpha > 0 && p.a > 0 && p.b > 0
    ? sumOverGroups(
        g,
        (x) => headOf(p, x),
        (x, tx, T) => tailOf(p, x, tx, T),
      )
    : NaN;
}

/**
 * The log-likelihood and its gradient with respect to (ln r, ln α, ln a, ln b): the head's derivatives are digamma
 * differences (once per distinct x); the tail's are those of the log-sum, weighted by the share of each term.
 */
function groupedWithGradient(p: MbgNbdParams, g: GroupedSummaries, grad: Float64Array): number {
  const { r, alpha, a, b } = p;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return NaN;
  const lnAlpha = Math.log(alpha);
  const psiR = digamma(r);
  const psiAB = digamma(a + b);
  const psiB = digamma(b);
  const heads = new Map<number, [number, number, number, number]>();
  let ll = 0;
  let dr = 0;
  let dalpha = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < g.size; i++) {
    const x = g.x[i];
    const c = g.count[i];
    let h = heads.get(x);
    if (h === undefined) {
      const psiABx1 = digamma(a + b + x + 1);
      h = [headOf(p, x), digamma(r + x) - psiR + lnAlpha, psiAB - psiABx1, digamma(b + x + 1) - psiABx1 - psiB + psiAB];
      heads.set(x, h);
    }
    const lT = Math.log(alpha + g.T[i]);
    const lt = Math.log(alpha + g.tx[i]);
    const u = -(r + x) * lT;
    const v = Math.log(a) - Math.log(b + x) - (r + x) * lt;
    const m = Math.max(u, v);
    const e = Math.exp(-Math.abs(u - v));
    ll += c * (h[0] + m + Math.log1p(e));
    const wv = v > u ? 1 / (1 + e) : e / (1 + e); // share of the dropped-out term
    const wu = 1 - wv;
    dr += c * (h[1] - wu * lT - wv * lt);
    dalpha += c * (r / alpha - (r + x) * (wu / (alpha + g.T[i]) + wv / (alpha + g.tx[i])));
    da += c * (h[2] + wv / a);
    db += c * (h[3] - wv / (b + x));
  }
  grad[0] = dr * r;
  grad[1] = dalpha * alpha;
  grad[2] = da * a;
  grad[3] = db * b;
  return ll;
}

/** Total log-likelihood of the customers in `data` (grouped or per-customer rows). */
export function mbgNbdLogLikelihood(
  params: MbgNbdParams,
  data: GroupedSummaries | ArrayLike<RecencyFrequency>,
): number {
  return groupedLogLikelihood(params, asGroups(MODEL, data));
}

/** The model as the generic maximum-likelihood helpers see it, on grouped data. */
export function mbgNbdModel(data: GroupedSummaries | ArrayLike<RecencyFrequency>): PositiveModel<MbgNbdParams> {
  const g = asGroups(MODEL, data);
  return {
    names: MBG_NBD_NAMES,
    logLikelihood: (p) => groupedLogLikelihood(p, g),
    withGradient: (p, grad) => groupedWithGradient(p, g, grad),
  };
}

export interface MbgNbdFitOptions {
  minCustomers?: number;
  initial?: MbgNbdParams;
  maxIterations?: number;
}

/** Maximum-likelihood fit. Throws ModelFitError when the data cannot support one. */
export function fitMbgNbd(
  data: GroupedSummaries | ArrayLike<RecencyFrequency>,
  options: MbgNbdFitOptions = {},
): MbgNbdFit {
  const g = asGroups(MODEL, data);
  const { purchases, exposure } = checkFitData(MODEL, g, options.minCustomers ?? 30);
  const init = options.initial ?? { r: 1, alpha: exposure / purchases, a: 1, b: 1 };
  return fitCountModel(MODEL, mbgNbdModel(g), init, g, options.maxIterations);
}

/** P(alive at T | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)); below 1 also at x = 0. */
export function mbgNbdPAlive(params: MbgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[Y(t) | x, t_x, T] = P(alive) · (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x+1; a+b+x; z)],
 * z = t/(α+T+t). As for BG/NBD, Euler's transformation turns the bracket into
 *   1 − (1−z)^(a−1) · ₂F₁(a+b−r, a−1; a+b+x; z),
 * and at a = 1 (0/0) we average a = 1 ± 1e-4.
 */
export function mbgNbdExpectedPurchases(params: MbgNbdParams, x: number, tx: number, T: number, t: number): number {
  if (t <= 0) return 0;
  const h = 1e-4;
  if (Math.abs(params.a - 1) < h) {
    return (
      (conditional({ ...params, a: params.a - h }, x, tx, T, t) +
        conditional({ ...params, a: params.a + h }, x, tx, T, t)) /
      2
    );
  }
  return conditional(params, x, tx, T, t);
}

function conditional(params: MbgNbdParams, x: number, tx: number, T: number, t: number): number {
  const { r, alpha, a, b } = params;
  const z = t / (alpha + T + t);
  const c = a + b + x;
  const alive = mbgNbdPAlive(params, x, tx, T);
  // while alive, purchases in t are at most those of a customer who never drops out: (r+x)·t/(α+T)
  const upper = ((r + x) * t) / (alpha + T);
  const value = (c * (1 - Math.exp((a - 1) * Math.log1p(-z)) * hyp2f1(a + b - r, a - 1, c, z))) / (a - 1);
  if (value >= 0 && value <= upper * (1 + 1e-9)) return alive * value;
  // the library's ₂F₁ failed: sum the positive series of the untransformed bracket instead
  const fallback =
    (c * -Math.expm1((r + x) * Math.log1p(-z) + logHyp2f1PositiveSeries(r + x, b + x + 1, c, z))) / (a - 1);
  return alive * Math.min(Math.max(fallback, 0), upper);
}

/** E[X(t)]: expected purchases in the first t periods of a new customer (x = 0, T = 0; alive with probability b/(a+b)). */
export function mbgNbdExpectedPurchasesNew(params: MbgNbdParams, t: number): number {
  return mbgNbdExpectedPurchases(params, 0, 0, 0, t);
}
