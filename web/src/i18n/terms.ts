// The product's own words that the server sends as values (RFM segment names, churn risk bands, lifecycle stages), in
// the dashboard's language. A value not listed (a newer server) shows as sent.
import { t } from './index';

const RFM_SEGMENTS: Record<string, () => string> = {
  Champions: () => t('rfmSegment.champions'),
  Loyal: () => t('rfmSegment.loyal'),
  'Potential loyalist': () => t('rfmSegment.potentialLoyalist'),
  New: () => t('rfmSegment.new'),
  Promising: () => t('rfmSegment.promising'),
  'Need attention': () => t('rfmSegment.needAttention'),
  'About to sleep': () => t('rfmSegment.aboutToSleep'),
  'Cannot lose them': () => t('rfmSegment.cannotLoseThem'),
  'At risk': () => t('rfmSegment.atRisk'),
  Hibernating: () => t('rfmSegment.hibernating'),
  Lost: () => t('rfmSegment.lost'),
};

const RISKS: Record<string, () => string> = {
  low: () => t('risk.low'),
  medium: () => t('risk.medium'),
  high: () => t('risk.high'),
};

const STAGES: Record<string, () => string> = {
  new: () => t('stage.new'),
  active: () => t('stage.active'),
  at_risk: () => t('stage.atRisk'),
  churned: () => t('stage.churned'),
  reactivated: () => t('stage.reactivated'),
};

/** Statuses of journeys, journey runs, segments and messages in the log (the API's values). */
const STATUSES: Record<string, () => string> = {
  draft: () => t('status.draft'),
  active: () => t('status.active'),
  paused: () => t('status.paused'),
  archived: () => t('status.archived'),
  waiting: () => t('status.waiting'),
  completed: () => t('status.completed'),
  exited: () => t('status.exited'),
  failed: () => t('status.failed'),
  claimed: () => t('status.claimed'),
  queued: () => t('status.queued'),
  sending: () => t('status.sending'),
  sent: () => t('status.sent'),
  delivered: () => t('status.delivered'),
  opened: () => t('status.opened'),
  clicked: () => t('status.clicked'),
  bounced: () => t('status.bounced'),
  complained: () => t('status.complained'),
  unsubscribed: () => t('status.unsubscribed'),
  unknown: () => t('status.unknown'),
  skipped: () => t('status.skipped'),
  deferred: () => t('status.deferred'),
  expired: () => t('status.expired'),
  pending: () => t('status.pending'),
};

/** Why a message was not sent (the server's OUTCOME_REASONS). */
const OUTCOMES: Record<string, () => string> = {
  duplicate: () => t('outcome.duplicate'),
  control_group: () => t('outcome.control_group'),
  no_consent: () => t('outcome.no_consent'),
  suppressed: () => t('outcome.suppressed'),
  unreachable: () => t('outcome.unreachable'),
  frequency_cap: () => t('outcome.frequency_cap'),
  expired: () => t('outcome.expired'),
  template_error: () => t('outcome.template_error'),
  coupon_pool_empty: () => t('outcome.coupon_pool_empty'),
  customer_erased: () => t('outcome.customer_erased'),
  goal_reached: () => t('outcome.goal_reached'),
  left_segment: () => t('outcome.left_segment'),
  quiet_hours: () => t('outcome.quiet_hours'),
  cascade_wait: () => t('outcome.cascade_wait'),
  retry: () => t('outcome.retry'),
  undelivered: () => t('outcome.undelivered'),
  provider_error: () => t('outcome.provider_error'),
  in_doubt: () => t('outcome.in_doubt'),
};

function lookUp(table: Record<string, () => string>, value: string): string {
  return Object.hasOwn(table, value) ? table[value]!() : value;
}

export const rfmSegmentName = (name: string): string => lookUp(RFM_SEGMENTS, name);
export const riskName = (band: string): string => lookUp(RISKS, band);
export const stageName = (stage: string): string => lookUp(STAGES, stage);
export const statusName = (status: string): string => lookUp(STATUSES, status);
export const outcomeName = (reason: string): string => lookUp(OUTCOMES, reason);
