// Delivery status from providers (SMS delivery reports, e-mail bounces and complaints, push receipts): the message's
// status moves forward, bounces and complaints suppress the address, an unsubscribe reported by the provider revokes
// marketing on that channel, a delivered cascade step stops the cascade, and each status is an event in the
// customer's log. A report by provider id that comes while its send still waits for the provider's answer (which
// tells us that id) is kept, and applied when the answer is recorded.
import { type Db, type Queryable, bulkRows } from '../../store/index.ts';
import { logOwnEvents } from '../../customers/index.ts';
import { consentFor, consentState, customerById, suppress, writeConsent } from '../../consent/index.ts';
import type { Channel } from '../../channels/index.ts';
import { movesForward } from './status.ts';
import { lockInKeyOrder } from './store.ts';

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

/** Lock namespace (first key of pg_advisory_xact_lock(int, int)) for one provider message id of a workspace. */
const PROVIDER_ID = 8_008_003;

/**
 * Takes the provider ids' locks (sorted): a report looking for its message and the dispatcher recording that message's
 * provider id take turns, so a report is either found or kept where the recording will see it, never lost in between.
 * Both take them before touching the message rows (no waiting in a circle).
 */
export async function lockProviderIds(tx: Queryable, keys: { ws: string; providerMessageId: string }[]): Promise<void> {
  if (!keys.length) return;
  await lockInKeyOrder(tx, PROVIDER_ID, keys.map((k) => `${k.ws}/${k.providerMessageId}`));
}

/** How long a report by provider id waits for its message to be recorded before it is dropped. */
export const HELD_RECEIPT_MS = 86_400_000;

export interface ReceiptOutcome {
  found: boolean;
  changed: boolean;
  /** Not found yet while sends wait for their provider's answer: kept, and applied once the answer names this id. */
  held?: boolean;
}

export async function applyReceipt(db: Db, ws: string, r: Receipt, receivedAt: Date = new Date()): Promise<ReceiptOutcome> {
  return db.transaction(async (tx) => {
    if (r.providerMessageId) await lockProviderIds(tx, [{ ws, providerMessageId: r.providerMessageId }]);
    const applied = await applyInTransaction(tx, ws, r);
    if (applied.found || !r.providerMessageId || !(await sendsInFlight(tx, ws))) return applied;
    await tx.query(
      'INSERT INTO unmatched_receipts (workspace_id, provider_message_id, status, detail, at, received_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [ws, r.providerMessageId, r.status, r.detail ?? null, r.at, receivedAt],
    );
    return { found: false, changed: false, held: true };
  });
}

/** Whether any send of the workspace still waits for its provider's answer (messages_sending). */
async function sendsInFlight(tx: Queryable, ws: string): Promise<boolean> {
  return (await tx.query("SELECT 1 FROM messages WHERE workspace_id = $1 AND status = 'sending' LIMIT 1", [ws])).length > 0;
}

/**
 * The reports kept for these provider ids, applied (oldest first) now that their messages carry the ids: called in the
 * transaction that records them. Reports kept longer than HELD_RECEIPT_MS are dropped on the way.
 */
export async function applyHeldReceipts(tx: Queryable, ids: { ws: string; providerMessageId: string }[]): Promise<number> {
  if (!ids.length) return 0;
  await lockProviderIds(tx, ids);
  const w = bulkRows({ ws: 'text', pid: 'text' }, ids.map((i) => ({ ws: i.ws, pid: i.providerMessageId })), { at: 1, as: 'w' });
  const held = await tx.query<{ workspace_id: string; provider_message_id: string; status: ReceiptStatus; detail: string | null; at: Date }>(
    `DELETE FROM unmatched_receipts u USING ${w.from}
     WHERE u.workspace_id = w.ws AND u.provider_message_id = w.pid
     RETURNING u.workspace_id, u.provider_message_id, u.status, u.detail, u.at, u.id`,
    w.params,
  );
  held.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  for (const h of held) {
    await applyInTransaction(tx, h.workspace_id, { providerMessageId: h.provider_message_id, status: h.status, detail: h.detail ?? undefined, at: new Date(h.at) });
  }
  return held.length;
}

/** Drops kept reports whose message never came (a report for another system, a provider's mistake). */
export async function dropStaleReceipts(db: Queryable, now: Date): Promise<number> {
  return (await db.query('DELETE FROM unmatched_receipts WHERE received_at < $1 RETURNING 1', [new Date(now.getTime() - HELD_RECEIPT_MS)])).length;
}

async function applyInTransaction(tx: Queryable, ws: string, r: Receipt): Promise<{ found: boolean; changed: boolean }> {
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
    await tx.query(
      `UPDATE message_intents SET status = 'sent', decided_at = $2, reason = NULL, reason_detail = NULL, reason_at = NULL
       WHERE id = $1 AND status IN ('pending', 'sending')`,
      [m.intent_id, r.at],
    );
  }
  const logged = await logOwnEvents(tx, ws, [{
    customerId: m.customer_id, name: EVENT[r.status], messageId: `msg:${m.message_key}:${m.channel}:${r.status}`, at: r.at,
    properties: { messageKey: m.message_key, channel: m.channel, ...(r.detail ? { detail: r.detail } : {}) },
  }]);
  return { found: true, changed: moves || logged > 0 };
}
