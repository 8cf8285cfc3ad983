// Mobile (and browser) push through Firebase Cloud Messaging HTTP v1, authorised with a service account.
import { z } from 'zod';
import type { Channel, OutgoingMessage, Provider, ProviderResult } from './types.ts';
import type { Failure } from './classify.ts';
import { httpUrl, text, timeoutMs } from './fields.ts';
import { AccessTokens } from './google-auth.ts';
import { failureOf, httpCall, isFailure, isSuccess, type HttpAnswer } from './http.ts';

const serviceAccount = z.looseObject(
  {
    project_id: text('the Firebase project id (from the service account JSON)'),
    client_email: text('the service account e-mail (from the service account JSON)'),
    private_key: text('the PEM private key (from the service account JSON)'),
    token_uri: httpUrl('the OAuth token URL (from the service account JSON)').default(
      'https://oauth2.googleapis.com/token',
    ),
    private_key_id: z.string().optional(),
  },
  {
    error:
      'must be the service account JSON downloaded from Firebase: Project settings → Service accounts → Generate new private key',
  },
);

export const fcmSettings = z.strictObject({
  serviceAccount: z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }, serviceAccount),
  baseUrl: httpUrl('the FCM API address').default('https://fcm.googleapis.com'),
  timeoutMs,
});
export type FcmSettings = z.infer<typeof fcmSettings>;

export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

/** FCM's error code for the token: in details[].errorCode (UNREGISTERED) or the status (INVALID_ARGUMENT about the token). */
function tokenIsDead(answer: HttpAnswer): boolean {
  const error = answer.json?.error ?? {};
  const details: { errorCode?: string; fieldViolations?: { field?: string }[] }[] = Array.isArray(error.details)
    ? error.details
    : [];
  if (details.some((d) => d.errorCode === 'UNREGISTERED')) return true;
  if (error.status !== 'INVALID_ARGUMENT') return false;
  const onToken = details.some((d) => d.fieldViolations?.some((f) => f.field === 'message.token'));
  return onToken || /registration token/i.test(String(error.message ?? ''));
}

/** FCM's error codes that mean something to the sender, in our words (FCM's message is not repeated). */
const FCM_CODES: Record<string, string> = {
  INVALID_ARGUMENT: 'the request was refused as invalid',
  SENDER_ID_MISMATCH: 'the token belongs to another Firebase project',
  QUOTA_EXCEEDED: 'the sending quota is exceeded',
  UNAVAILABLE: 'FCM is unavailable for now',
  INTERNAL: 'FCM failed',
  THIRD_PARTY_AUTH_ERROR: 'the APNs or Web Push credentials in Firebase were refused',
  PERMISSION_DENIED: 'the service account may not send for this project',
  NOT_FOUND: 'the project or the token is unknown',
};

function fcmReason(answer: HttpAnswer): string | undefined {
  const error = answer.json?.error ?? {};
  const details: { errorCode?: unknown }[] = Array.isArray(error.details) ? error.details : [];
  const code = [...details.map((d) => d.errorCode), error.status].find(
    (c): c is string => typeof c === 'string' && Object.hasOwn(FCM_CODES, c),
  );
  return code ? `FCM ${code}: ${FCM_CODES[code]}` : undefined;
}

export class FcmProvider implements Provider {
  readonly name = 'fcm';
  readonly channel: Channel = 'push';
  private readonly tokens: AccessTokens;

  constructor(private readonly settings: FcmSettings) {
    this.tokens = new AccessTokens(settings.serviceAccount, FCM_SCOPE, settings.timeoutMs);
  }

  async send(message: OutgoingMessage): Promise<ProviderResult> {
    if (!message.push) return { ok: false, retryable: false, error: 'the message has no push content to send' };
    const first = await this.post(message);
    if (first !== 'unauthorized') return first;
    // The access token was revoked or expired early: get a new one and try once more.
    this.tokens.invalidate();
    const second = await this.post(message);
    return second === 'unauthorized'
      ? { ok: false, retryable: true, error: 'FCM refused the access token twice (401)' }
      : second;
  }

  private async post(message: OutgoingMessage): Promise<ProviderResult | 'unauthorized'> {
    const token = await this.tokens.get();
    if (typeof token !== 'string') return token as Failure;
    const s = this.settings;
    const p = message.push!;
    const body = {
      message: {
        token: message.to,
        notification: { title: p.title, body: p.body, ...(p.icon ? { image: p.icon } : {}) },
        data: { key: message.key, ...(p.url ? { url: p.url } : {}) },
        ...(p.url?.startsWith('https://') ? { webpush: { fcm_options: { link: p.url } } } : {}),
      },
    };
    const url = `${s.baseUrl.replace(/\/$/, '')}/v1/projects/${encodeURIComponent(s.serviceAccount.project_id)}/messages:send`;
    const answer = await httpCall(url, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      timeoutMs: s.timeoutMs,
    });
    if (isFailure(answer)) return answer;
    if (isSuccess(answer)) return { ok: true, providerMessageId: answer.json?.name };
    if (answer.status === 401) return 'unauthorized';
    const dead = tokenIsDead(answer);
    return failureOf(answer, {
      detail: dead ? 'FCM: the device token is no longer registered' : fcmReason(answer),
      ...(dead ? { suppress: 'unsubscribed' as const } : {}),
    });
  }
}
