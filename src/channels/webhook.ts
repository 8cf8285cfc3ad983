// A generic webhook: the message's JSON POSTed to the configured URL, signed with HMAC-SHA256 and carrying its idempotency key.
import { z } from 'zod';
import type { Channel, OutgoingMessage, Provider, ProviderResult } from './types.ts';
import { headerMap, httpUrl, text, timeoutMs } from './fields.ts';
import { failureOf, httpCall, isFailure, isSuccess } from './http.ts';
import { webhookHeaders } from '../lib/index.ts';

export const webhookSettings = z.strictObject({
  url: httpUrl('where to POST, e.g. https://hooks.example.com/retain'),
  secret: text('a shared secret (16 characters or more) the receiver uses to check X-Retain-Signature').refine(
    (v) => v.length >= 16,
    'is too short: use 16 characters or more',
  ),
  headers: headerMap('extra headers to send').default({}),
  timeoutMs,
});
export type WebhookSettings = z.infer<typeof webhookSettings>;

export class WebhookProvider implements Provider {
  readonly name = 'webhook';
  readonly channel: Channel = 'webhook';
  /** Every request carries the message's Idempotency-Key: a receiver that honours it sees a repeat once. */
  readonly deduplicates = true;

  constructor(
    private readonly settings: WebhookSettings,
    private readonly clock: () => number = Date.now,
  ) {}

  async send(message: OutgoingMessage): Promise<ProviderResult> {
    if (!message.webhook) return { ok: false, retryable: false, error: 'the message has no webhook body to send' };
    const s = this.settings;
    const body = JSON.stringify(message.webhook.body);
    const answer = await httpCall(s.url, {
      headers: { ...s.headers, ...webhookHeaders(body, message.key, s.secret, Math.floor(this.clock() / 1000)) },
      body,
      timeoutMs: s.timeoutMs,
    });
    if (isFailure(answer)) return answer;
    if (isSuccess(answer)) return { ok: true, providerMessageId: answer.headers.get('x-request-id') ?? undefined };
    return failureOf(answer);
  }
}
