// Tracking tokens: what an open pixel or a tracked link says (the message, and for a link its target URL), signed
// with a per-workspace key. The target lives only inside the signed token, so /t/c/ can never be made to redirect
// anywhere else: no open redirect.
//
// The key is HMAC-SHA256(the workspace's link key, "retain-tracking"): the same secret as consent links
// (consent/secret.ts; rotating it invalidates both), but a separate key, so a tracking token never verifies as a
// consent token or the other way round.
import { createHmac } from 'node:crypto';
import type { Queryable } from '../../store/index.ts';
import { linkSecret, signToken, readWorkspaceToken } from '../../consent/index.ts';

export type TrackingPayload = { k: 'open'; ws: string; m: string } | { k: 'click'; ws: string; m: string; u: string };

export type TrackingCheck<K extends TrackingPayload['k']> =
  | { ok: true; payload: Extract<TrackingPayload, { k: K }> }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'wrong_kind' };

/** The workspace's tracking key. */
export async function trackingKey(db: Queryable, ws: string): Promise<Buffer> {
  return createHmac('sha256', await linkSecret(db, ws))
    .update('retain-tracking')
    .digest();
}

/** A token for payload (tracking tokens never expire: an old message's links must keep working). */
export const signTracking = (key: Buffer, payload: TrackingPayload): string => signToken(key, payload);

/** The verified payload of a tracking token of the expected kind; the workspace named inside picks the key. */
export async function readTracking<K extends TrackingPayload['k']>(
  db: Queryable,
  token: string,
  kind: K,
): Promise<TrackingCheck<K>> {
  const check = await readWorkspaceToken<TrackingPayload>(db, token, (ws) => trackingKey(db, ws), new Date());
  if (!check.ok) return { ok: false, reason: check.reason === 'expired' ? 'malformed' : check.reason };
  const p = check.payload;
  if (p.k !== kind || typeof p.m !== 'string' || !/^\d{1,18}$/.test(p.m)) return { ok: false, reason: 'wrong_kind' };
  if (p.k === 'click' && (typeof p.u !== 'string' || !isWebUrl(p.u))) return { ok: false, reason: 'malformed' };
  return { ok: true, payload: p as Extract<TrackingPayload, { k: K }> };
}

/** An absolute http(s) URL: the only kind of target a tracked link may lead to. */
export function isWebUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
