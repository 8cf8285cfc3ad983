// Identity merges and journeys: an anonymous visitor's runs (the cart they abandoned) and messages carry on as the known customer's.
import type { Queryable } from '../../store/index.ts';

/** Moves runs, history, intents, messages, pending confirmations, entry records and queued events from `from` to `to` (in the merge's transaction). */
export async function mergeJourneyState(tx: Queryable, ws: string, from: string, to: string): Promise<void> {
  const args = [ws, from, to];
  // Where both have an open run of the same journey and key, the known customer's run goes on and the other ends.
  await tx.query(
    `UPDATE journey_runs r SET status = 'exited', wake_at = NULL, ended_at = now(), updated_at = now()
     WHERE r.workspace_id = $1 AND r.customer_id = $2 AND r.ended_at IS NULL AND EXISTS (
       SELECT 1 FROM journey_runs o WHERE o.workspace_id = $1 AND o.customer_id = $3 AND o.journey_id = r.journey_id
         AND o.entry_key = r.entry_key AND o.ended_at IS NULL)`,
    args,
  );
  for (const table of [
    'journey_runs',
    'journey_step_log',
    'message_intents',
    'journey_inbox',
    'journey_catch_up',
    'messages',
    'consent_confirmations',
  ]) {
    await tx.query(`UPDATE ${table} SET customer_id = $3 WHERE workspace_id = $1 AND customer_id = $2`, args);
  }
  await tx.query(
    `INSERT INTO journey_entries (workspace_id, journey_id, customer_id, entry_key, entries, last_entered_at)
     SELECT workspace_id, journey_id, $3, entry_key, entries, last_entered_at FROM journey_entries WHERE workspace_id = $1 AND customer_id = $2
     ON CONFLICT (workspace_id, journey_id, customer_id, entry_key) DO UPDATE SET entries = journey_entries.entries + excluded.entries,
       last_entered_at = GREATEST(journey_entries.last_entered_at, excluded.last_entered_at)`,
    args,
  );
  await tx.query('DELETE FROM journey_entries WHERE workspace_id = $1 AND customer_id = $2', [ws, from]);
}
