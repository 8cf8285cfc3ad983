// Always-valid inference: a mixture sequential probability ratio test (Robbins 1970; Johari et al. 2017), so that
// the marketer may look at a running experiment every day and a "significant" verdict still errs at most α of the time.
import type { Interval } from './intervals.ts';

/**
 * The mixing distribution over the true difference: normals N(0, τ²) with τ² = 8·V_planned·scale (8·V makes the
 * boundary tightest at the planned size for α = 0.05), weighted. The wider scales find a large effect early, long
 * before the planned size, at the price of a boundary about 5 % wider at the planned size than one scale alone.
 */
const TIGHTEST_AT_PLANNED = 8;
const MIXTURE = [
  { scale: 1, weight: 0.7 },
  { scale: 16, weight: 0.1 },
  { scale: 256, weight: 0.1 },
  { scale: 4096, weight: 0.1 },
] as const;

export interface AlwaysValid {
  /** A confidence sequence: holds at every look at once with probability ≥ 1 − α. */
  interval: Interval;
  /** The always-valid p-value (1 / the mixture likelihood ratio, capped at 1). */
  pValue: number;
}

/**
 * log Λ for an estimate x away from the tested difference, with variance V: each component is
 * √(V/(V+τ²)) · exp(τ²·x² / (2V(V+τ²))), a martingale under the tested difference, and so is their weighted mean:
 * by Ville's inequality P(Λ ever ≥ 1/α) ≤ α.
 */
function logMixtureRatio(x: number, variance: number, plannedVariance: number): number {
  const terms = MIXTURE.map(({ scale, weight }) => {
    const tau2 = TIGHTEST_AT_PLANNED * plannedVariance * scale;
    return (
      Math.log(weight) +
      0.5 * Math.log(variance / (variance + tau2)) +
      (tau2 * x * x) / (2 * variance * (variance + tau2))
    );
  });
  const top = Math.max(...terms);
  return top + Math.log(terms.reduce((s, t) => s + Math.exp(t - top), 0));
}

/** The distance h ≥ 0 at which log Λ reaches log(1/α): Λ grows with |x|, so bisection finds it. */
function halfWidth(variance: number, plannedVariance: number, alpha: number): number {
  const target = Math.log(1 / alpha);
  let high = Math.sqrt(variance);
  while (logMixtureRatio(high, variance, plannedVariance) < target) high *= 2;
  let low = 0;
  for (let i = 0; i < 100 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2;
    if (logMixtureRatio(mid, variance, plannedVariance) < target) low = mid;
    else high = mid;
  }
  return high;
}

/**
 * The confidence sequence and always-valid p-value of an estimate `difference` with variance `variance`
 * (V = s²ₜ/nₜ + s²꜀/n꜀); `plannedVariance` is the estimate's variance at the planned size.
 */
export function alwaysValid(difference: number, variance: number, plannedVariance: number, alpha = 0.05): AlwaysValid {
  if (!(variance > 0 && plannedVariance > 0 && Number.isFinite(difference)))
    return { interval: { low: Number.NaN, high: Number.NaN }, pValue: Number.NaN };
  const half = halfWidth(variance, plannedVariance, alpha);
  return {
    interval: { low: difference - half, high: difference + half },
    pValue: Math.min(1, Math.exp(-logMixtureRatio(difference, variance, plannedVariance))),
  };
}

/** The half-width of the always-valid interval at the planned size, in standard errors (≈ 3.20 for α = 0.05). */
export function plannedHalfWidthInErrors(alpha = 0.05): number {
  return halfWidth(1, 1, alpha);
}
