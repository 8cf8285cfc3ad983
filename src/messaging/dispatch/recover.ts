// After a crash: a message left 'sending' (recorded, maybe handed to the provider, never marked) is not sent again.
// E-mail, SMS, push and Telegram give no way to ask "did you get it?", so such a message becomes 'unknown' (at most
// once); the webhook channel sends an Idempotency-Key its receiver honours, so it is retried (at least once, seen once).
import type { Db } from '../../store/db.ts';
import { logOwnEvents } from '../../customers/own-events.ts';

/** A worker that has not marked its send within this long is gone (sends time out well before). */
export const SENDING_LEASE_MS = 5 * 60_000;

export async function recoverInterrupted(db: Db, now: Date, leaseMs = SENDING_LEASE_MS): Promise<{ unknown: number; retried: number }> {
  return db.transaction(async (tx) => {
    const stale = await tx.query<{ id: string; workspace_id: string; intent_id: string; message_key: string; customer_id: string; channel: string }>(
      `SELECT id::text, workspace_id, intent_id::text, message_key, customer_id::text, channel FROM messages
       WHERE status = 'sending' AND updated_at < $1 ORDER BY messages.id LIMIT 1000 FOR UPDATE SKIP LOCKED`,
      [new Date(now.getTime() - leaseMs)],
    );
    let unknown = 0;
    let retried = 0;
    for (const m of stale) {
      if (m.channel === 'webhook') {
        await tx.query("UPDATE messages SET status = 'queued', error = 'interrupted: retried with the same Idempotency-Key', updated_at = $2 WHERE id = $1", [m.id, now]);
        await tx.query(
          `UPDATE message_intents SET status = 'pending', not_before = NULL, reason = 'retry', reason_at = $2,
             reason_detail = 'interrupted: retried with the same Idempotency-Key' WHERE id = $1`,
          [m.intent_id, now],
        );
        retried++;
        continue;
      }
      await tx.query("UPDATE messages SET status = 'unknown', error = 'interrupted after it was handed to the provider: not sent again', updated_at = $2 WHERE id = $1", [m.id, now]);
      await tx.query(
        `UPDATE message_intents SET status = 'unknown', decided_at = $2, reason = 'in_doubt', reason_at = $2,
           reason_detail = 'a worker stopped between handing it to the provider and recording the answer: not sent again' WHERE id = $1`,
        [m.intent_id, now],
      );
      await logOwnEvents(tx, m.workspace_id, [{
        customerId: m.customer_id, name: 'Message Status Unknown', messageId: `msg:${m.message_key}:${m.channel}:unknown`, at: now,
        properties: { messageKey: m.message_key, channel: m.channel, reason: 'a worker stopped between handing it to the provider and recording it' },
      }]);
      unknown++;
    }
    return { unknown, retried };
  });
}
