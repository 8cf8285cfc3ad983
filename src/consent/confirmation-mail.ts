// The double opt-in e-mail on the outbox road: a grant that needs confirming logs "Consent Confirmation Requested" and
// queues one transactional e-mail intent (template "consent-confirmation") in the same transaction; the dispatcher
// sends it like any other message and, when rendering it, makes the link (confirmationLink). The message key is the
// request's own key, so a retried dispatch or a replayed request never sends it twice.
import { createHash } from 'node:crypto';
import type { Queryable } from '../store/index.ts';
import type { Channel, Purpose } from '../channels/index.ts';
import { linkUrl, signLink } from './tokens.ts';
import { CONFIRMATION_TTL_MS, storeConfirmation } from './confirm.ts';
import { logConsentEvent } from './events.ts';
import { confirmationQueuedSince, queueConfirmationEmail } from './confirmations.ts';

/** The template id of the confirmation e-mail; messaging ships a built-in one under it (templates/confirmation.ts). */
export const CONFIRMATION_TEMPLATE = 'consent-confirmation';

/** A person who asks again within this time (a double click, a client retrying the request) gets no second e-mail. */
export const CONFIRMATION_REPEAT_MS = 10 * 60_000;

export interface PendingGrant {
  channel: Channel;
  purpose: Purpose;
  textVersion?: string | null;
  /** A topic joined with the grant (a sign-up with the public key): confirmed, and granted, with it. */
  topic?: string;
}

/** What a confirmation intent carries in its context: the grant the link confirms. */
export interface ConfirmationContext {
  confirmation: { channel: Channel; purpose: Purpose; textVersion: string | null; topic?: string };
}

/**
 * Inside the grant's transaction: logs the request and queues the confirmation e-mail, unless one was queued for this
 * customer less than CONFIRMATION_REPEAT_MS ago. Answers whether an e-mail was queued.
 */
export async function askForConfirmation(
  tx: Queryable,
  ws: string,
  customerId: string,
  grant: PendingGrant,
  at: Date,
): Promise<boolean> {
  const key = `consent-confirm:${ws}:${customerId}:${grant.channel}:${grant.purpose}:${at.toISOString()}`;
  const recent = await confirmationQueuedSince(
    tx,
    ws,
    customerId,
    CONFIRMATION_TEMPLATE,
    new Date(at.getTime() - CONFIRMATION_REPEAT_MS),
    key,
  );
  const context: ConfirmationContext = {
    confirmation: {
      channel: grant.channel,
      purpose: grant.purpose,
      textVersion: grant.textVersion ?? null,
      ...(grant.topic ? { topic: grant.topic } : {}),
    },
  };
  const queued = !recent && (await queueConfirmationEmail(tx, ws, key, customerId, CONFIRMATION_TEMPLATE, context, at));
  await logConsentEvent(tx, ws, {
    customerId,
    name: 'Consent Confirmation Requested',
    messageId: key,
    at,
    properties: {
      channel: grant.channel,
      purpose: grant.purpose,
      textVersion: grant.textVersion ?? null,
      ...(grant.topic ? { topic: grant.topic } : {}),
      emailQueued: queued,
    },
  });
  return queued;
}

/** The intent fields the link is made from. */
export interface ConfirmationIntent {
  workspace_id: string;
  customer_id: string;
  message_key: string;
  created_at: Date;
  context: Record<string, unknown>;
}

export const isConfirmationIntent = (i: { context?: Record<string, unknown> | null }): boolean =>
  !!i.context && typeof i.context.confirmation === 'object' && i.context.confirmation !== null;

/**
 * The confirmation link of a confirmation intent (in the dispatcher's transaction). The same intent always gives the
 * same token (its nonce is derived from the message key; it expires CONFIRMATION_TTL_MS after the request), so a retry
 * after a refused hand-over sends the same link and stores nothing twice.
 */
export async function confirmationLink(tx: Queryable, intent: ConfirmationIntent, baseUrl: string): Promise<string> {
  const ws = intent.workspace_id;
  const grant = (intent.context as unknown as ConfirmationContext).confirmation;
  const requestedAt = new Date(intent.created_at);
  const n = createHash('sha256').update(`${ws}\u0000${intent.message_key}`).digest('base64url').slice(0, 22);
  const token = await signLink(
    tx,
    { k: 'confirm', ws, n },
    { expiresAt: new Date(requestedAt.getTime() + CONFIRMATION_TTL_MS) },
  );
  await storeConfirmation(tx, ws, intent.customer_id, token, grant, requestedAt);
  return linkUrl(baseUrl, 'confirm', token);
}
