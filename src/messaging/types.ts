// The shapes the messaging pieces share: channels, a rendered message, a provider's answer, gate decisions, and why a
// message was not sent.
import type { ExitReason } from '../journeys/listen.ts';

export const CHANNELS = ['email', 'sms', 'push', 'webpush', 'telegram', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

export type Purpose = 'transactional' | 'marketing';

/** A message ready for a provider: rendered content for one channel and one recipient address. */
export interface OutgoingMessage {
  /** Idempotency key of this send (intent message key + channel): providers that honour one get it. */
  key: string;
  channel: Channel;
  /** E-mail address, E.164 phone, push token / subscription JSON, Telegram chat id, or webhook URL. */
  to: string;
  purpose: Purpose;
  email?: { subject: string; preheader?: string; html: string; text: string; from?: string; headers?: Record<string, string> };
  sms?: { text: string };
  push?: { title: string; body: string; url?: string; icon?: string };
  telegram?: { text: string; buttons?: { text: string; url: string }[] };
  webhook?: { body: Record<string, unknown> };
}

/** What a provider answers: accepted (with its id), or refused, retryable (429, 5xx, timeout) or permanent (bad address). */
export type ProviderResult =
  | { ok: true; providerMessageId?: string }
  | {
    ok: false; retryable: boolean; error: string; retryAfterMs?: number; suppress?: 'invalid_address' | 'hard_bounce' | 'complaint' | 'unsubscribed';
    /**
     * The request reached the provider and its answer never came (a timeout or a lost connection after the message was
     * sent): it may have been accepted. Sent again only where the provider recognises a repeat (Provider.deduplicates);
     * otherwise the message is 'unknown', never sent twice.
     */
    inDoubt?: boolean;
  };

/** One adapter per provider, behind one interface (Novu's idea): small, with no knowledge of the gate or the database. */
export interface Provider {
  readonly name: string;
  readonly channel: Channel;
  /** The provider recognises a repeated request by its idempotency key (OutgoingMessage.key): a send in doubt may be retried. */
  readonly deduplicates?: boolean;
  /** How many messages it takes at once (its open connections); the dispatcher hands off no more at a time. */
  readonly connections?: number;
  send(message: OutgoingMessage): Promise<ProviderResult>;
  close?(): Promise<void>;
}

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
  | ExitReason;

/**
 * Why a message is not sent (yet), as message_intents.reason records it: a skip, a deferral, a try waiting for its
 * retry ('retry'), a cascade that delivered on no channel ('undelivered'), a provider's refusal ('provider_error'), a
 * hand-over whose outcome nobody knows ('in_doubt').
 */
export type OutcomeReason = SkipReason | DeferReason | 'retry' | 'undelivered' | 'provider_error' | 'in_doubt';

/** Each reason in words for people (the dashboard's labels); a new reason without one is a compile error. */
export const OUTCOME_LABELS: Readonly<Record<OutcomeReason, string>> = {
  duplicate: 'Already sent', control_group: 'Control group', no_consent: 'No consent', suppressed: 'Suppressed address',
  unreachable: 'No address or provider', frequency_cap: 'Frequency cap', expired: 'Expired', template_error: 'Template error',
  customer_erased: 'Customer erased', goal_reached: 'Goal reached', left_segment: 'Left the segment', quiet_hours: 'Quiet hours',
  cascade_wait: 'Waiting for a delivery report', retry: 'Waiting for a retry', undelivered: 'Delivered on no channel',
  provider_error: 'Refused by the provider', in_doubt: 'Outcome unknown',
};

export const OUTCOME_REASONS = Object.keys(OUTCOME_LABELS) as OutcomeReason[];
