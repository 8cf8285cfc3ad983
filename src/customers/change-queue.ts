// The change queue (customer_changes): customers whose data changed, for the segment runner to re-evaluate.
//
// Every writer queues in its own transaction with an upsert that takes the row's lock even when the customer is queued
// already. The runner drains with FOR UPDATE SKIP LOCKED, so it never takes a customer off the queue while a change to
// that customer is uncommitted: with ON CONFLICT DO NOTHING an existing row was not locked, the runner could drain it,
// evaluate the data as it was before the change, and the change was lost once committed.
import { type Queryable, bulkRows } from '../store/index.ts';

/** The conflict clause every insert into customer_changes ends with: lock the row, keep its place in the queue. */
export const QUEUE_CONFLICT =
  'ON CONFLICT (workspace_id, customer_id) DO UPDATE SET changed_at = customer_changes.changed_at';

/** Queues customers (each once, locked in id order, so two writers never deadlock on each other's rows). */
export async function queueChanges(tx: Queryable, ws: string, customerIds: string[], at?: Date): Promise<void> {
  if (customerIds.length === 0) return;
  const u = bulkRows(
    { id: 'bigint' },
    customerIds.map((id) => ({ id })),
    { at: 3, as: 'u' },
  );
  await tx.query(
    `INSERT INTO customer_changes (workspace_id, customer_id, changed_at)
     SELECT $1, id, COALESCE($2::timestamptz, now()) FROM ${u.from} GROUP BY id ORDER BY id
     ${QUEUE_CONFLICT}`,
    [ws, at?.toISOString() ?? null, ...u.params],
  );
}
