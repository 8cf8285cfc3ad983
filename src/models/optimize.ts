// Unconstrained minimisation (pure), written for maximum-likelihood fits on log-parameters:
//   - bfgs: quasi-Newton with a backtracking (Armijo) line search, analytic or numeric gradient;
//   - nelderMead: derivative-free simplex (adaptive coefficients of Gao & Han 2012) with restarts;
//   - minimize: BFGS first, and when it does not converge, Nelder–Mead from its best point then BFGS again.
// Objectives may return NaN/±Infinity where the model is undefined; such points are treated as +Infinity.

export type Objective = (x: Float64Array) => number;
/** Returns f(x) and writes ∇f(x) into `grad`. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export interface MinimizeResult {
  x: number[];
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  method: 'bfgs' | 'nelder-mead' | 'nelder-mead+bfgs';
}

export interface BfgsOptions {
  maxIterations?: number;
  /** Converged when max |∇f| ≤ gradientTolerance · max(1, |f|). Default 1e-9. */
  gradientTolerance?: number;
  /** Converged when the directional derivative along the quasi-Newton step is below this · max(1, |f|). Default 1e-13. */
  predictedDecreaseTolerance?: number;
  /** Largest step (max-norm) the line search starts from, to keep early steps in a sane region. Default 2. */
  maxStep?: number;
}

const finiteOr = (v: number) => (Number.isFinite(v) ? v : Infinity);
const maxAbs = (v: Float64Array) => v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);

/** Central-difference gradient of f, as an ObjectiveWithGradient. Costs 2n + 1 evaluations. */
export function withNumericGradient(f: Objective, relativeStep = 1e-6): ObjectiveWithGradient {
  return (x, grad) => {
    const fx = f(x);
    const probe = Float64Array.from(x);
    for (let i = 0; i < x.length; i++) {
      const h = relativeStep * Math.max(1, Math.abs(x[i]));
      probe[i] = x[i] + h;
      const up = f(probe);
      probe[i] = x[i] - h;
      const down = f(probe);
      probe[i] = x[i];
      grad[i] = (up - down) / (2 * h);
    }
    return fx;
  };
}

export function bfgs(fg: ObjectiveWithGradient, x0: ArrayLike<number>, options: BfgsOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 500;
  const gtol = options.gradientTolerance ?? 1e-9;
  const maxStep = options.maxStep ?? 2;
  const predictedDecreaseTolerance = options.predictedDecreaseTolerance ?? 1e-13;
  let evaluations = 0;
  const evaluate = (x: Float64Array, g: Float64Array) => {
    evaluations++;
    const v = finiteOr(fg(x, g));
    if (v !== Infinity && !g.every(Number.isFinite)) return Infinity;
    return v;
  };

  const x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = evaluate(x, g);
  if (f === Infinity) return { x: [...x], value: f, iterations: 0, evaluations, converged: false, method: 'bfgs' };
  const H = identity(n); // inverse-Hessian approximation, row-major
  let scaled = false;
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  let stalls = 0;

  for (let iter = 1; iter <= maxIterations; iter++) {
    if (maxAbs(g) <= gtol * Math.max(1, Math.abs(f))) {
      return { x: [...x], value: f, iterations: iter - 1, evaluations, converged: true, method: 'bfgs' };
    }
    // direction d = −H g, falling back to steepest descent if H lost positive-definiteness
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j] * g[j];
      d[i] = v;
      slope += v * g[i];
    }
    if (!(slope < 0)) {
      resetIdentity(H, n);
      scaled = false;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = -g.reduce((acc, e) => acc + e * e, 0);
    }
    // the quasi-Newton model predicts a decrease of about −slope/2: when that is at rounding level, we are done
    if (-slope <= predictedDecreaseTolerance * Math.max(1, Math.abs(f))) {
      return { x: [...x], value: f, iterations: iter - 1, evaluations, converged: true, method: 'bfgs' };
    }
    // backtracking line search with the Armijo condition
    let step = Math.min(1, maxStep / maxAbs(d));
    let fNew = Infinity;
    let accepted = false;
    for (let k = 0; k < 60; k++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = evaluate(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      // safeguarded quadratic interpolation of the next step
      const quad = fNew === Infinity ? 0.1 : (-slope * step * step) / (2 * (fNew - f - slope * step));
      step = Math.min(0.5 * step, Math.max(0.1 * step, quad));
    }
    if (!accepted) {
      // no descent possible along d: converged only if the gradient is already small in absolute terms
      const small = maxAbs(g) <= Math.sqrt(gtol) * Math.max(1, Math.abs(f));
      return { x: [...x], value: f, iterations: iter, evaluations, converged: small, method: 'bfgs' };
    }
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
    const decrease = f - fNew;
    x.set(xNew);
    [g, gNew] = [gNew, g];
    f = fNew;
    stalls = decrease <= 1e-15 * Math.max(1, Math.abs(f)) ? stalls + 1 : 0;
    if (stalls >= 3) {
      const small = maxAbs(g) <= Math.sqrt(gtol) * Math.max(1, Math.abs(f));
      return { x: [...x], value: f, iterations: iter, evaluations, converged: small, method: 'bfgs' };
    }
    if (sy <= 1e-12 * Math.sqrt(yy) * Math.sqrt(s.reduce((acc, e) => acc + e * e, 0))) continue; // keep H positive-definite
    if (!scaled) {
      resetIdentity(H, n, sy / yy);
      scaled = true;
    }
    // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
    const rho = 1 / sy;
    let yHy = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
      Hy[i] = v;
      yHy += y[i] * v;
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        H[i * n + j] += rho * ((1 + rho * yHy) * s[i] * s[j] - Hy[i] * s[j] - s[i] * Hy[j]);
      }
    }
  }
  return { x: [...x], value: f, iterations: maxIterations, evaluations, converged: false, method: 'bfgs' };
}

function identity(n: number, scale = 1): Float64Array {
  const m = new Float64Array(n * n);
  resetIdentity(m, n, scale);
  return m;
}

function resetIdentity(m: Float64Array, n: number, scale = 1) {
  m.fill(0);
  for (let i = 0; i < n; i++) m[i * n + i] = scale;
}

export interface NelderMeadOptions {
  maxIterations?: number;
  /** Converged when the simplex's value spread and size both fall below these. */
  valueTolerance?: number;
  pointTolerance?: number;
  /** Initial simplex edge along each axis. Default 0.5 (log-parameter scale). */
  initialStep?: number;
  /** Restarts from the best point until a restart no longer improves the value. Default 5. */
  restarts?: number;
}

export function nelderMead(f: Objective, x0: ArrayLike<number>, options: NelderMeadOptions = {}): MinimizeResult {
  const restarts = options.restarts ?? 5;
  let best = simplexRun(f, Float64Array.from(x0), options);
  let iterations = best.iterations;
  let evaluations = best.evaluations;
  for (let k = 0; k < restarts; k++) {
    const next = simplexRun(f, Float64Array.from(best.x), options);
    iterations += next.iterations;
    evaluations += next.evaluations;
    const improved = next.value < best.value - (options.valueTolerance ?? 1e-10) * Math.max(1, Math.abs(best.value));
    if (next.value <= best.value) best = next;
    if (!improved) break;
  }
  return { ...best, iterations, evaluations };
}

function simplexRun(f: Objective, x0: Float64Array, options: NelderMeadOptions): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 200 * n;
  const ftol = options.valueTolerance ?? 1e-10;
  const xtol = options.pointTolerance ?? 1e-8;
  const edge = options.initialStep ?? 0.5;
  // adaptive coefficients (Gao & Han 2012), better than the classic ones beyond 2 dimensions
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  let evaluations = 0;
  const value = (p: Float64Array) => {
    evaluations++;
    return finiteOr(f(p));
  };
  const pts: Float64Array[] = [Float64Array.from(x0)];
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(x0);
    p[i] += edge;
    pts.push(p);
  }
  const vals = pts.map(value);
  const centroid = new Float64Array(n);
  const along = (coef: number) => {
    const worst = pts[n];
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = centroid[i] + coef * (centroid[i] - worst[i]);
    return p;
  };
  let iter = 0;
  let converged = false;
  while (iter < maxIterations) {
    iter++;
    const order = vals.map((v, i) => i).sort((i, j) => vals[i] - vals[j]);
    const sortedPts = order.map((i) => pts[i]);
    const sortedVals = order.map((i) => vals[i]);
    for (let i = 0; i <= n; i++) {
      pts[i] = sortedPts[i];
      vals[i] = sortedVals[i];
    }
    let size = 0;
    for (let k = 1; k <= n; k++) for (let i = 0; i < n; i++) size = Math.max(size, Math.abs(pts[k][i] - pts[0][i]));
    if (vals[n] - vals[0] <= ftol * Math.max(1, Math.abs(vals[0])) && size <= xtol * Math.max(1, maxAbs(pts[0]))) {
      converged = vals[0] < Infinity;
      break;
    }
    centroid.fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] += pts[k][i] / n;
    const xr = along(alpha);
    const fr = value(xr);
    if (fr < vals[0]) {
      const xe = along(alpha * beta);
      const fe = value(xe);
      if (fe < fr) [pts[n], vals[n]] = [xe, fe];
      else [pts[n], vals[n]] = [xr, fr];
    } else if (fr < vals[n - 1]) {
      [pts[n], vals[n]] = [xr, fr];
    } else {
      const outside = fr < vals[n];
      const xc = along(outside ? alpha * gamma : -gamma);
      const fc = value(xc);
      if (fc <= (outside ? fr : vals[n])) [pts[n], vals[n]] = [xc, fc];
      else {
        for (let k = 1; k <= n; k++) {
          for (let i = 0; i < n; i++) pts[k][i] = pts[0][i] + delta * (pts[k][i] - pts[0][i]);
          vals[k] = value(pts[k]);
        }
      }
    }
  }
  let b = 0;
  for (let k = 1; k <= n; k++) if (vals[k] < vals[b]) b = k;
  return { x: [...pts[b]], value: vals[b], iterations: iter, evaluations, converged, method: 'nelder-mead' };
}

export interface MinimizeOptions extends BfgsOptions {
  nelderMead?: NelderMeadOptions;
}

/**
 * Minimises f from x0: BFGS with the given gradient (central differences otherwise); if that does not converge,
 * Nelder–Mead with restarts from the best point so far, then BFGS again to polish.
 */
export function minimize(
  f: Objective,
  x0: ArrayLike<number>,
  gradient?: ObjectiveWithGradient,
  options: MinimizeOptions = {},
): MinimizeResult {
  const fg = gradient ?? withNumericGradient(f);
  const first = bfgs(fg, x0, options);
  if (first.converged) return first;
  const start = first.value < finiteOr(f(Float64Array.from(x0))) ? first.x : [...Float64Array.from(x0)];
  const simplex = nelderMead(f, start, options.nelderMead);
  const polish = bfgs(fg, simplex.value <= first.value ? simplex.x : first.x, options);
  const bestX = polish.value <= simplex.value ? polish : simplex;
  return {
    x: bestX.x,
    value: bestX.value,
    iterations: first.iterations + simplex.iterations + polish.iterations,
    evaluations: first.evaluations + simplex.evaluations + polish.evaluations + 1,
    converged: polish.converged,
    method: 'nelder-mead+bfgs',
  };
}
