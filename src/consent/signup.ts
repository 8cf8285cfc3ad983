// Consent from a website's form (POST /v1/consent): find the person by user id, anonymous id or e-mail — creating the
// profile through ingest when new — then record the consent with the request's IP. Under double opt-in an e-mail
// marketing grant stays unconfirmed ('pending') until the link in the confirmation e-mail is followed.
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../store/index.ts';
import type { Channel, Purpose } from '../channels/index.ts';
import { ingest } from '../ingest/index.ts';
import { normalizeEmail } from '../identity/index.ts';
import { consentState, writeConsent } from './records.ts';
import { consentFor } from './state.ts';
import { askForConfirmation } from './confirmation-mail.ts';
import { ConsentError } from './errors.ts';
import { ANY_CHANNEL } from './types.ts';

export interface SignUp {
  userId?: string;
  anonymousId?: string;
  email?: string;
  channel: Channel;
  purpose: Purpose;
  /** Also join (granted) or only leave (revoked) this subscription topic. */
  topic?: string;
  granted: boolean;
  textVersion?: string | null;
  source: string;
  /** The token of the person's unsubscribe or preferences link: their proof, for a revocation with the public key. */
  token?: string;
}

export interface SignUpResult {
  status: 'granted' | 'revoked' | 'pending';
  /** Not told to the public key (public-signup.ts). */
  customerId?: string;
}

async function lookup(
  db: Queryable,
  ws: string,
  s: SignUp,
  email: string | null,
): Promise<{ id: string; email: string | null } | null> {
  const [row] = await db.query<{ id: string; email: string | null }>(
    `SELECT c.id::text, c.email FROM customers c WHERE c.workspace_id = $1 AND c.id = (
       SELECT i.customer_id FROM identities i WHERE i.workspace_id = $1 AND ((i.kind = 'user' AND i.value = $2) OR (i.kind = 'anonymous' AND i.value = $3))
       ORDER BY i.kind = 'user' DESC LIMIT 1)
     UNION ALL
     (SELECT c.id::text, c.email FROM customers c WHERE $2::text IS NULL AND $3::text IS NULL AND c.workspace_id = $1 AND c.email = $4
      ORDER BY c.last_seen DESC NULLS LAST, c.id DESC LIMIT 1)`,
    [ws, s.userId ?? null, s.anonymousId ?? null, email],
  );
  return row ?? null;
}

/**
 * The person: found, or created (or given the e-mail) by an identify through ingest. With the public key an e-mail
 * other than the one on file is refused (the public key cannot change it: address-guard.ts).
 */
export async function customerFor(
  db: Db,
  ws: string,
  s: SignUp,
  now: Date,
  ip: string | null,
  publicKey = false,
): Promise<{ id: string; email: string | null }> {
  const email = s.email === undefined ? null : normalizeEmail(s.email);
  if (s.email !== undefined && !email)
    throw new ConsentError('invalid', `${JSON.stringify(s.email)} is not an e-mail address`, 'email');
  if (!s.userId && !s.anonymousId && !email)
    throw new ConsentError('invalid', 'send userId, anonymousId or email: who is consenting', 'userId');
  const found = await lookup(db, ws, s, email);
  if (found && (!email || found.email === email)) return found;
  if (publicKey && found?.email) {
    throw new ConsentError(
      'conflict',
      'this person has another e-mail on file, which the public key cannot change: sign them up with that one, or change it from your backend with the server key',
      'email',
    );
  }
  // new person (or a new e-mail for a known one): an e-mail alone becomes a stable anonymous id, never the address itself
  const anonymousId =
    s.anonymousId ??
    (s.userId ? undefined : `email-signup:${createHash('sha256').update(email!).digest('hex').slice(0, 32)}`);
  const identify = {
    type: 'identify',
    userId: s.userId,
    anonymousId,
    traits: email ? { email } : {},
    timestamp: now.toISOString(),
    context: ip ? { ip } : undefined,
  };
  const r = await ingest(db, ws, [identify], { receivedAt: now, publicKey });
  if (r.rejected.length)
    throw new ConsentError(
      'invalid',
      r.rejected[0]!.reason,
      r.rejected[0]!.field === 'traits.email' ? 'email' : r.rejected[0]!.field || 'userId',
    );
  const created = await lookup(db, ws, { ...s, anonymousId }, email);
  if (!created) throw new ConsentError('invalid', 'this person could not be identified', 'userId');
  return created;
}

/** The sign-up's acts: leaving a topic leaves only the topic; joining one also grants the channel it was joined by. */
export async function writeSignUpActs(
  tx: Queryable,
  ws: string,
  customerId: string,
  s: SignUp,
  act: { granted: boolean; source: string; ip: string | null; textVersion: string | null; at: Date },
): Promise<void> {
  if (s.granted || !s.topic) await writeConsent(tx, ws, customerId, { ...act, channel: s.channel, purpose: s.purpose });
  if (s.topic)
    await writeConsent(tx, ws, customerId, { ...act, channel: ANY_CHANNEL, purpose: 'marketing', topic: s.topic });
}

export async function signUp(
  db: Db,
  ws: string,
  s: SignUp,
  opts: { now: Date; ip: string | null; doubleOptInEmail: boolean },
): Promise<SignUpResult> {
  if (s.granted && !s.textVersion)
    throw new ConsentError(
      'invalid',
      'the version of the consent text the person agreed to (e.g. "newsletter-2026-01")',
      'textVersion',
    );
  const { id: customerId } = await customerFor(db, ws, s, opts.now, opts.ip);
  const act = { granted: s.granted, source: s.source, ip: opts.ip, textVersion: s.textVersion ?? null, at: opts.now };
  return db.transaction(async (tx) => {
    const before = consentFor(await consentState(tx, ws, customerId), s.channel, s.purpose);
    await writeSignUpActs(tx, ws, customerId, s, act);
    if (!s.granted) return { status: 'revoked', customerId };
    const needsConfirmation =
      opts.doubleOptInEmail &&
      s.channel === 'email' &&
      s.purpose === 'marketing' &&
      !(before?.granted && before.confirmed);
    if (!needsConfirmation) return { status: 'granted', customerId };
    await askForConfirmation(
      tx,
      ws,
      customerId,
      { channel: 'email', purpose: 'marketing', textVersion: s.textVersion },
      opts.now,
    );
    return { status: 'pending', customerId };
  });
}
