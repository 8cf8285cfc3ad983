// The runs' side of the outbox: when a run ends by an exit (its goal reached, its customer gone from the trigger
// segment), its messages not handed over yet — due, deferred by quiet hours or a cap, waiting for a retry or for a
// cascade's next channel — are cancelled in the same transaction, each with its reason and a `Message Skipped` event.
import { type Queryable, bulkRows } from '../../store/index.ts';
import { logOwnEvents } from '../../customers/index.ts';
import type { ExitReason } from '../listen.ts';

export interface Cancellation {
  runId: string;
  reason: ExitReason;
  /** For people: which event ended the run, and when. */
  detail: string;
}

/**
 * Cancels the pending messages of these runs (found on message_intents_run_open); a try waiting for its retry is closed
 * as failed, never retried. A message a dispatcher is deciding right now is waited for: once it is being sent, it is
 * no longer pending and goes (the dispatcher checks the exits itself before the hand-over). Returns how many.
 */
export async function cancelHeldMessages(tx: Queryable, ws: string, runs: Cancellation[], now: Date): Promise<number> {
  if (!runs.length) return 0;
  const c = bulkRows(
    { run_id: 'bigint', reason: 'text', detail: 'text' },
    runs.map((r) => ({ run_id: r.runId, reason: r.reason, detail: r.detail })),
    { at: 3, as: 'c' },
  );
  const cancelled = await tx.query<{
    message_key: string;
    customer_id: string;
    journey_id: string | null;
    step_id: string | null;
    template: string;
    purpose: string;
    reason: string;
    reason_detail: string;
  }>(
    `WITH c AS (SELECT * FROM ${c.from}),
     cancelled AS (
       UPDATE message_intents i SET status = 'skipped', reason = c.reason, reason_detail = c.detail, reason_at = $2, decided_at = $2
       FROM c WHERE i.run_id = c.run_id AND i.status = 'pending' AND i.workspace_id = $1
       RETURNING i.message_key, i.customer_id::text, i.journey_id, i.step_id, i.template, i.purpose, i.reason, i.reason_detail
     ), closed AS (
       UPDATE messages m SET status = 'failed', error = 'not retried: ' || x.reason_detail, updated_at = $2
       FROM cancelled x WHERE m.workspace_id = $1 AND m.message_key = x.message_key AND m.status = 'queued'
       RETURNING m.id
     )
     SELECT * FROM cancelled`,
    [ws, now, ...c.params],
  );
  await logOwnEvents(
    tx,
    ws,
    cancelled.map((i) => ({
      customerId: i.customer_id,
      name: 'Message Skipped',
      messageId: `msg:${i.message_key}:skipped`,
      at: now,
      properties: {
        messageKey: i.message_key,
        template: i.template,
        journeyId: i.journey_id,
        stepId: i.step_id,
        purpose: i.purpose,
        reason: i.reason,
        detail: i.reason_detail,
      },
    })),
  );
  return cancelled.length;
}
