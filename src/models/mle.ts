// Maximum likelihood on positive parameters, pure: fit on log-parameters with our optimiser, then standard errors
// from the numerical Hessian of the log-likelihood at the optimum and a flag for parameters the data do not identify.
import { minimize } from './optimize.ts';
import { ModelFitError } from './errors.ts';
import type { GroupedSummaries } from './summary.ts';

export interface MleResult<P> {
  params: P;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
  /** Log-parameters at the optimum, in the order of `names`. */
  logParams: number[];
}

export interface PositiveModel<P> {
  names: readonly (keyof P & string)[];
  /** Total log-likelihood at natural parameters; NaN/−∞ where undefined. */
  logLikelihood: (p: P) => number;
  /** Optional: the log-likelihood and its gradient with respect to ln θ (written into `grad`), for a faster fit. */
  withGradient?: (p: P, grad: Float64Array) => number;
}

export const fromLogVector = <P>(names: readonly (keyof P & string)[], v: ArrayLike<number>): P =>
  Object.fromEntries(names.map((k, i) => [k, Math.exp(v[i])])) as P;

/** Maximises the log-likelihood over ln θ from `initial`; minimises the mean negative log-likelihood per customer. */
export function fitPositive<P>(
  model: PositiveModel<P>,
  initial: P,
  customers: number,
  maxIterations = 500,
): MleResult<P> {
  const { names } = model;
  const x0 = names.map((k) => Math.log(initial[k] as number));
  const f = (v: Float64Array) => -model.logLikelihood(fromLogVector<P>(names, v)) / customers;
  const fg = model.withGradient
    ? (v: Float64Array, grad: Float64Array) => {
        const ll = model.withGradient!(fromLogVector<P>(names, v), grad);
        for (let i = 0; i < grad.length; i++) grad[i] = -grad[i] / customers;
        return -ll / customers;
      }
    : undefined;
  const res = minimize(f, x0, fg, {
    maxIterations,
    gradientTolerance: 1e-9,
    nelderMead: { maxIterations: 4 * maxIterations },
  });
  return {
    params: fromLogVector<P>(names, res.x),
    logLikelihood: -res.value * customers,
    converged: res.converged,
    iterations: res.iterations,
    evaluations: res.evaluations,
    logParams: res.x,
  };
}

/** An estimate outside [1e-6, 1e6] (time in weeks) has run off to 0 or ∞. */
const LOG_BOUND = Math.log(1e6);

export interface CountModelFit<P> extends MleResult<P> {
  customers: number;
  /** Distinct (x, t_x, T) triples the likelihood was evaluated on. */
  groups: number;
}

/** fitPositive on grouped data, refusing estimates that ran off or an optimiser that did not converge. */
export function fitCountModel<P>(
  modelName: string,
  model: PositiveModel<P>,
  initial: P,
  g: GroupedSummaries,
  maxIterations?: number,
): CountModelFit<P> {
  const res = fitPositive(model, initial, g.customers, maxIterations);
  const at = model.names.map((k) => `${k}=${(res.params[k] as number).toPrecision(4)}`).join(', ');
  if (res.logParams.some((v) => Math.abs(v) > LOG_BOUND)) {
    throw new ModelFitError(
      modelName,
      'degenerate_estimates',
      `estimates ran off (${at}): the data do not identify the model`,
    );
  }
  if (!res.converged)
    throw new ModelFitError(
      modelName,
      'did_not_converge',
      `no convergence after ${res.iterations} iterations (at ${at})`,
    );
  return { ...res, customers: g.customers, groups: g.size };
}

export interface StandardErrors<P> {
  /** Standard error of each natural parameter (delta method from ln θ); null where the information is singular. */
  standardErrors: { [K in keyof P]: number | null };
  /** Parameters whose likelihood is flat: (near) zero information along them, or a standard error of ln θ above the limit. */
  unidentified: (keyof P & string)[];
  /** Ratio of the smallest to the largest eigenvalue-like pivot of the observed information on ln θ. */
  conditioning: number;
}

/**
 * Observed information −∇²ℓ(ln θ) by central differences (step 1e-4 on the log scale), inverted by Cholesky.
 * A parameter counts as not identified when the likelihood is flat along it: its diagonal of the information is below
 * `flatness` (moving ln θ by 1 changes ℓ by less than flatness/2), the information is not positive definite, or the
 * standard error of ln θ exceeds `maxLogSe` (ℓ drops by only ½ when θ is multiplied or divided by e^maxLogSe).
 */
export function standardErrors<P>(
  model: PositiveModel<P>,
  logParams: ArrayLike<number>,
  flatness = 0.05,
  maxLogSe = 1,
): StandardErrors<P> {
  const { names } = model;
  const n = names.length;
  const h = 1e-4;
  const ll = (v: Float64Array) => model.logLikelihood(fromLogVector<P>(names, v));
  const x = Float64Array.from(logParams);
  const f0 = ll(x);
  const info = new Float64Array(n * n);
  const at = (di: number, hi: number, dj: number, hj: number) => {
    const p = Float64Array.from(x);
    p[di] += hi;
    p[dj] += hj;
    return ll(p);
  };
  for (let i = 0; i < n; i++) {
    info[i * n + i] = -(at(i, h, i, 0) - 2 * f0 + at(i, -h, i, 0)) / (h * h);
    for (let j = 0; j < i; j++) {
      const v = -(at(i, h, j, h) - at(i, h, j, -h) - at(i, -h, j, h) + at(i, -h, j, -h)) / (4 * h * h);
      info[i * n + j] = v;
      info[j * n + i] = v;
    }
  }
  const flat = names.filter((_, i) => !(info[i * n + i] >= flatness));
  const inverse = flat.length > 0 ? null : invertPositiveDefinite(info, n);
  const logVariance = (i: number) => (inverse ? inverse.inv[i * n + i] : NaN);
  const ses = Object.fromEntries(
    names.map((k, i) => {
      const v = logVariance(i);
      return [k, Number.isFinite(v) && v >= 0 ? Math.exp(x[i]) * Math.sqrt(v) : null];
    }),
  ) as { [K in keyof P]: number | null };
  const conditioning = inverse ? inverse.conditioning : 0;
  const unidentified = names.filter((k, i) => flat.includes(k) || !(logVariance(i) <= maxLogSe * maxLogSe));
  return { standardErrors: ses, unidentified, conditioning };
}

/** Inverse of a symmetric positive-definite n×n matrix by Cholesky; null when it is not positive definite. */
function invertPositiveDefinite(m: Float64Array, n: number): { inv: Float64Array; conditioning: number } | null {
  const L = new Float64Array(n * n);
  let minPivot = Infinity;
  let maxPivot = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
        minPivot = Math.min(minPivot, s);
        maxPivot = Math.max(maxPivot, s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  // columns of L⁻¹, then inv = L⁻ᵀ L⁻¹
  const Li = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    for (let i = c; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= L[i * n + k] * Li[k * n + c];
      Li[i * n + c] = s / L[i * n + i];
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < n; k++) s += Li[k * n + i] * Li[k * n + j];
      inv[i * n + j] = s;
    }
  }
  return { inv, conditioning: minPivot / maxPivot };
}
