// Delivery status from providers (SMS delivery reports, e-mail bounces and complaints, push receipts): the message's
// status moves forward, bounces and complaints suppress the address, an unsubscribe reported by the provider revokes
// marketing on that channel, a delivered cascade step stops the cascade, and each status is an event in the
// customer's log. A report by provider id that comes while its send still waits for the provider's answer (which
// tells us that id) is kept, and applied when the answer is recorded.
import { type Db, type Queryable, lockInKeyOrder } from '../../store/index.ts';
import { logOwnEvents } from '../../customers/index.ts';
import { consentFor, consentState, customerById, suppress, writeConsent } from '../../consent/index.ts';
import type { Channel } from '../../channels/index.ts';
import { movesForward } from './status.ts';
import {
  closeDeliveredIntent,
  deleteHeldReceiptsBefore,
  holdReceipt,
  reportedMessage,
  sendsInFlight,
  setReportedStatus,
  takeHeldReceipts,
  type ReportedAtColumn,
} from './store.ts';
import { DAY_MS } from '../../time/index.ts';

export const RECEIPT_STATUSES = [
  'delivered',
  'failed',
  'bounced',
  'complained',
  'opened',
  'clicked',
  'unsubscribed',
] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

const EVENT: Record<ReceiptStatus, string> = {
  delivered: 'Message Delivered',
  failed: 'Message Failed',
  bounced: 'Message Bounced',
  complained: 'Message Complained',
  opened: 'Message Opened',
  clicked: 'Message Clicked',
  unsubscribed: 'Message Unsubscribed',
};

/** Where a revocation reported by a provider comes from, in the consent audit trail. */
const PROVIDER_UNSUBSCRIBE = 'provider_unsubscribe';

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
async function revokeMarketing(
  tx: Queryable,
  ws: string,
  customerId: string,
  channel: Channel,
  at: Date,
): Promise<void> {
  const customer = await customerById(tx, ws, customerId);
  if (!customer) return;
  const current = consentFor(await consentState(tx, ws, customer.id), channel, 'marketing');
  if (current && !current.granted) return;
  await writeConsent(tx, ws, customer.id, {
    channel,
    purpose: 'marketing',
    granted: false,
    source: PROVIDER_UNSUBSCRIBE,
    at,
  });
}

/**
 * Takes the provider ids' locks (sorted): a report looking for its message and the dispatcher recording that message's
 * provider id take turns, so a report is either found or kept where the recording will see it, never lost in between.
 * Both take them before touching the message rows (no waiting in a circle).
 */
export async function lockProviderIds(tx: Queryable, keys: { ws: string; providerMessageId: string }[]): Promise<void> {
  if (!keys.length) return;
  await lockInKeyOrder(
    tx,
    'providerMessageId',
    keys.map((k) => `${k.ws}/${k.providerMessageId}`),
  );
}

/** How long a report by provider id waits for its message to be recorded before it is dropped. */
const HELD_RECEIPT_MS = DAY_MS;

export interface ReceiptOutcome {
  found: boolean;
  changed: boolean;
  /** Not found yet while sends wait for their provider's answer: kept, and applied once the answer names this id. */
  held?: boolean;
}

export async function applyReceipt(
  db: Db,
  ws: string,
  r: Receipt,
  receivedAt: Date = new Date(),
): Promise<ReceiptOutcome> {
  return db.transaction(async (tx) => {
    if (r.providerMessageId) await lockProviderIds(tx, [{ ws, providerMessageId: r.providerMessageId }]);
    const applied = await applyInTransaction(tx, ws, r);
    if (applied.found || !r.providerMessageId || !(await sendsInFlight(tx, ws))) return applied;
    await holdReceipt(
      tx,
      ws,
      { provider_message_id: r.providerMessageId, status: r.status, detail: r.detail ?? null, at: r.at },
      receivedAt,
    );
    return { found: false, changed: false, held: true };
  });
}

/**
 * The reports kept for these provider ids, applied (oldest first) now that their messages carry the ids: called in the
 * transaction that records them. Reports kept longer than HELD_RECEIPT_MS are dropped on the way.
 */
export async function applyHeldReceipts(
  tx: Queryable,
  ids: { ws: string; providerMessageId: string }[],
): Promise<number> {
  if (!ids.length) return 0;
  await lockProviderIds(tx, ids);
  const held = await takeHeldReceipts(tx, ids);
  held.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  for (const h of held) {
    await applyInTransaction(tx, h.workspace_id, {
      providerMessageId: h.provider_message_id,
      status: h.status as ReceiptStatus,
      detail: h.detail ?? undefined,
      at: new Date(h.at),
    });
  }
  return held.length;
}

/** Drops kept reports whose message never came (a report for another system, a provider's mistake). */
export async function dropStaleReceipts(db: Queryable, now: Date): Promise<number> {
  return deleteHeldReceiptsBefore(db, new Date(now.getTime() - HELD_RECEIPT_MS));
}

async function applyInTransaction(
  tx: Queryable,
  ws: string,
  r: Receipt,
): Promise<{ found: boolean; changed: boolean }> {
  const m = await reportedMessage(tx, ws, r);
  if (!m) return { found: false, changed: false };
  const moves = movesForward(m.status, r.status);
  if (moves) {
    const column: ReportedAtColumn | null =
      r.status === 'delivered'
        ? 'delivered_at'
        : r.status === 'opened'
          ? 'opened_at'
          : r.status === 'clicked'
            ? 'clicked_at'
            : null;
    await setReportedStatus(
      tx,
      m.id,
      r.status,
      r.at,
      r.status === 'failed' || r.status === 'bounced' ? (r.detail ?? r.status) : null,
      column,
    );
  }
  if (r.status === 'bounced' || r.status === 'complained') {
    await suppress(
      tx,
      ws,
      m.channel,
      m.address,
      r.status === 'bounced' ? 'hard_bounce' : 'complaint',
      r.detail ?? null,
      r.at,
    );
  }
  if (r.status === 'unsubscribed') await revokeMarketing(tx, ws, m.customer_id, m.channel, r.at);
  // Delivered (or read): a cascade waiting on this step is over; it must not go on to the next channel. The report
  // may come while the dispatcher is still marking the send ('sending'): the marking then leaves the intent closed.
  if (m.intent_id && ['delivered', 'opened', 'clicked'].includes(r.status)) {
    await closeDeliveredIntent(tx, m.intent_id, r.at);
  }
  const logged = await logOwnEvents(tx, ws, [
    {
      customerId: m.customer_id,
      name: EVENT[r.status],
      messageId: `msg:${m.message_key}:${m.channel}:${r.status}`,
      at: r.at,
      properties: { messageKey: m.message_key, channel: m.channel, ...(r.detail ? { detail: r.detail } : {}) },
    },
  ]);
  return { found: true, changed: moves || logged > 0 };
}
