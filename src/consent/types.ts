// Consent shapes shared by the consent store, the send gate and the routes: one recorded act, the state in force,
// suppression reasons.
import type { Channel, Purpose } from '../channels/index.ts';

/** Topic subscriptions are not tied to one channel: they are recorded under this channel name, purpose marketing. */
export const ANY_CHANNEL = '*';
export type ConsentChannel = Channel | typeof ANY_CHANNEL;

/**
 * Where a consent act came from. Known sources: 'api' (admin API), 'signup_form' (POST /v1/consent), 'double_opt_in'
 * (the confirmation link), 'unsubscribe_link' (list unsubscribe, one-click or the page's button), 'preference_centre',
 * 'sms_stop' / 'sms_start' (inbound SMS keywords), 'provider_unsubscribe' (an `unsubscribed` delivery report), 'import'. Any other short name is accepted and kept as written.
 */
export type ConsentSource = string;

/** One act in the audit trail: a grant or a revocation, as recorded. */
export interface ConsentRecord {
  channel: ConsentChannel;
  purpose: Purpose;
  /** '' for the channel and purpose itself; a topic id for a subscription topic (channel '*'). */
  topic: string;
  granted: boolean;
  source: ConsentSource;
  ip: string | null;
  textVersion: string | null;
  at: Date;
  /** Set on a grant confirmed by double opt-in. */
  confirmedAt: Date | null;
}

/** The consent in force for one channel, purpose and topic: its latest record, and whether a grant was confirmed. */
export interface ConsentState {
  channel: ConsentChannel;
  purpose: Purpose;
  topic: string;
  granted: boolean;
  /** Granted, and confirmed by double opt-in since the last revocation. */
  confirmed: boolean;
  at: Date;
  source: ConsentSource;
  textVersion: string | null;
}

export const SUPPRESSION_REASONS = ['hard_bounce', 'complaint', 'unsubscribed', 'invalid_address'] as const;
/** Why an address must not be sent to again on a channel (any purpose). */
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
