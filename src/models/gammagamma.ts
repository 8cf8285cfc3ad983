// Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves"; Fader & Hardie's note
// "The Gamma-Gamma model of monetary value"), pure: likelihood over repeat buyers, fit, conditional expected spend,
// and customer lifetime value combined with BG/NBD.
// Model: a customer's purchase values are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, independent of the
// purchase process; zbar is the mean of the customer's x repeat-purchase values.
import gammaln from '@stdlib/math-base-special-gammaln';
import digamma from '@stdlib/math-base-special-digamma';
import { minimize } from './optimize.ts';
import { ModelFitError } from './errors.ts';
import { expectedPurchases, type BgNbdParams } from './bgnbd.ts';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface SpendSummary {
  x: number;
  zbar: number;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  /** Repeat buyers (x ≥ 1, zbar > 0) the model was fitted on. */
  customers: number;
  iterations: number;
  evaluations: number;
}

export interface GammaGammaFitOptions {
  /** Fewer repeat buyers than this → ModelFitError('too_few_customers'). Default 10. */
  minCustomers?: number;
  initial?: GammaGammaParams;
  maxIterations?: number;
}

const MODEL = 'Gamma-Gamma';
/** An estimate outside [1e-6, 1e6] (γ relative to the mean spend) has run off: the data do not identify the model. */
const LOG_BOUND = Math.log(1e6);

/** The rows the model is defined on: repeat buyers with a positive mean repeat spend. */
export function repeatBuyers<T extends SpendSummary>(rows: Iterable<T>): T[] {
  const out: T[] = [];
  for (const s of rows) if (s.x >= 1 && s.zbar > 0) out.push(s);
  return out;
}

/**
 * Log-likelihood over repeat buyers (others are skipped), and its gradient w.r.t. (ln p, ln q, ln γ) when asked:
 *   ln f(zbar | x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln zbar + px ln x − (px+q) ln(γ + x·zbar)
 * (the density of zbar, the mean of x Gamma(p, ν) values, mixed over ν ~ Gamma(q, γ)).
 */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  rows: Iterable<SpendSummary>,
  grad?: Float64Array,
): number {
  const { p, q, gamma } = params;
  const lgQ = gammaln(q);
  const lnGamma = Math.log(gamma);
  const psiQ = grad ? digamma(q) : 0;
  let ll = 0;
  let dp = 0;
  let dq = 0;
  let dg = 0;
  // The special functions depend on x alone (for these parameters), and x takes few values: compute them once per x.
  const perX = new Map<number, { lg: number; psiPxQ: number; psiPx: number }>();
  for (const { x, zbar } of rows) {
    if (!(x >= 1 && zbar > 0)) continue;
    const px = p * x;
    let terms = perX.get(x);
    if (!terms) {
      terms = { lg: gammaln(px + q) - gammaln(px), psiPxQ: grad ? digamma(px + q) : 0, psiPx: grad ? digamma(px) : 0 };
      perX.set(x, terms);
    }
    const lnZ = Math.log(zbar);
    const lnX = Math.log(x);
    const lnD = Math.log(gamma + x * zbar);
    ll += terms.lg - lgQ + q * lnGamma + (px - 1) * lnZ + px * lnX - (px + q) * lnD;
    if (grad) {
      const psiPxQ = terms.psiPxQ;
      dp += x * (psiPxQ - terms.psiPx + lnZ + lnX - lnD);
      dq += psiPxQ - psiQ + lnGamma - lnD;
      dg += q / gamma - (px + q) / (gamma + x * zbar);
    }
  }
  if (grad) {
    grad[0] = dp * p;
    grad[1] = dq * q;
    grad[2] = dg * gamma;
  }
  return ll;
}

export function fitGammaGamma(rows: Iterable<SpendSummary>, options: GammaGammaFitOptions = {}): GammaGammaFit {
  const data = repeatBuyers(rows);
  for (const s of data) {
    if (!Number.isInteger(s.x) || !Number.isFinite(s.zbar))
      throw new ModelFitError(MODEL, 'invalid_input', `bad row x=${s.x}, zbar=${s.zbar}`);
  }
  const n = data.length;
  const minCustomers = options.minCustomers ?? 10;
  if (n === 0)
    throw new ModelFitError(MODEL, 'no_repeat_buyers', 'no customer has a repeat purchase with a positive value');
  if (n < minCustomers)
    throw new ModelFitError(MODEL, 'too_few_customers', `${n} repeat buyers, at least ${minCustomers} needed`);
  // fit on spend relative to its mean, so γ is scale-free (cents or yen alike); γ scales back, p and q do not change
  let mean = 0;
  for (const s of data) mean += s.zbar / n;
  const scaled = data.map((s) => ({ x: s.x, zbar: s.zbar / mean }));
  // start where the population mean spend p·γ/(q−1) matches the observed mean
  const init = options.initial ?? { p: 1, q: 2, gamma: mean };
  const x0 = [Math.log(init.p), Math.log(init.q), Math.log(init.gamma / mean)];
  const fromLog = (v: ArrayLike<number>): GammaGammaParams => ({
    p: Math.exp(v[0]),
    q: Math.exp(v[1]),
    gamma: Math.exp(v[2]),
  });
  const f = (v: Float64Array) => -gammaGammaLogLikelihood(fromLog(v), scaled) / n;
  const fg = (v: Float64Array, grad: Float64Array) => {
    const ll = gammaGammaLogLikelihood(fromLog(v), scaled, grad);
    for (let i = 0; i < 3; i++) grad[i] = -grad[i] / n;
    return -ll / n;
  };
  const maxIterations = options.maxIterations ?? 500;
  const res = minimize(f, x0, fg, {
    maxIterations,
    gradientTolerance: 1e-10,
    nelderMead: { maxIterations: 4 * maxIterations },
  });
  const relative = fromLog(res.x);
  const params = { ...relative, gamma: relative.gamma * mean };
  const shown = `p=${params.p.toPrecision(4)}, q=${params.q.toPrecision(4)}, γ=${params.gamma.toPrecision(4)}`;
  if (res.x.some((v) => Math.abs(v) > LOG_BOUND)) {
    throw new ModelFitError(
      MODEL,
      'degenerate_estimates',
      `estimates ran off (${shown}): the data do not identify the model (e.g. every spend equal)`,
    );
  }
  if (!res.converged)
    throw new ModelFitError(
      MODEL,
      'did_not_converge',
      `no convergence after ${res.iterations} iterations (at ${shown})`,
    );
  return {
    params,
    logLikelihood: gammaGammaLogLikelihood(params, data),
    customers: n,
    iterations: res.iterations,
    evaluations: res.evaluations,
  };
}

/**
 * E[Z | x, zbar] = (p·(γ + x·zbar)) / (p·x + q − 1): a weighted average of the population mean p·γ/(q−1) and the
 * customer's own zbar, with weight p·x/(p·x+q−1) on zbar. For x = 0 it is the population mean (needs q > 1).
 */
export function expectedAverageValue(params: GammaGammaParams, x: number, zbar: number): number {
  const { p, q, gamma } = params;
  const den = p * x + q - 1;
  if (!(den > 0)) return NaN; // mean spend undefined (q ≤ 1 and x = 0)
  return (p * (gamma + x * (x > 0 ? zbar : 0))) / den;
}

export interface ClvOptions {
  /** Number of periods in the horizon, e.g. 12. */
  periods: number;
  /** Length of one period in the BG/NBD time unit, e.g. 52/12 weeks for months. */
  periodLength: number;
  /** Discount rate per period, e.g. 0.01 per month. */
  discountRate: number;
  /** Profit margin applied to spend. Default 1 (CLV in revenue). */
  margin?: number;
}

/**
 * Discounted expected value over a horizon, in the style of Fader, Hardie & Lee (2005):
 *   CLV = margin · E[Z | x, zbar] · Σ_{k=1..K} (E[Y(k·Δ)] − E[Y((k−1)·Δ)]) / (1 + d)^k
 * where E[Y(·)] is the BG/NBD conditional expected number of purchases (given x, t_x, T), Δ the period length, d the
 * discount rate per period, and each period's purchases are discounted to the end of that period. Spend and the
 * purchase process are independent in the Gamma-Gamma model, so the expectation of the product factors.
 */
export function customerLifetimeValue(
  purchase: BgNbdParams,
  spend: GammaGammaParams,
  customer: { x: number; tx: number; T: number; zbar: number },
  options: ClvOptions,
): number {
  const { periods, periodLength, discountRate } = options;
  if (!(Number.isInteger(periods) && periods >= 0 && periodLength > 0 && discountRate > -1)) {
    throw new RangeError('CLV needs an integer periods ≥ 0, periodLength > 0 and discountRate > −1');
  }
  const value = expectedAverageValue(spend, customer.x, customer.zbar) * (options.margin ?? 1);
  let total = 0;
  let previous = 0;
  for (let k = 1; k <= periods; k++) {
    const cumulative = expectedPurchases(purchase, customer.x, customer.tx, customer.T, k * periodLength);
    total += (cumulative - previous) / (1 + discountRate) ** k;
    previous = cumulative;
  }
  return value * total;
}
