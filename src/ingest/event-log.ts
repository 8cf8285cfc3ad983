// Appends a batch's new events to the event log; a concurrent writer of the same messageId makes the batch start over.
import { type Queryable, bulkRows, type BulkRow } from '../store/index.ts';
import type { NormalizedEvent } from './normalize.ts';
import { ConcurrentWrite } from './concurrent-write.ts';

/** Another transaction stored one of our messageIds after we looked: the batch is retried and then sees it as a replay. */
export class ConcurrentEvent extends ConcurrentWrite {
  constructor() {
    super('an event of this batch was stored concurrently');
  }
}

const isDuplicateEvent = (err: unknown) => {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'events_pkey';
};

const COLUMNS = [
  'workspace_id',
  'message_id',
  'customer_id',
  'type',
  'name',
  'user_id',
  'anonymous_id',
  'properties',
  'traits',
  'context',
  'timestamp',
  'received_at',
];

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped, null as \N. */
function copyValue(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : v;
}

/** JSON in COPY's text format: JSON.stringify leaves no raw tab or line break, so only backslashes need doubling. */
const copyJson = (v: unknown): string => {
  if (v === null || v === undefined) return '\\N';
  const json = JSON.stringify(v);
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
};

/** The batch's events as COPY text, one line per event. */
function eventLines(ws: string, events: NormalizedEvent[], owners: (string | null)[]): string {
  const wsField = copyValue(ws);
  const received = new Map<number, string>(); // a batch shares one receivedAt: formatted once
  const lines: string[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    let receivedAt = received.get(e.receivedAt.getTime());
    if (receivedAt === undefined) received.set(e.receivedAt.getTime(), (receivedAt = e.receivedAt.toISOString()));
    lines.push(
      `${wsField}\t${copyValue(e.messageId)}\t${owners[i] ?? '\\N'}\t${e.type}\t${copyValue(e.name)}\t${copyValue(e.userId)}\t${copyValue(e.anonymousId)}\t` +
        `${copyJson(e.properties)}\t${copyJson(e.traits)}\t${copyJson(e.context)}\t${e.at}\t${receivedAt}\n`,
    );
  }
  return lines.join('');
}

/**
 * Stores the events: COPY inside the transaction where it has it (cheapest for both backends), else one INSERT with
 * one array parameter per column (bulkRows). No ON CONFLICT: the batch's first read already dropped what was stored, so a
 * conflict can only come from a concurrent writer; the unique key then refuses our row, the transaction rolls back
 * and is retried, and sees that event as a replay.
 */
export async function appendEvents(
  tx: Queryable,
  ws: string,
  events: NormalizedEvent[],
  owners: (string | null)[],
): Promise<void> {
  try {
    if (tx.copyRows) await tx.copyRows('events', COLUMNS, eventLines(ws, events, owners));
    else await insertEvents(tx, ws, events, owners);
  } catch (err) {
    throw isDuplicateEvent(err) ? new ConcurrentEvent() : err;
  }
}

/** The event columns after workspace_id, as the INSERT without COPY reads them (same order as COLUMNS). */
const EVENT_COLUMNS = {
  message_id: 'text',
  customer_id: 'bigint',
  type: 'text',
  name: 'text',
  user_id: 'text',
  anonymous_id: 'text',
  properties: 'jsonb',
  traits: 'jsonb',
  context: 'jsonb',
  timestamp: 'timestamptz',
  received_at: 'timestamptz',
} as const;

/** Inserts the events in one statement, for a handle without COPY. */
async function insertEvents(
  tx: Queryable,
  ws: string,
  events: NormalizedEvent[],
  owners: (string | null)[],
): Promise<void> {
  const rows: BulkRow<typeof EVENT_COLUMNS>[] = events.map((e, i) => ({
    message_id: e.messageId,
    customer_id: owners[i],
    type: e.type,
    name: e.name,
    user_id: e.userId,
    anonymous_id: e.anonymousId,
    properties: e.properties,
    traits: e.traits,
    context: e.context,
    timestamp: e.at,
    received_at: e.receivedAt,
  }));
  const t = bulkRows(EVENT_COLUMNS, rows, { at: 2 });
  await tx.query(`INSERT INTO events (workspace_id, ${t.columns}) SELECT $1, ${t.columns} FROM ${t.from}`, [
    ws,
    ...t.params,
  ]);
}
