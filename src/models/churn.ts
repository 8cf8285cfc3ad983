// Churn-risk bands from BG/NBD's P(alive) (pure). The thresholds are the shop's policy, so they are configurable.

export type RiskBand = 'low' | 'medium' | 'high';

export interface RiskThresholds {
  /** P(alive) below this → high risk. */
  highBelow: number;
  /** P(alive) below this (and not high) → medium risk; otherwise low. */
  mediumBelow: number;
}

export const DEFAULT_RISK_THRESHOLDS: Readonly<RiskThresholds> = Object.freeze({ highBelow: 0.5, mediumBelow: 0.7 });

/** Throws a RangeError unless 0 ≤ highBelow ≤ mediumBelow ≤ 1. */
export function validateRiskThresholds(t: RiskThresholds): RiskThresholds {
  if (!(t.highBelow >= 0 && t.highBelow <= t.mediumBelow && t.mediumBelow <= 1)) {
    throw new RangeError(`risk thresholds need 0 ≤ highBelow ≤ mediumBelow ≤ 1 (got ${t.highBelow}, ${t.mediumBelow})`);
  }
  return t;
}

export function riskBand(pAlive: number, thresholds: RiskThresholds = DEFAULT_RISK_THRESHOLDS): RiskBand {
  if (!(pAlive >= 0 && pAlive <= 1)) throw new RangeError(`P(alive) must be in [0, 1] (got ${pAlive})`);
  validateRiskThresholds(thresholds);
  if (pAlive < thresholds.highBelow) return 'high';
  if (pAlive < thresholds.mediumBelow) return 'medium';
  return 'low';
}
