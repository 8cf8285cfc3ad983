// Lifecycle stage (pure): new / active / at_risk / churned / reactivated, from a customer's order dates, P(alive) and
// previous stage, at a clock given as an argument. Rules, first match wins (days are whole UTC calendar days):
//   1. no order                                   → null (not a customer yet)
//   2. churned     days since last order ≥ churnedAfterDays, or P(alive) < churnedBelow
//   3. at_risk     churn risk is high (P(alive) < riskThresholds.highBelow); without a model score (P(alive) null),
//                  days since last order ≥ atRiskAfterDays
//   4. reactivated previous stage churned and an order since the previous scoring (the customer came back); it stays
//                  reactivated while there is no further order and the return is younger than newDays. "Since" compares
//                  the last order with the last order the previous scoring saw, never with a clock time: an order
//                  ingested late, or read by a run that had just started, still counts once
//   5. new         first order less than newDays ago
//   6. active      otherwise
// A one-time buyer has P(alive) = 1 under BG/NBD (the model cannot tell a lapse from a long gap), so for them only the
// day rule churnedAfterDays applies: the kitchen-appliance buyer stays active for a year, the lapsed water-filter buyer
// (regular purchases, then silence) becomes at risk as soon as P(alive) drops.
import { DEFAULT_RISK_THRESHOLDS, type RiskThresholds } from './churn.ts';
import type { LifecycleStage } from '../scores/index.ts';
import { DAY_MS } from '../time/index.ts';

export interface LifecycleSettings {
  /** A first order (or a return) younger than this many days is new (reactivated). Default 30. */
  newDays: number;
  /** Without a model score: days without an order after which a customer is at risk. Default 180. */
  atRiskAfterDays: number;
  /** Days without an order after which a customer is churned, whatever the model says. Default 365. */
  churnedAfterDays: number;
  /** P(alive) below this → churned. Default 0.2. */
  churnedBelow: number;
}

export const DEFAULT_LIFECYCLE: Readonly<LifecycleSettings> = Object.freeze({
  newDays: 30,
  atRiskAfterDays: 180,
  churnedAfterDays: 365,
  churnedBelow: 0.2,
});

export interface LifecycleInput {
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  /** BG/NBD P(alive), null when there is no model. */
  pAlive: number | null;
  previousStage: LifecycleStage | null;
  /** The last order the previous scoring saw (null: not scored before, or before this was kept). */
  previousLastOrderAt: Date | null;
}

const day = (d: Date) => Math.floor(d.getTime() / DAY_MS);

export function lifecycleStage(
  c: LifecycleInput,
  now: Date,
  settings: LifecycleSettings = DEFAULT_LIFECYCLE,
  risk: RiskThresholds = DEFAULT_RISK_THRESHOLDS,
): LifecycleStage | null {
  if (!c.lastOrderAt || !c.firstOrderAt) return null;
  const today = day(now);
  const sinceLast = today - day(c.lastOrderAt);
  const sinceFirst = today - day(c.firstOrderAt);
  if (sinceLast >= settings.churnedAfterDays || (c.pAlive !== null && c.pAlive < settings.churnedBelow))
    return 'churned';
  if (c.pAlive !== null ? c.pAlive < risk.highBelow : sinceLast >= settings.atRiskAfterDays) return 'at_risk';
  const seen = c.previousLastOrderAt?.getTime() ?? null;
  const orderedSince = seen !== null && c.lastOrderAt.getTime() > seen;
  if (c.previousStage === 'churned' && orderedSince) return 'reactivated';
  if (c.previousStage === 'reactivated' && seen !== null && !orderedSince && sinceLast < settings.newDays)
    return 'reactivated';
  if (sinceFirst < settings.newDays) return 'new';
  return 'active';
}
