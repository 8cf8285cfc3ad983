// Signed link tokens (pure): unsubscribe, preference and confirmation links carry their own payload, signed with
// HMAC-SHA256 and optionally expiring, so a link cannot be forged or pointed at another customer.
//
// Format: base64url(JSON payload) "." base64url(HMAC-SHA256(secret, first part)). `exp` (seconds since the epoch) is
// the reserved payload key for the expiry. Links only ever point at our own fixed paths (/c/confirm, /c/unsubscribe,
// /c/preferences, the loyalty card /c/card) and the pages behind them never redirect anywhere: no open redirect.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPayload = Record<string, unknown>;

export type TokenCheck<T> = { ok: true; payload: T } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

const sign = (secret: string | Buffer, body: string) => createHmac('sha256', secret).update(body).digest();

/** A token for payload; with expiresAt it stops verifying after that instant. */
export function signToken(secret: string | Buffer, payload: TokenPayload, opts: { expiresAt?: Date } = {}): string {
  const full = opts.expiresAt ? { ...payload, exp: Math.floor(opts.expiresAt.getTime() / 1000) } : payload;
  const body = Buffer.from(JSON.stringify(full)).toString('base64url');
  return `${body}.${sign(secret, body).toString('base64url')}`;
}

/** The payload of a genuine, unexpired token; else why not. Compares signatures in constant time. */
export function verifyToken<T extends TokenPayload = TokenPayload>(
  secret: string | Buffer,
  token: string,
  now: Date = new Date(),
): TokenCheck<T> {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]!) || !/^[A-Za-z0-9_-]{43}$/.test(parts[1]!))
    return { ok: false, reason: 'malformed' };
  const given = Buffer.from(parts[1]!, 'base64url');
  const expected = sign(secret, parts[0]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  const payload = unverifiedPayload(token);
  if (!payload) return { ok: false, reason: 'malformed' };
  if (typeof payload.exp === 'number' && now.getTime() >= payload.exp * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, payload: payload as T };
}

/**
 * The payload without checking the signature: only to find which workspace's key verifies it. Never trust it.
 */
export function unverifiedPayload(token: string): TokenPayload | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(String(token).split('.')[0]!, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as TokenPayload) : null;
  } catch {
    return null;
  }
}

export const LINK_PATHS = {
  confirm: '/c/confirm',
  unsubscribe: '/c/unsubscribe',
  preferences: '/c/preferences',
  card: '/c/card',
} as const;
export type LinkKind = keyof typeof LINK_PATHS;

/**
 * The absolute link for a token: our fixed path on the public base URL (http or https, e.g. https://retain.example.com).
 * A base with a path keeps it (https://example.com/retain → https://example.com/retain/c/unsubscribe?t=…).
 */
export function linkUrl(baseUrl: string, kind: LinkKind, token: string): string {
  const base = new URL(baseUrl);
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    throw new RangeError(`the public base URL must be http(s), not ${JSON.stringify(baseUrl)}`);
  const url = new URL(base.pathname.replace(/\/+$/, '') + LINK_PATHS[kind], base.origin);
  url.searchParams.set('t', token);
  return url.toString();
}
