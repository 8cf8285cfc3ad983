// NBD (Ehrenberg 1959), pure: purchases as a Poisson process with rate λ ~ Gamma(r, α) and no dropout — the limit of
// BG/NBD, MBG/NBD and Pareto/NBD when dropout vanishes. The fallback when the data do not identify a dropout process.
import gammaln from '@stdlib/math-base-special-gammaln';
import type { GroupedSummaries, RecencyFrequency } from './summary.ts';
import { asGroups, checkFitData, sumOverGroups } from './fitdata.ts';
import { fitCountModel, type CountModelFit, type PositiveModel } from './mle.ts';

export interface NbdParams {
  r: number;
  alpha: number;
}

export type NbdFit = CountModelFit<NbdParams>;

const MODEL = 'NBD';
export const NBD_NAMES = ['r', 'alpha'] as const;

/** ln L_i = ln Γ(r+x) − ln Γ(r) + r ln α − (r+x) ln(α+T): x purchases in (0, T], their timing uninformative. */
function groupedLogLikelihood(p: NbdParams, g: GroupedSummaries): number {
  if (!(p.r > 0 && p.alpha > 0)) return NaN;
  const { r, alpha } = p;
  const base = -gammaln(r) + r * Math.log(alpha);
  return sumOverGroups(
    g,
    (x) => base + gammaln(r + x),
    (x, _tx, T) => -(r + x) * Math.log(alpha + T),
  );
}

export function nbdModel(data: GroupedSummaries | ArrayLike<RecencyFrequency>): PositiveModel<NbdParams> {
  const g = asGroups(MODEL, data);
  return { names: NBD_NAMES, logLikelihood: (p) => groupedLogLikelihood(p, g) };
}

/** Maximum-likelihood fit (the same refusals as the dropout models). */
export function fitNbd(
  data: GroupedSummaries | ArrayLike<RecencyFrequency>,
  options: { minCustomers?: number } = {},
): NbdFit {
  const g = asGroups(MODEL, data);
  const { purchases, exposure } = checkFitData(MODEL, g, options.minCustomers ?? 30);
  return fitCountModel(MODEL, nbdModel(g), { r: 1, alpha: exposure / purchases }, g);
}

/** E[Y(t) | x, T] = (r+x)/(α+T) · t: the posterior mean rate times t; nobody ever drops out (P(alive) = 1). */
export function nbdExpectedPurchases(params: NbdParams, x: number, _tx: number, T: number, t: number): number {
  return t <= 0 ? 0 : ((params.r + x) / (params.alpha + T)) * t;
}
