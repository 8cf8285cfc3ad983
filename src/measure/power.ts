// How many customers an experiment needs: the size at which a given difference is found with the wanted power.
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/**
 * The textbook per-arm size for a fixed-horizon two-sided test of a difference `delta` in means, per-customer standard
 * deviations sdTreated and sdControl (normal approximation): n = (z₁₋α/₂ + z_power)² (σ²ₜ + σ²꜀) / δ².
 */
export function customersPerArm(
  delta: number,
  sdTreated: number,
  sdControl: number,
  alpha = 0.05,
  power = 0.8,
): number {
  if (!(delta !== 0 && Number.isFinite(delta))) return Number.POSITIVE_INFINITY;
  const z = normalQuantile(1 - alpha / 2, 0, 1) + normalQuantile(power, 0, 1);
  return Math.ceil((z * z * (sdTreated * sdTreated + sdControl * sdControl)) / (delta * delta));
}

/**
 * Customers needed in all, arms split as today (controlShare of them in control), for the estimate's variance to fall
 * to `targetVariance`: V = σ²ₜ/((1 − r)N) + σ²꜀/(rN) ⇒ N = (σ²ₜ/(1 − r) + σ²꜀/r) / V.
 */
export function customersForVariance(
  targetVariance: number,
  sdTreated: number,
  sdControl: number,
  controlShare: number,
): number {
  if (!(targetVariance > 0 && controlShare > 0 && controlShare < 1)) return Number.POSITIVE_INFINITY;
  return Math.ceil((sdTreated ** 2 / (1 - controlShare) + sdControl ** 2 / controlShare) / targetVariance);
}

/** The one-sided normal quantile of the wanted power (0.8 → 0.8416). */
export function zPower(power: number): number {
  return normalQuantile(power, 0, 1);
}
