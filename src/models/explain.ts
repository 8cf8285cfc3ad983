// Why a customer's scores seem to disagree (pure): notes in the domain's words for the profile, where the lifecycle
// stage, the churn risk and the RFM cell answer different questions. Each note is a code with its figures; the
// dashboard turns it into a sentence in the marketer's language.
import { DEFAULT_LIFECYCLE, type LifecycleSettings } from './lifecycle.ts';
import { DAY_MS } from '../time/index.ts';

export type ScoreNote =
  /** Churned by the shop's day rule while the model's risk is not high (one order, or long gaps are normal for them). */
  | { code: 'churned_by_days'; daysSinceLastOrder: number; churnedAfterDays: number; orders: number; churnRisk: string }
  /** At risk by the day rule alone: no model score yet. */
  | { code: 'at_risk_without_model'; daysSinceLastOrder: number; atRiskAfterDays: number }
  /** A high RFM recency score next to a lapsed stage: RFM ranks customers against each other, not against the calendar. */
  | { code: 'rfm_is_relative'; recencyScore: number; stage: string }
  /** The scores were computed before the customer's last order: the next model run updates them. */
  | { code: 'scored_before_last_order'; scoredAt: string; lastOrderAt: string };

export interface ScoredCustomer {
  lastOrderAt: string | null;
  ordersCount: number;
  lifecycleStage: string | null;
  churnRisk: string | null;
  pAlive: number | null;
  rfm: { r: number; f: number; m: number } | null;
  scoredAt: string | null;
}

const day = (iso: string) => Math.floor(Date.parse(iso) / DAY_MS);

/** The notes that apply to one customer at `now`, in the order a reader needs them. */
export function scoreNotes(
  c: ScoredCustomer,
  now: Date,
  lifecycle: LifecycleSettings = DEFAULT_LIFECYCLE,
): ScoreNote[] {
  const notes: ScoreNote[] = [];
  if (!c.lastOrderAt || !c.lifecycleStage) return notes;
  const sinceLast = Math.floor(now.getTime() / DAY_MS) - day(c.lastOrderAt);
  if (c.scoredAt && Date.parse(c.scoredAt) < Date.parse(c.lastOrderAt)) {
    notes.push({ code: 'scored_before_last_order', scoredAt: c.scoredAt, lastOrderAt: c.lastOrderAt });
  }
  if (
    c.lifecycleStage === 'churned' &&
    sinceLast >= lifecycle.churnedAfterDays &&
    c.churnRisk !== null &&
    c.churnRisk !== 'high'
  ) {
    notes.push({
      code: 'churned_by_days',
      daysSinceLastOrder: sinceLast,
      churnedAfterDays: lifecycle.churnedAfterDays,
      orders: c.ordersCount,
      churnRisk: c.churnRisk,
    });
  }
  if (c.lifecycleStage === 'at_risk' && c.pAlive === null) {
    notes.push({
      code: 'at_risk_without_model',
      daysSinceLastOrder: sinceLast,
      atRiskAfterDays: lifecycle.atRiskAfterDays,
    });
  }
  if ((c.lifecycleStage === 'churned' || c.lifecycleStage === 'at_risk') && c.rfm && c.rfm.r >= 4) {
    notes.push({ code: 'rfm_is_relative', recencyScore: c.rfm.r, stage: c.lifecycleStage });
  }
  return notes;
}
