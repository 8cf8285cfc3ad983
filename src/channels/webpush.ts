// Web Push with VAPID: web-push encrypts the payload and signs the VAPID header; we deliver it to the subscription's endpoint.
import webpush from 'web-push';
import { z } from 'zod';
import type { Channel, OutgoingMessage, Provider, ProviderResult } from './types.ts';
import { text, timeoutMs, whole } from './fields.ts';
import { failureOf, httpCall, isFailure, isSuccess } from './http.ts';

export const webPushSettings = z.strictObject({
  subject: text('how push services can reach you: "mailto:you@example.com" or your site\'s https:// URL').refine(
    (v) => /^(mailto:|https:\/\/)/.test(v),
    'must start with mailto: or https://: how push services can reach you',
  ),
  publicKey: text('the VAPID public key (base64url); leave out both keys to have Retain generate a pair'),
  privateKey: text('the VAPID private key (base64url) that goes with publicKey'),
  ttlSeconds: whole('how long a push service keeps an undelivered notification', 0, 2_419_200).default(86_400),
  urgency: z
    .enum(['very-low', 'low', 'normal', 'high'], { error: 'must be very-low, low, normal or high' })
    .default('normal'),
  /** Allow http:// endpoints: only for a local push service in development and tests. */
  allowHttpEndpoints: z.boolean({ error: 'must be true or false' }).default(false),
  timeoutMs,
});
export type WebPushSettings = z.infer<typeof webPushSettings>;

/** Settings without a key pair get a new one (the public key then goes into the website's snippet). */
export function withVapidKeys(config: unknown): unknown {
  if (!config || typeof config !== 'object') return config;
  const c = config as Record<string, unknown>;
  if (c.publicKey !== undefined || c.privateKey !== undefined) return config;
  return { ...c, ...webpush.generateVAPIDKeys() };
}

/** A browser's PushSubscription as JSON (what `subscription.toJSON()` gives). */
export interface PushSubscriptionJson {
  endpoint: string;
  expirationTime?: number | null;
  keys: { p256dh: string; auth: string };
}

export function parseSubscription(to: string): PushSubscriptionJson | null {
  try {
    const s = JSON.parse(to) as PushSubscriptionJson;
    if (typeof s?.endpoint !== 'string' || typeof s.keys?.p256dh !== 'string' || typeof s.keys?.auth !== 'string')
      return null;
    return s;
  } catch {
    return null;
  }
}

/** What the service worker (sdk/retain-sw.js) reads from the push event. */
export function pushPayload(message: OutgoingMessage): string {
  const p = message.push!;
  return JSON.stringify({ title: p.title, body: p.body, url: p.url, icon: p.icon, key: message.key });
}

export class WebPushProvider implements Provider {
  readonly name = 'webpush';
  readonly channel: Channel = 'webpush';

  constructor(private readonly settings: WebPushSettings) {}

  async send(message: OutgoingMessage): Promise<ProviderResult> {
    if (!message.push) return { ok: false, retryable: false, error: 'the message has no push content to send' };
    const s = this.settings;
    const subscription = parseSubscription(message.to);
    if (!subscription)
      return {
        ok: false,
        retryable: false,
        error: 'the address is not a push subscription (JSON with endpoint and keys)',
        suppress: 'invalid_address',
      };
    const scheme = /^(https?):\/\//.exec(subscription.endpoint)?.[1];
    if (scheme !== 'https' && !(scheme === 'http' && s.allowHttpEndpoints)) {
      return {
        ok: false,
        retryable: false,
        error: 'the subscription endpoint is not an https:// URL',
        suppress: 'invalid_address',
      };
    }
    let request: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      request = webpush.generateRequestDetails(subscription, pushPayload(message), {
        vapidDetails: { subject: s.subject, publicKey: s.publicKey, privateKey: s.privateKey },
        TTL: s.ttlSeconds,
        urgency: s.urgency,
      });
    } catch (err) {
      // Bad subscription keys (the browser gave us something unusable) or bad VAPID keys (our settings).
      const error = `cannot prepare the push: ${(err as Error).message}`;
      return /subscription|p256dh|auth/i.test(error)
        ? { ok: false, retryable: false, error, suppress: 'invalid_address' }
        : { ok: false, retryable: false, error };
    }
    // httpCall sets Content-Length itself.
    const headers = Object.fromEntries(
      Object.entries(request.headers)
        .filter(([k]) => k.toLowerCase() !== 'content-length')
        .map(([k, v]) => [k, String(v)]),
    );
    const answer = await httpCall(request.endpoint, {
      method: 'POST',
      headers,
      body: request.body ?? undefined,
      timeoutMs: s.timeoutMs,
    });
    if (isFailure(answer)) return answer;
    if (isSuccess(answer)) return { ok: true, providerMessageId: answer.headers.get('location') ?? undefined };
    // 404 / 410: the subscription expired or the user revoked it; it will never work again.
    const gone = answer.status === 404 || answer.status === 410;
    return failureOf(
      answer,
      gone ? { detail: 'the push subscription expired or was revoked', suppress: 'unsubscribed' } : {},
    );
  }
}
