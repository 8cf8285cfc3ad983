// Double opt-in: a confirmation request makes a signed, expiring link token (only its SHA-256 is stored); following
// the link records a grant confirmed by the person, with their IP, in the audit trail.
//
// Who sends the link: POST /v1/consent (and the preference centre) record the unconfirmed grant, log "Consent
// Confirmation Requested" and queue the confirmation e-mail in the outbox (confirmation-mail.ts); the dispatcher makes
// the token when it renders that e-mail, so the token exists only in it.
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../store/index.ts';
import type { Channel, Purpose } from '../channels/index.ts';
import { readLink, signLink } from './tokens.ts';
import { writeConsent } from './records.ts';
import { customerById } from './customers.ts';
import { ConsentError } from './errors.ts';
import { topicExists } from './topics.ts';
import { ANY_CHANNEL } from './types.ts';
import { confirmationByHash, insertConfirmation, markConfirmed } from './confirmations.ts';
import { DAY_MS } from '../time/index.ts';

export const CONFIRMATION_TTL_MS = 7 * DAY_MS;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export interface ConfirmationRequest {
  channel?: Channel;
  purpose?: Purpose;
  textVersion?: string | null;
  /** A topic the person joins with the grant: granted too when they confirm. */
  topic?: string;
  ttlMs?: number;
}

/** Stores the hash of a confirmation token; false when nothing was stored (no such customer, or this token is stored already). */
export async function storeConfirmation(
  tx: Queryable,
  ws: string,
  customerId: string,
  token: string,
  req: ConfirmationRequest,
  requestedAt: Date,
): Promise<boolean> {
  const grant = {
    channel: req.channel ?? 'email',
    purpose: req.purpose ?? 'marketing',
    topic: req.topic ?? '',
    textVersion: req.textVersion ?? null,
  };
  return insertConfirmation(tx, ws, hashOf(token), customerId, grant, requestedAt);
}

/** A new confirmation token for the customer's consent (e-mail marketing by default), valid ttlMs (7 days). */
export async function requestConfirmation(
  db: Db,
  ws: string,
  customerId: string,
  req: ConfirmationRequest,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + (req.ttlMs ?? CONFIRMATION_TTL_MS));
  const token = await signLink(db, { k: 'confirm', ws, n: randomBytes(16).toString('base64url') }, { expiresAt });
  // a random token is never stored already: nothing stored means no such customer
  if (!(await storeConfirmation(db, ws, customerId, token, req, now)))
    throw new ConsentError('not_found', `No customer ${customerId} in this workspace.`);
  return { token, expiresAt };
}

export type Confirmation =
  | { ok: true; ws: string; customerId: string; channel: Channel; purpose: Purpose; alreadyConfirmed: boolean }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'wrong_kind' | 'unknown' };

/** Confirms the consent a token stands for (again: a no-op answering alreadyConfirmed). */
export async function confirm(db: Db, token: string, now: Date, ip: string | null = null): Promise<Confirmation> {
  const link = await readLink(db, token, 'confirm', now);
  if (!link.ok) return link;
  const { ws } = link.payload;
  return db.transaction(async (tx): Promise<Confirmation> => {
    const row = await confirmationByHash(tx, ws, hashOf(token));
    if (!row) return { ok: false, reason: 'unknown' };
    const customer = await customerById(tx, ws, row.customer_id);
    if (!customer) return { ok: false, reason: 'unknown' }; // erased since
    const answer = { ok: true as const, ws, customerId: customer.id, channel: row.channel, purpose: row.purpose };
    if (row.confirmed_at) return { ...answer, alreadyConfirmed: true };
    await markConfirmed(tx, ws, hashOf(token), now);
    const act = { granted: true, confirmed: true, source: 'double_opt_in', ip, textVersion: row.text_version, at: now };
    await writeConsent(tx, ws, customer.id, { ...act, channel: row.channel, purpose: row.purpose });
    // a topic joined with the sign-up (deleted since: the channel's grant stands alone)
    if (row.topic && (await topicExists(tx, ws, row.topic)))
      await writeConsent(tx, ws, customer.id, { ...act, channel: ANY_CHANNEL, purpose: 'marketing', topic: row.topic });
    return { ...answer, alreadyConfirmed: false };
  });
}
