// Appends a batch's new events to the event log; a concurrent writer of the same messageId makes the batch start over.
import type { Queryable } from '../store/db.ts';
import type { NormalizedEvent } from './normalize.ts';

/** Another transaction stored one of our messageIds after we looked: the batch is retried and then sees it as a replay. */
export class ConcurrentEvent extends Error {
  code = '40001';
  constructor() {
    super('an event of this batch was stored concurrently; retrying the batch');
  }
}

const isDuplicateEvent = (err: unknown) => {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'events_pkey';
};

/**
 * Inserts the events (one JSON parameter: cheaper to send and parse than a dozen escaped arrays). No ON CONFLICT: the
 * batch's first read already dropped what was stored, so a conflict can only come from a concurrent writer, and then
 * the unique key refuses our row, the transaction rolls back and is retried.
 */
export async function appendEvents(tx: Queryable, ws: string, events: NormalizedEvent[], owners: (string | null)[]): Promise<void> {
  const rows = events.map((e, i) => ({
    message_id: e.messageId,
    customer_id: owners[i],
    type: e.type,
    name: e.name,
    user_id: e.userId,
    anonymous_id: e.anonymousId,
    properties: e.properties,
    traits: e.traits,
    context: e.context,
    timestamp: e.timestamp.toISOString(),
    received_at: e.receivedAt.toISOString(),
  }));
  try {
    await tx.query(
      `INSERT INTO events (workspace_id, message_id, customer_id, type, name, user_id, anonymous_id, properties, traits, context, timestamp, received_at)
       SELECT $1, r.message_id, r.customer_id, r.type, r.name, r.user_id, r.anonymous_id, r.properties, r.traits, r.context, r.timestamp, r.received_at
         FROM jsonb_to_recordset($2::jsonb) AS r(message_id text, customer_id bigint, type text, name text, user_id text, anonymous_id text,
              properties jsonb, traits jsonb, context jsonb, timestamp timestamptz, received_at timestamptz)`,
      [ws, JSON.stringify(rows)],
    );
  } catch (err) {
    throw isDuplicateEvent(err) ? new ConcurrentEvent() : err;
  }
}
