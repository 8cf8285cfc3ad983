// Delivery status from providers (SMS delivery reports, e-mail bounces and complaints, push receipts): the message's
// status moves forward, bounces and complaints suppress the address, a delivered cascade step stops the cascade, and
// each status is an event in the customer's log.
import type { Db } from '../../store/db.ts';
import { logOwnEvents } from '../../customers/own-events.ts';
import { suppress } from '../../consent/store.ts';
import type { Channel } from '../types.ts';

export const RECEIPT_STATUSES = ['delivered', 'failed', 'bounced', 'complained', 'opened', 'clicked', 'unsubscribed'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** How far along a message is: a later report never moves it back (a delivery report after an open changes nothing). */
const RANK: Record<string, number> = { queued: 0, sending: 1, unknown: 1, sent: 2, failed: 3, bounced: 3, delivered: 4, opened: 5, clicked: 6, complained: 7, unsubscribed: 7 };
const EVENT: Record<ReceiptStatus, string> = {
  delivered: 'Message Delivered', failed: 'Message Failed', bounced: 'Message Bounced', complained: 'Message Complained',
  opened: 'Message Opened', clicked: 'Message Clicked', unsubscribed: 'Message Unsubscribed',
};

export interface Receipt {
  /** The provider's id of the message (Twilio's MessageSid, the SMTP Message-ID, …), or ours as `messageKey` + `channel`. */
  providerMessageId?: string;
  messageKey?: string;
  channel?: Channel;
  status: ReceiptStatus;
  detail?: string;
  at: Date;
}

export async function applyReceipt(db: Db, ws: string, r: Receipt): Promise<{ found: boolean; changed: boolean }> {
  return db.transaction(async (tx) => {
    const [m] = await tx.query<{ id: string; intent_id: string | null; message_key: string; customer_id: string; channel: Channel; address: string; status: string }>(
      `SELECT id::text, intent_id::text, message_key, customer_id::text, channel, address, status FROM messages
       WHERE workspace_id = $1 AND ${r.providerMessageId ? 'provider_message_id = $2' : 'message_key = $2 AND channel = $3'} FOR UPDATE`,
      r.providerMessageId ? [ws, r.providerMessageId] : [ws, r.messageKey, r.channel],
    );
    if (!m) return { found: false, changed: false };
    const moves = (RANK[r.status] ?? 0) > (RANK[m.status] ?? 0);
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
    // Delivered (or read): a cascade waiting on this step is over; it must not go on to the next channel.
    if (m.intent_id && ['delivered', 'opened', 'clicked'].includes(r.status)) {
      await tx.query("UPDATE message_intents SET status = 'sent', decided_at = $2 WHERE id = $1 AND status = 'pending'", [m.intent_id, r.at]);
    }
    const logged = await logOwnEvents(tx, ws, [{
      customerId: m.customer_id, name: EVENT[r.status], messageId: `msg:${m.message_key}:${m.channel}:${r.status}`, at: r.at,
      properties: { messageKey: m.message_key, channel: m.channel, ...(r.detail ? { detail: r.detail } : {}) },
    }]);
    return { found: true, changed: moves || logged > 0 };
  });
}
