// Our minimisers on problems with known minima: curved valleys, bad scaling, undefined regions, no gradient.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  bfgs,
  nelderMead,
  minimize,
  withNumericGradient,
  type Objective,
  type ObjectiveWithGradient,
} from '../../src/models/optimize.ts';

const rosenbrock: ObjectiveWithGradient = (v, g) => {
  const [x, y] = v;
  g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
  g[1] = 200 * (y - x * x);
  return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
};
const rosenbrockValue: Objective = (v) => rosenbrock(v, new Float64Array(2));
const close = (got: number[], want: number[], tol: number) =>
  assert.ok(
    got.every((v, i) => Math.abs(v - want[i]) <= tol),
    `got [${got}], want [${want}] ± ${tol}`,
  );

describe('BFGS', () => {
  it('follows the Rosenbrock valley from (−1.2, 1) to (1, 1)', () => {
    const res = bfgs(rosenbrock, [-1.2, 1]);
    assert.equal(res.converged, true);
    close(res.x, [1, 1], 1e-6);
    assert.ok(res.iterations < 100, `${res.iterations} iterations`);
  });
  it('copes with scales 10⁶ apart (an ill-conditioned quadratic in 4 dimensions)', () => {
    const scales = [1, 1e2, 1e4, 1e6];
    const f: ObjectiveWithGradient = (v, g) => {
      let s = 0;
      for (let i = 0; i < 4; i++) {
        g[i] = scales[i] * (v[i] - i);
        s += (scales[i] * (v[i] - i) ** 2) / 2;
      }
      return s;
    };
    const res = bfgs(f, [3, 3, 3, 3]);
    assert.equal(res.converged, true);
    close(res.x, [0, 1, 2, 3], 1e-5);
  });
  it('backs off from points where the objective is undefined (NaN is treated as +∞)', () => {
    // 100·(x − 3 ln x), defined for x > 0 only, minimum at x = 3; the first step from 10 lands at x = −60
    let undefinedSeen = false;
    const f: ObjectiveWithGradient = (v, g) => {
      if (v[0] <= 0) undefinedSeen = true;
      g[0] = 100 * (1 - 3 / v[0]);
      return 100 * (v[0] - 3 * Math.log(v[0]));
    };
    const res = bfgs(f, [10], { maxStep: 100 });
    assert.equal(undefinedSeen, true);
    assert.equal(res.converged, true);
    close(res.x, [3], 1e-6);
  });
  it('reports non-convergence when out of iterations', () => {
    const res = bfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    assert.equal(res.converged, false);
    assert.equal(res.iterations, 3);
  });
});

describe('Nelder–Mead with restarts', () => {
  it('finds the Rosenbrock minimum without derivatives', () => {
    const res = nelderMead(rosenbrockValue, [-1.2, 1]);
    assert.equal(res.converged, true);
    close(res.x, [1, 1], 1e-4);
  });
  it('finds the minimum of a non-smooth function, where gradients do not help', () => {
    const res = nelderMead((v) => Math.abs(v[0] - 1) + Math.abs(v[1] + 2) + Math.abs(v[2]), [5, 5, 5]);
    close(res.x, [1, -2, 0], 1e-5);
  });
});

describe('minimize', () => {
  it('uses central differences when no gradient is given', () => {
    const res = minimize(rosenbrockValue, [-1.2, 1]);
    assert.equal(res.converged, true);
    close(res.x, [1, 1], 1e-5);
  });
  it('numeric gradients match analytic ones', () => {
    const g = new Float64Array(2);
    const gn = new Float64Array(2);
    rosenbrock(Float64Array.of(0.3, -0.4), g);
    withNumericGradient(rosenbrockValue)(Float64Array.of(0.3, -0.4), gn);
    close([...gn], [...g], 1e-6);
  });
  it('falls back to the simplex when BFGS cannot make progress, then polishes', () => {
    // a gradient that lies (wrong sign) makes BFGS stall; the simplex still gets there
    const lying: ObjectiveWithGradient = (v, g) => {
      g[0] = -2 * (v[0] - 4);
      return (v[0] - 4) ** 2;
    };
    const res = minimize((v) => (v[0] - 4) ** 2, [0], lying);
    assert.equal(res.method, 'nelder-mead+bfgs');
    close(res.x, [4], 1e-4);
  });
});
