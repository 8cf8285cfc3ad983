// What the workspace's data names, for the editor's pickers: event names with how often they happened, the property
// keys of recent events of one name and the trait keys of recently seen customers, each with sample values. Every
// query is bounded (a LIMIT, a recent window).
import type { Queryable } from '../store/index.ts';
import { summarizeKeys, type KeySummary } from './keys.ts';
import { DAY_MS } from '../time/index.ts';

/** How many recent objects are sampled for their keys. */
const SAMPLE = 500;
/** How far back event properties are sampled. */
const WINDOW_DAYS = 90;

export interface EventName {
  name: string;
  count: number;
}

/** The counters of calls other than track, kept under their type (see counterName in ingest): not event names. */
const CALL_TYPES = ['identify', 'page', 'screen', 'group', 'alias'];

/** Event names by total count (from the per-customer counters kept at ingest), most frequent first. */
export async function eventNames(db: Queryable, ws: string, limit: number): Promise<EventName[]> {
  const rows = await db.query<{ name: string; count: string | number }>(
    'SELECT name, sum(count) AS count FROM customer_event_counters WHERE workspace_id = $1 AND name <> ALL($3::text[]) GROUP BY name ORDER BY sum(count) DESC, name LIMIT $2',
    [ws, limit, CALL_TYPES],
  );
  return rows.map((r) => ({ name: r.name, count: Number(r.count) }));
}

/** The property keys of the latest events named `event` within the window, with sample values. */
export async function eventPropertyKeys(
  db: Queryable,
  ws: string,
  event: string,
  now: Date,
  limit: number,
): Promise<KeySummary[]> {
  const since = new Date(now.getTime() - WINDOW_DAYS * DAY_MS);
  const rows = await db.query<{ properties: unknown }>(
    `SELECT properties FROM events WHERE workspace_id = $1 AND timestamp >= $2 AND name = $3 ORDER BY timestamp DESC LIMIT ${SAMPLE}`,
    [ws, since, event],
  );
  return summarizeKeys(
    rows.map((r) => r.properties),
    limit,
  );
}

/** The trait keys of the most recently seen customers, with sample values. */
export async function traitKeys(db: Queryable, ws: string, limit: number): Promise<KeySummary[]> {
  const rows = await db.query<{ traits: unknown }>(
    `SELECT traits FROM customers WHERE workspace_id = $1 ORDER BY last_seen DESC NULLS LAST LIMIT ${SAMPLE}`,
    [ws],
  );
  return summarizeKeys(
    rows.map((r) => r.traits),
    limit,
  );
}
