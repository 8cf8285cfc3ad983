// The shapes the messaging pieces share: gate decisions, and why a message was not sent. Channels, purposes, the
// rendered message and a provider's answer are the channels layer's (src/channels/types.ts).
import type { ExitReason } from '../journeys/index.ts';
import type { Channel } from '../channels/index.ts';

/** The send gate's verdict on one message. */
export type GateDecision =
  | { kind: 'send'; channel: Channel }
  | { kind: 'skip'; reason: SkipReason; detail?: string }
  | { kind: 'defer'; until: Date; reason: DeferReason; detail?: string };

export type DeferReason = 'quiet_hours' | 'frequency_cap' | 'cascade_wait';

export type SkipReason =
  | 'duplicate'
  | 'control_group'
  | 'no_consent'
  | 'suppressed'
  | 'unreachable'
  | 'frequency_cap'
  | 'expired'
  | 'template_error'
  | 'customer_erased'
  | 'coupon_pool_empty'
  | ExitReason;

/**
 * Why a message is not sent (yet), as message_intents.reason records it: a skip, a deferral, a try waiting for its
 * retry ('retry'), a cascade that delivered on no channel ('undelivered'), a provider's refusal ('provider_error'), a
 * hand-over whose outcome nobody knows ('in_doubt').
 */
export type OutcomeReason = SkipReason | DeferReason | 'retry' | 'undelivered' | 'provider_error' | 'in_doubt';

/** Each reason in words for people (the dashboard's labels); a new reason without one is a compile error. */
export const OUTCOME_LABELS: Readonly<Record<OutcomeReason, string>> = {
  duplicate: 'Already sent',
  control_group: 'Control group',
  no_consent: 'No consent',
  suppressed: 'Suppressed address',
  unreachable: 'No address or provider',
  frequency_cap: 'Frequency cap',
  expired: 'Expired',
  template_error: 'Template error',
  customer_erased: 'Customer erased',
  coupon_pool_empty: 'Coupon pool empty',
  goal_reached: 'Goal reached',
  left_segment: 'Left the segment',
  quiet_hours: 'Quiet hours',
  cascade_wait: 'Waiting for a delivery report',
  retry: 'Waiting for a retry',
  undelivered: 'Delivered on no channel',
  provider_error: 'Refused by the provider',
  in_doubt: 'Outcome unknown',
};

export const OUTCOME_REASONS = Object.keys(OUTCOME_LABELS) as OutcomeReason[];
