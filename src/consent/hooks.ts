// The secret provider callbacks carry (delivery reports, inbound SMS STOP / START): a key cannot authorise them alone,
// since websites may publish the write keys of old (server keys now) in their pages, and whoever holds one could
// otherwise lift a STOP or fake bounces. The public key is refused there outright.
// The hook token is HMAC-SHA256(the workspace's link key, "retain-provider-hooks"), base64url: known only to the
// server and to whoever reads it from the admin API (GET /api/v1/settings/hooks) into a provider's callback URL.
// It changes with the link secret (consent/secret.ts), like every consent and tracking link.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../store/index.ts';
import { linkSecret } from './secret.ts';

/** The query parameter that carries the token in a callback URL (…/v1/receipts?hook=…). */
export const HOOK_PARAM = 'hook';

/** The workspace's hook token. */
export async function hookToken(db: Queryable, ws: string): Promise<string> {
  return createHmac('sha256', await linkSecret(db, ws))
    .update('retain-provider-hooks')
    .digest('base64url');
}

/** Whether `presented` is the workspace's hook token (compared in constant time). */
export async function isHookToken(db: Queryable, ws: string, presented: unknown): Promise<boolean> {
  if (typeof presented !== 'string' || !presented) return false;
  const expected = Buffer.from(await hookToken(db, ws));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The callback URLs to give providers, on the public base URL; each also needs a server key as basic-auth user. */
export async function hookUrls(
  db: Queryable,
  ws: string,
  baseUrl: string,
): Promise<{ receipts: string; twilio: string; smsInbound: string }> {
  const token = await hookToken(db, ws);
  const url = (path: string) => {
    const u = new URL(new URL(baseUrl).pathname.replace(/\/+$/, '') + path, baseUrl);
    u.searchParams.set(HOOK_PARAM, token);
    return u.toString();
  };
  return { receipts: url('/v1/receipts'), twilio: url('/v1/receipts/twilio'), smsInbound: url('/v1/sms/inbound') };
}
