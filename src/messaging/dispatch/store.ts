// The dispatcher's statements, each named with one line on what it does (listmonk's queries.sql, kept in TypeScript):
// what the round reads to decide (facts.ts) and what it writes (dispatcher.ts). The claim and the hand-off are in
// claim.ts. Below: the statements of recovery after a crash (recover.ts) and of delivery reports (receipts.ts).
import { type Queryable, bulkRows, type BulkRow, lockInKeyOrder } from '../../store/index.ts';
import type { Channel } from '../../channels/index.ts';
import type { OutcomeReason } from '../types.ts';
import type { IntentRow } from './facts.ts';
import type { ChannelPolicy } from '../routing.ts';

/** The intents' (workspace, customer) pairs as rows w(ws, id), from parameter $at on. */
const customerPairs = (intents: IntentRow[], at: number) =>
  bulkRows(
    { ws: 'text', id: 'bigint' },
    intents.map((i) => ({ ws: i.workspace_id, id: i.customer_id })),
    { at, as: 'w' },
  );

/** Takes, in key order, the transaction's locks for deciding these customers' ("ws/customer id") marketing messages. */
export const lockDeciding = (tx: Queryable, customers: string[]): Promise<void> =>
  lockInKeyOrder(tx, 'decidingMessages', customers);

/** The intents' customers, every column (id as text); an erased customer is missing. */
export async function customersOf(tx: Queryable, intents: IntentRow[]): Promise<Record<string, any>[]> {
  const w = customerPairs(intents, 1);
  return tx.query<Record<string, any>>(
    `SELECT c.*, c.id::text AS id FROM customers c JOIN ${w.from} ON c.workspace_id = w.ws AND c.id = w.id`,
    w.params,
  );
}

export interface LastTry {
  workspace_id: string;
  message_key: string;
  channel: Channel;
  status: string;
  address: string;
}

/** The newest try (messages row) of each intent's message, if any. */
export async function lastTries(tx: Queryable, intents: IntentRow[]): Promise<LastTry[]> {
  const w = bulkRows(
    { ws: 'text', k: 'text' },
    intents.map((i) => ({ ws: i.workspace_id, k: i.message_key })),
    { at: 1, as: 'w' },
  );
  return tx.query<LastTry>(
    `SELECT DISTINCT ON (m.workspace_id, m.message_key) m.workspace_id, m.message_key, m.channel, m.status, m.address FROM messages m
     JOIN ${w.from} ON m.workspace_id = w.ws AND m.message_key = w.k
     ORDER BY m.workspace_id, m.message_key, m.id DESC`,
    w.params,
  );
}

/**
 * The intents' customers' marketing messages since `since` that count against the caps: those handed to a provider
 * (at sent_at), and those another worker is sending, waiting for a retry, or lost in a crash (at their last change).
 */
export async function recentMarketing(tx: Queryable, intents: IntentRow[], since: Date) {
  const w = customerPairs(intents, 2);
  return tx.query<{ workspace_id: string; customer_id: string; message_key: string; channel: Channel; at: Date }>(
    `SELECT m.workspace_id, m.customer_id::text, m.message_key, m.channel, COALESCE(m.sent_at, m.updated_at) AS at FROM messages m
     JOIN ${w.from} ON m.workspace_id = w.ws AND m.customer_id = w.id
     WHERE m.purpose = 'marketing' AND (m.sent_at IS NOT NULL OR m.status IN ('claimed', 'sending', 'queued', 'unknown'))
       AND COALESCE(m.sent_at, m.updated_at) > $1`,
    [since, ...w.params],
  );
}

const SEND_COLUMNS = {
  ws: 'text',
  intent_id: 'bigint',
  message_key: 'text',
  customer_id: 'bigint',
  purpose: 'text',
  channel: 'text',
  address: 'text',
  template: 'text',
  locale: 'text',
  provider: 'text',
  cost: 'float8',
  segments: 'int',
} as const;
/** One send as the round records it before the hand-off. */
export type SendRow = BulkRow<typeof SEND_COLUMNS>;

/**
 * Records sends as 'claimed' messages (a try waiting for its retry is claimed again, attempts + 1); a (message key,
 * channel) already sent or in doubt is not: answers only the rows it claimed.
 */
export async function recordClaimed(tx: Queryable, rows: SendRow[], now: Date) {
  const m = bulkRows(SEND_COLUMNS, rows, { at: 2, as: 'm' });
  return tx.query<{ workspace_id: string; message_key: string; channel: string; id: string; attempts: number }>(
    `INSERT INTO messages (workspace_id, intent_id, message_key, customer_id, purpose, channel, address, template, locale, status, provider,
                           attempts, cost, segments, created_at, updated_at)
     SELECT ws, intent_id, message_key, customer_id, purpose, channel, address, template, locale, 'claimed', provider, 1, cost, segments, $1, $1
     FROM ${m.from}
     ON CONFLICT (workspace_id, message_key, channel) DO UPDATE SET status = 'claimed', attempts = messages.attempts + 1, locale = excluded.locale, updated_at = $1
       WHERE messages.status = 'queued'
     RETURNING workspace_id, message_key, channel, id::text, attempts`,
    [now, ...m.params],
  );
}

/** Puts claimed messages under a round's lease: only that claim hands them off, until `until`. */
export async function leaseClaimed(tx: Queryable, ids: string[], claim: string, until: Date): Promise<void> {
  await tx.query(`UPDATE messages SET claimed_by = $2, lease_until = $3 WHERE id = ANY($1::bigint[])`, [
    ids,
    claim,
    until,
  ]);
}

/** Closes a message's try waiting for its retry (on `channel`, or on any when null) as failed; answers the channels closed. */
export async function failQueuedTry(
  tx: Queryable,
  ws: string,
  messageKey: string,
  channel: Channel | null,
  error: string,
  now: Date,
) {
  return tx.query<{ channel: Channel }>(
    `UPDATE messages SET status = 'failed', error = $4, updated_at = $5
     WHERE workspace_id = $1 AND message_key = $2 AND ($3::text IS NULL OR channel = $3) AND status = 'queued' RETURNING channel`,
    [ws, messageKey, channel, error, now],
  );
}

const ANSWER_COLUMNS = {
  id: 'bigint',
  status: 'text',
  replaces: 'text',
  sent_at: 'timestamptz',
  provider_message_id: 'text',
  error: 'text',
} as const;
/** A provider's answer to one handed-over message; `replaces`: the statuses it may replace (status.ts), comma-separated. */
export type AnswerMark = BulkRow<typeof ANSWER_COLUMNS>;

/**
 * Marks handed-over messages with their providers' answers: the status and error only over a status it may replace
 * (a delivery report that came first stays), sent_at and the provider's id whenever given.
 */
export async function markAnswered(tx: Queryable, marks: AnswerMark[], now: Date): Promise<void> {
  const u = bulkRows(ANSWER_COLUMNS, marks, { at: 2, as: 'u' });
  await tx.query(
    `UPDATE messages m SET status = CASE WHEN m.status = ANY(string_to_array(u.replaces, ',')) THEN u.status ELSE m.status END,
       sent_at = COALESCE(u.sent_at, m.sent_at), provider_message_id = COALESCE(u.provider_message_id, m.provider_message_id),
       error = CASE WHEN m.status = ANY(string_to_array(u.replaces, ',')) THEN u.error ELSE m.error END, updated_at = $1
     FROM ${u.from} WHERE m.id = u.id`,
    [now, ...u.params],
  );
}

const INTENT_CHANGE_COLUMNS = {
  id: 'bigint',
  status: 'text',
  set_not_before: 'boolean',
  not_before: 'timestamptz',
  decided: 'boolean',
  set_reason: 'boolean',
  reason: 'text',
  detail: 'text',
  deferred: 'boolean',
} as const;
/** One intent's change as written: each set_* flag says whether its column changes at all. */
export type IntentChangeRow = BulkRow<typeof INTENT_CHANGE_COLUMNS> & { reason: OutcomeReason | null };

/**
 * Writes a batch's intent changes in one statement (status, not_before, decided_at, the reason and when, the first
 * deferral); with `whileStatus`, only to intents still in that status.
 */
export async function writeIntentChanges(
  tx: Queryable,
  rows: IntentChangeRow[],
  now: Date,
  whileStatus: string | null,
): Promise<void> {
  const u = bulkRows(INTENT_CHANGE_COLUMNS, rows, { at: 3, as: 'u' });
  await tx.query(
    `UPDATE message_intents i SET status = COALESCE(u.status, i.status),
       not_before = CASE WHEN u.set_not_before THEN u.not_before ELSE i.not_before END,
       decided_at = CASE WHEN u.decided THEN $1::timestamptz ELSE i.decided_at END,
       reason = CASE WHEN u.set_reason THEN u.reason ELSE i.reason END,
       reason_detail = CASE WHEN u.set_reason THEN u.detail ELSE i.reason_detail END,
       reason_at = CASE WHEN u.set_reason THEN (CASE WHEN u.reason IS NULL THEN NULL ELSE $1::timestamptz END) ELSE i.reason_at END,
       deferred_at = CASE WHEN u.deferred THEN COALESCE(i.deferred_at, $1::timestamptz) ELSE i.deferred_at END
     FROM ${u.from}
     WHERE i.id = u.id AND ($2::text IS NULL OR i.status = $2)`,
    [now, whileStatus, ...u.params],
  );
}

// ---- recovery after a crash (recover.ts) ----

/** Claims whose lease ended before their hand-off go back to the outbox (at most 5000 a call); answers their intents. */
export async function requeueExpiredClaims(tx: Queryable, now: Date, reason: string): Promise<string[]> {
  const back = await tx.query<{ intent_id: string }>(
    `UPDATE messages SET status = 'queued', claimed_by = NULL, lease_until = NULL, attempts = greatest(attempts - 1, 0), error = $2, updated_at = $1
     WHERE id IN (SELECT id FROM messages WHERE status = 'claimed' AND lease_until < $1 ORDER BY lease_until LIMIT 5000 FOR UPDATE SKIP LOCKED)
     RETURNING intent_id::text`,
    [now, reason],
  );
  return back.map((m) => m.intent_id);
}

/** Intents still 'sending' go back to 'pending' as a retry, with why. */
export async function reopenSendingIntents(
  tx: Queryable,
  intentIds: string[],
  now: Date,
  reason: string,
): Promise<void> {
  await tx.query(
    `UPDATE message_intents SET status = 'pending', not_before = NULL, reason = 'retry', reason_at = $2, reason_detail = $3
     WHERE id = ANY($1::bigint[]) AND status = 'sending'`,
    [intentIds, now, reason],
  );
}

export interface StaleSend {
  id: string;
  workspace_id: string;
  intent_id: string;
  message_key: string;
  customer_id: string;
  channel: string;
  policy: ChannelPolicy | null;
}

/** Sends handed off and not marked since `before` (at most 1000 a call, locked), with their intent's channel policy. */
export async function staleSends(tx: Queryable, before: Date): Promise<StaleSend[]> {
  return tx.query<StaleSend>(
    `SELECT m.id::text, m.workspace_id, m.intent_id::text, m.message_key, m.customer_id::text, m.channel, i.channel AS policy
     FROM messages m LEFT JOIN message_intents i ON i.id = m.intent_id
     WHERE m.status = 'sending' AND m.updated_at < $1 ORDER BY m.id LIMIT 1000 FOR UPDATE OF m SKIP LOCKED`,
    [before],
  );
}

/** An interrupted webhook send is queued again, and its intent reopened: the receiver sees the same Idempotency-Key. */
export async function retryInterruptedWebhook(
  tx: Queryable,
  messageId: string,
  intentId: string,
  now: Date,
): Promise<void> {
  await tx.query(
    "UPDATE messages SET status = 'queued', error = 'interrupted: retried with the same Idempotency-Key', updated_at = $2 WHERE id = $1",
    [messageId, now],
  );
  await tx.query(
    `UPDATE message_intents SET status = 'pending', not_before = NULL, reason = 'retry', reason_at = $2,
       reason_detail = 'interrupted: retried with the same Idempotency-Key' WHERE id = $1`,
    [intentId, now],
  );
}

/** A send in doubt becomes 'unknown', with why. */
export async function markSendUnknown(tx: Queryable, messageId: string, now: Date, detail: string): Promise<void> {
  await tx.query("UPDATE messages SET status = 'unknown', error = $3, updated_at = $2 WHERE id = $1", [
    messageId,
    now,
    detail,
  ]);
}

/** A cascade's intent still 'sending' waits until `until` (its step's timeout) before the next channel. */
export async function waitForCascadeTimeout(
  tx: Queryable,
  intentId: string,
  now: Date,
  until: Date,
  detail: string,
): Promise<void> {
  await tx.query(
    `UPDATE message_intents SET status = 'pending', not_before = $3, reason = 'cascade_wait', reason_at = $2, reason_detail = $4
     WHERE id = $1 AND status = 'sending'`,
    [intentId, now, until, detail],
  );
}

/** An intent still 'sending' is closed as 'unknown' (in doubt). */
export async function closeIntentInDoubt(tx: Queryable, intentId: string, now: Date, detail: string): Promise<void> {
  await tx.query(
    `UPDATE message_intents SET status = 'unknown', decided_at = $2, reason = 'in_doubt', reason_at = $2, reason_detail = $3
     WHERE id = $1 AND status = 'sending'`,
    [intentId, now, detail],
  );
}

// ---- delivery reports (receipts.ts) ----

export interface HeldReceipt {
  workspace_id: string;
  provider_message_id: string;
  status: string;
  detail: string | null;
  at: Date;
}

/** Keeps a report whose provider id no message carries yet, until its send's answer names it. */
export async function holdReceipt(
  tx: Queryable,
  ws: string,
  r: Omit<HeldReceipt, 'workspace_id'>,
  receivedAt: Date,
): Promise<void> {
  await tx.query(
    'INSERT INTO unmatched_receipts (workspace_id, provider_message_id, status, detail, at, received_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [ws, r.provider_message_id, r.status, r.detail, r.at, receivedAt],
  );
}

/** Whether any send of the workspace still waits for its provider's answer (messages_sending). */
export async function sendsInFlight(tx: Queryable, ws: string): Promise<boolean> {
  return (
    (await tx.query("SELECT 1 FROM messages WHERE workspace_id = $1 AND status = 'sending' LIMIT 1", [ws])).length > 0
  );
}

/** Takes (deletes and answers) the reports kept for these (workspace, provider id) pairs. */
export async function takeHeldReceipts(
  tx: Queryable,
  ids: { ws: string; providerMessageId: string }[],
): Promise<HeldReceipt[]> {
  const w = bulkRows(
    { ws: 'text', pid: 'text' },
    ids.map((i) => ({ ws: i.ws, pid: i.providerMessageId })),
    { at: 1, as: 'w' },
  );
  return tx.query<HeldReceipt>(
    `DELETE FROM unmatched_receipts u USING ${w.from}
     WHERE u.workspace_id = w.ws AND u.provider_message_id = w.pid
     RETURNING u.workspace_id, u.provider_message_id, u.status, u.detail, u.at, u.id`,
    w.params,
  );
}

/** Deletes the kept reports received before `before`; answers how many. */
export async function deleteHeldReceiptsBefore(db: Queryable, before: Date): Promise<number> {
  return (await db.query('DELETE FROM unmatched_receipts WHERE received_at < $1 RETURNING 1', [before])).length;
}

export interface ReportedMessage {
  id: string;
  intent_id: string | null;
  message_key: string;
  customer_id: string;
  channel: Channel;
  address: string;
  status: string;
}

/** The message a report names (by the provider's id, or by our message key and channel), locked for the update. */
export async function reportedMessage(
  tx: Queryable,
  ws: string,
  by: { providerMessageId?: string; messageKey?: string; channel?: Channel },
): Promise<ReportedMessage | undefined> {
  const [m] = await tx.query<ReportedMessage>(
    `SELECT id::text, intent_id::text, message_key, customer_id::text, channel, address, status FROM messages
     WHERE workspace_id = $1 AND ${by.providerMessageId ? 'provider_message_id = $2' : 'message_key = $2 AND channel = $3'} FOR UPDATE`,
    by.providerMessageId ? [ws, by.providerMessageId] : [ws, by.messageKey, by.channel],
  );
  return m;
}

/** The time column a reported status stamps (once: the first report's time stays). */
export type ReportedAtColumn = 'delivered_at' | 'opened_at' | 'clicked_at';

/** Moves a message to a reported status; the error when given (else kept), and the status's time column when it has one. */
export async function setReportedStatus(
  tx: Queryable,
  messageId: string,
  status: string,
  at: Date,
  error: string | null,
  column: ReportedAtColumn | null,
): Promise<void> {
  await tx.query(
    `UPDATE messages SET status = $2, updated_at = $3, error = COALESCE($4, error)${column ? `, ${column} = COALESCE(${column}, $3)` : ''} WHERE id = $1`,
    [messageId, status, at, error],
  );
}

/** A delivered (or read) message's intent, still pending or sending, is closed as sent: a waiting cascade stops. */
export async function closeDeliveredIntent(tx: Queryable, intentId: string, at: Date): Promise<void> {
  await tx.query(
    `UPDATE message_intents SET status = 'sent', decided_at = $2, reason = NULL, reason_detail = NULL, reason_at = NULL
     WHERE id = $1 AND status IN ('pending', 'sending')`,
    [intentId, at],
  );
}
