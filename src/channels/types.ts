// The kinds every delivery layer shares, defined once at the bottom (this file imports nothing): the channels, a
// message's purpose, a message rendered for one provider, the provider's answer, and the provider interface itself.
// channels/ (the adapters), consent/ (who may be sent what) and messaging/ (the gate and the dispatcher) all build on
// these; channels/ imports neither of the other two.
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
  email?: {
    subject: string;
    preheader?: string;
    html: string;
    text: string;
    from?: string;
    headers?: Record<string, string>;
  };
  sms?: { text: string };
  push?: { title: string; body: string; url?: string; icon?: string };
  telegram?: { text: string; buttons?: { text: string; url: string }[] };
  webhook?: { body: Record<string, unknown> };
}

/** What a provider answers: accepted (with its id), or refused, retryable (429, 5xx, timeout) or permanent (bad address). */
export type ProviderResult =
  | { ok: true; providerMessageId?: string }
  | {
      ok: false;
      retryable: boolean;
      error: string;
      retryAfterMs?: number;
      suppress?: 'invalid_address' | 'hard_bounce' | 'complaint' | 'unsubscribed';
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
