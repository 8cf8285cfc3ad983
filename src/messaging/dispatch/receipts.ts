// Delivery status from providers (SMS delivery reports, e-mail bounces and complaints, push receipts): the message's
// status moves forward, bounces and complaints suppress the address, an unsubscribe reported by the provider revokes
// marketing on that channel, a delivered cascade step stops the cascade, and each status is an event in the
// customer's log.
import type { Db, Queryable } from '../../store/db.ts';
import { logOwnEvents } from '../../customers/own-events.ts';
import { consentFor, consentState, customerById, suppress, writeConsent } from '../../consent/store.ts';
import type { Channel } from '../types.ts';
import { movesForward } from './status.ts';

export const RECEIPT_STATUSES = ['delivered', 'failed', 'bounced', 'complained', 'opened', 'clicked', 'unsubscribed'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

const EVENT: Record<ReceiptStatus, string> = {
  delivered: 'Message Delivered', failed: 'Message Failed', bounced: 'Message Bounced', complained: 'Message Complained',
  opened: 'Message Opened', clicked: 'Message Clicked', unsubscribed: 'Message Unsubscribed',
};

/** Where a revocation reported by a provider comes from, in the consent audit trail. */
export const PROVIDER_UNSUBSCRIBE = 'provider_unsubscribe';

export interface Receipt {
  /** The provider's id of the message (Twilio's MessageSid, the SMTP Message-ID, …), or ours as `messageKey` + `channel`. */
  providerMessageId?: string;
  messageKey?: string;
  channel?: Channel;
  status: ReceiptStatus;
  detail?: string;
  at: Date;
}

/**
 * The person unsubscribed through the provider (a list-unsubscribe the ESP handled, an app's opt-out): marketing on
 * that channel is revoked, as the unsubscribe link does, with its Consent Revoked event; nothing when already revoked
 * or the customer is gone.
 */
async function revokeMarketing(tx: Queryable, ws: string, customerId: string, channel: Channel, at: Date): Promise<void> {
  const customer = await customerById(tx, ws, customerId);
  if (!customer) return;
  const current = consentFor(await consentState(tx, ws, customer.id), channel, 'marketing');
  if (current && !current.granted) return;
  await writeConsent(tx, ws, customer.id, { channel, purpose: 'marketing', granted: false, source: PROVIDER_UNSUBSCRIBE, at });
}

export async function applyReceipt(db: Db, ws: string, r: Receipt): Promise<{ found: boolean; changed: boolean }> {
  return db.transaction(async (tx) => {
    const [m] = await tx.query<{ id: string; intent_id: string | null; message_key: string; customer_id: string; channel: Channel; address: string; status: string }>(
      `SELECT id::text, intent_id::text, message_key, customer_id::text, channel, address, status FROM messages
       WHERE workspace_id = $1 AND ${r.providerMessageId ? 'provider_message_id = $2' : 'message_key = $2 AND channel = $3'} FOR UPDATE`,
      r.providerMessageId ? [ws, r.providerMessageId] : [ws, r.messageKey, r.channel],
    );
    if (!m) return { found: false, changed: false };
    const moves = movesForward(m.status, r.status);
    if (moves) {
      const column = r.status === 'delivered' ? 'delivered_at' : r.status === 'opened' ? 'opened_at' : r.status === 'clicked' ? 'clicked_at' : null;
      await tx.query(
        `UPDATE messages SET status = $2, updated_at = $3, error = COALESCE($4, error)${column ? `, ${column} = COALESCE(${column}, $3)` : ''} WHERE id = $1`,
        [m.id, r.status, r.at, r.status === 'failed' || r.status === 'bounced' ? r.detail ?? r.status : null],
      );
    }
    if (r.status === 'bounced' || r.status === 'complained') {
      await suppress(tx, ws, m.channel, m.address, r.status === 'bounced' ? 'hard_bounce' : 'complaint', r.detail ?? null, r.at);
    }
    if (r.status === 'unsubscribed') await revokeMarketing(tx, ws, m.customer_id, m.channel, r.at);
    // Delivered (or read): a cascade waiting on this step is over; it must not go on to the next channel. The report
    // may come while the dispatcher is still marking the send ('sending'): the marking then leaves the intent closed.
    if (m.intent_id && ['delivered', 'opened', 'clicked'].includes(r.status)) {
      await tx.query("UPDATE message_intents SET status = 'sent', decided_at = $2 WHERE id = $1 AND status IN ('pending', 'sending')", [m.intent_id, r.at]);
    }
    const logged = await logOwnEvents(tx, ws, [{
      customerId: m.customer_id, name: EVENT[r.status], messageId: `msg:${m.message_key}:${m.channel}:${r.status}`, at: r.at,
      properties: { messageKey: m.message_key, channel: m.channel, ...(r.detail ? { detail: r.detail } : {}) },
    }]);
    return { found: true, changed: moves || logged > 0 };
  });
}
