// Consent link tokens: what an unsubscribe, preference-centre or confirmation link says, signed with the workspace's
// link key, and the links (with List-Unsubscribe headers) the dispatcher puts into messages.
import type { Queryable } from '../store/index.ts';
import type { Channel } from '../channels/index.ts';
import { linkUrl, signToken, unverifiedPayload, verifyToken } from './links.ts';
import { linkSecret } from './secret.ts';

export type LinkPayload =
  | { k: 'unsubscribe'; ws: string; c: string; ch: Channel; t?: string }
  | { k: 'preferences'; ws: string; c: string }
  | { k: 'confirm'; ws: string; n: string }
  | { k: 'card'; ws: string; c: string };

export type LinkCheck<K extends LinkPayload['k']> =
  | { ok: true; payload: Extract<LinkPayload, { k: K }> }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'wrong_kind' };

export async function signLink(db: Queryable, payload: LinkPayload, opts: { expiresAt?: Date } = {}): Promise<string> {
  return signToken(await linkSecret(db, payload.ws), payload, opts);
}

/**
 * Verifies a token signed with a workspace's key: the workspace named inside picks the key, and an unknown workspace is
 * refused like a bad signature. Shared by consent links and tracking tokens (messaging/tracking/tokens.ts).
 */
export async function readWorkspaceToken<T extends { ws: string }>(
  db: Queryable,
  token: string,
  keyOf: (ws: string) => Promise<Buffer>,
  now: Date,
): Promise<{ ok: true; payload: T } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' }> {
  const claimed = unverifiedPayload(token);
  if (!claimed || typeof claimed.ws !== 'string' || claimed.ws.length > 200) return { ok: false, reason: 'malformed' };
  const exists = await db.query('SELECT 1 FROM workspaces WHERE id = $1', [claimed.ws]);
  if (exists.length === 0) return { ok: false, reason: 'bad_signature' };
  return verifyToken<T>(await keyOf(claimed.ws), token, now) as
    | { ok: true; payload: T }
    | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };
}

/** The verified payload of a link token of the expected kind. */
export async function readLink<K extends LinkPayload['k']>(
  db: Queryable,
  token: string,
  kind: K,
  now: Date,
): Promise<LinkCheck<K>> {
  const check = await readWorkspaceToken<LinkPayload>(db, token, (ws) => linkSecret(db, ws), now);
  if (!check.ok) return check;
  if (check.payload.k !== kind) return { ok: false, reason: 'wrong_kind' };
  return { ok: true, payload: check.payload as Extract<LinkPayload, { k: K }> };
}

export interface ConsentLinks {
  unsubscribe: string;
  preferences: string;
  /** RFC 2369 + RFC 8058 headers for an e-mail: one-click unsubscribe by POST to the same link. */
  headers: { 'List-Unsubscribe': string; 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/**
 * The unsubscribe and preference links of one marketing message (they do not expire: an old message's link must still
 * work). With a topic, unsubscribing leaves that topic; without, it revokes marketing on the channel.
 */
export async function consentLinks(
  db: Queryable,
  ws: string,
  to: { customerId: string; channel: Channel; topic?: string },
  baseUrl: string,
): Promise<ConsentLinks> {
  return (await consentLinksFor(db, ws, [to], baseUrl))[0]!;
}

/** The same links for many customers of a workspace (the dispatcher's batch): the workspace key is read once. */
export async function consentLinksFor(
  db: Queryable,
  ws: string,
  targets: { customerId: string; channel: Channel; topic?: string }[],
  baseUrl: string,
): Promise<ConsentLinks[]> {
  const secret = await linkSecret(db, ws);
  return targets.map((to) => {
    const unsub: LinkPayload = {
      k: 'unsubscribe',
      ws,
      c: to.customerId,
      ch: to.channel,
      ...(to.topic ? { t: to.topic } : {}),
    };
    const unsubscribe = linkUrl(baseUrl, 'unsubscribe', signToken(secret, unsub));
    const preferences = linkUrl(baseUrl, 'preferences', signToken(secret, { k: 'preferences', ws, c: to.customerId }));
    return {
      unsubscribe,
      preferences,
      headers: {
        'List-Unsubscribe': `<${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      } as const,
    };
  });
}

export { linkUrl };
