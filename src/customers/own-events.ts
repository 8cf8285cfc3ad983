// Our own events in the customer's log (consent changes, message statuses): inserted idempotently by message id, with
// the per-name counter bumped and the customer queued for segment re-evaluation, in the caller's transaction.
import { type Queryable, bulkRows } from '../store/index.ts';
import { QUEUE_CONFLICT } from './change-queue.ts';
import { isOwnEventName } from './own-event-names.ts';

export interface OwnEvent {
  customerId: string;
  name: string;
  /** Idempotency key: the same event logged twice is stored once. */
  messageId: string;
  properties: Record<string, unknown>;
  at: Date;
}

/** Logs the events; returns how many were new (a replay logs and counts nothing). */
export async function logOwnEvents(tx: Queryable, ws: string, events: OwnEvent[]): Promise<number> {
  if (!events.length) return 0;
  // Ingest refuses the names on the list from every key: a name missing from it could be forged from outside.
  for (const e of events)
    if (!isOwnEventName(e.name))
      throw new Error(`"${e.name}" is not in OWN_EVENT_NAMES (src/customers/own-event-names.ts): add it there first`);
  const input = bulkRows(
    { message_id: 'text', customer_id: 'bigint', name: 'text', properties: 'jsonb', at: 'timestamptz' },
    events.map((e) => ({
      message_id: e.messageId,
      customer_id: e.customerId,
      name: e.name,
      properties: e.properties,
      at: e.at,
    })),
    { at: 2, as: 'e' },
  );
  const logged = await tx.query(
    `WITH input AS (
       SELECT * FROM ${input.from}
     ), logged AS (
       INSERT INTO events (workspace_id, message_id, customer_id, type, name, user_id, properties, timestamp, received_at)
       SELECT $1, i.message_id, c.id, 'track', i.name, c.user_id, i.properties, i.at, i.at
       FROM input i JOIN customers c ON c.workspace_id = $1 AND c.id = i.customer_id
       ON CONFLICT DO NOTHING RETURNING customer_id, name, timestamp
     ), counted AS (
       INSERT INTO customer_event_counters (workspace_id, customer_id, name, count, first_at, last_at)
       SELECT $1, customer_id, name, count(*), min(timestamp), max(timestamp) FROM logged GROUP BY customer_id, name
       ON CONFLICT (workspace_id, customer_id, name) DO UPDATE SET count = customer_event_counters.count + excluded.count,
         first_at = LEAST(customer_event_counters.first_at, excluded.first_at), last_at = GREATEST(customer_event_counters.last_at, excluded.last_at)
     ), queued AS (
       INSERT INTO customer_changes (workspace_id, customer_id) SELECT $1, customer_id FROM logged GROUP BY customer_id ORDER BY customer_id
       ${QUEUE_CONFLICT}
     )
     SELECT 1 FROM logged`,
    [ws, ...input.params],
  );
  return logged.length;
}
