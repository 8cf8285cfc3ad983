// The shapes the messaging pieces share: channels, a rendered message, a provider's answer, gate decisions.

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
  | { ok: false; retryable: boolean; error: string; retryAfterMs?: number; suppress?: 'invalid_address' | 'hard_bounce' | 'complaint' | 'unsubscribed' };

/** One adapter per provider, behind one interface (Novu's idea): small, with no knowledge of the gate or the database. */
export interface Provider {
  readonly name: string;
  readonly channel: Channel;
  send(message: OutgoingMessage): Promise<ProviderResult>;
  close?(): Promise<void>;
}

/** The send gate's verdict on one message. */
export type GateDecision =
  | { kind: 'send'; channel: Channel }
  | { kind: 'skip'; reason: SkipReason; detail?: string }
  | { kind: 'defer'; until: Date; reason: 'quiet_hours' | 'frequency_cap' | 'cascade_wait' };

export type SkipReason =
  | 'duplicate'
  | 'control_group'
  | 'no_consent'
  | 'suppressed'
  | 'unreachable'
  | 'frequency_cap'
  | 'stale'
  | 'template_error'
  | 'customer_erased';
