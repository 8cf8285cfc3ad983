// Entering journeys, set-based: entry rules (once, every time, cooldown), one open run per customer and key, and the
// global control group kept out of marketing journeys. Every trigger kind ends here.
import { type Queryable, bulkRows } from '../../store/index.ts';
import type { JourneyDefinition } from '../definition.ts';
import { triggerHandler } from '../triggers.ts';
import type { RunContext } from '../steps.ts';
import { getJourneySettings, holdOutControl, recordHeldOutEntries } from './control.ts';

export interface Entry {
  journeyId: string;
  version: number;
  customerId: string;
  entryKey: string;
  context: RunContext;
}

export interface EntryResult {
  entered: number;
  heldOut: number;
}

/**
 * Whether the entry rule (once, cooldown) counts per customer. Only a key of the trigger's own (one run per cart, per
 * invoice) counts per key; the keys of date, schedule and broadcast entries (the fire date, the occurrence) only keep
 * one open run per fire, or a daily schedule with a 30-day cooldown would enter daily.
 */
export function rulePerCustomer(def: JourneyDefinition): boolean {
  return !triggerHandler(def.trigger).keyPath(def.trigger);
}

/**
 * One candidate per journey, customer and key, the first given (the earliest event: the run's context is its); under
 * once or cooldown counted per customer, one per journey and customer.
 */
export function firstPerRule(entries: Entry[], defs: Map<string, JourneyDefinition>): Entry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const def = defs.get(e.journeyId)!;
    const key = def.entry.mode !== 'every' && rulePerCustomer(def) ? '' : e.entryKey;
    const slot = JSON.stringify([e.journeyId, e.customerId, key]);
    if (seen.has(slot)) return false;
    seen.add(slot);
    return true;
  });
}

/**
 * Enters the candidates of one workspace (they may span journeys). A new run starts at the journey's start step and is
 * due at once. Candidates that already have an open run for the same key, or that the entry rule refuses, do not enter.
 */
export async function enter(
  tx: Queryable,
  ws: string,
  entries: Entry[],
  defs: Map<string, JourneyDefinition>,
  now: Date,
): Promise<EntryResult> {
  if (!entries.length) return { entered: 0, heldOut: 0 };
  const marketing = entries.filter((e) => defs.get(e.journeyId)!.purpose === 'marketing');
  let held = new Set<string>();
  if (marketing.length)
    held = await holdOutControl(
      tx,
      ws,
      marketing.map((e) => e.customerId),
      now,
      await getJourneySettings(tx, ws),
    );
  const admitted = entries.filter((e) => defs.get(e.journeyId)!.purpose !== 'marketing' || !held.has(e.customerId));
  await recordHeldOutEntries(
    tx,
    ws,
    marketing.filter((e) => held.has(e.customerId)),
    now,
  );
  if (!admitted.length) return { entered: 0, heldOut: entries.length };
  const rows = firstPerRule(admitted, defs).map((e) => {
    const def = defs.get(e.journeyId)!;
    return {
      journey_id: e.journeyId,
      version: e.version,
      customer_id: e.customerId,
      entry_key: e.entryKey,
      start: def.start,
      mode: def.entry.mode,
      cooldown_s: (def.entry.days ?? 0) * 86_400,
      per_customer: rulePerCustomer(def),
      context: e.context,
    };
  });
  // Entry records are kept per customer ('') or per key; a per-customer rule reads every record of the customer (also
  // those written per fire date before the rule counted per customer).
  const c = bulkRows(
    {
      journey_id: 'text',
      version: 'int',
      customer_id: 'bigint',
      entry_key: 'text',
      start: 'text',
      mode: 'text',
      cooldown_s: 'float8',
      per_customer: 'boolean',
      context: 'jsonb',
    },
    rows,
    { at: 3, as: 'c' },
  );
  const [r] = await tx.query<{ entered: number }>(
    `WITH cand AS (
       SELECT * FROM ${c.from}
     ), allowed AS (
       SELECT c.* FROM cand c
       WHERE c.mode = 'every' OR NOT EXISTS (
         SELECT 1 FROM journey_entries e
         WHERE e.workspace_id = $1 AND e.journey_id = c.journey_id AND e.customer_id = c.customer_id AND (c.per_customer OR e.entry_key = c.entry_key)
           AND (c.mode = 'once' OR e.last_entered_at > $2::timestamptz - make_interval(secs => c.cooldown_s)))
     ), runs AS (
       INSERT INTO journey_runs (workspace_id, journey_id, version, customer_id, entry_key, status, step_id, wake_at, context, started_at, updated_at)
       SELECT $1, a.journey_id, a.version, a.customer_id, a.entry_key, 'active', a.start, $2, a.context, $2, $2 FROM allowed a
       ON CONFLICT DO NOTHING RETURNING journey_id, customer_id, entry_key
     ), counted AS (
       INSERT INTO journey_entries (workspace_id, journey_id, customer_id, entry_key, entries, last_entered_at)
       SELECT $1, r.journey_id, r.customer_id, CASE WHEN a.per_customer THEN '' ELSE r.entry_key END, count(*), $2
       FROM runs r JOIN allowed a ON a.journey_id = r.journey_id AND a.customer_id = r.customer_id AND a.entry_key = r.entry_key
       GROUP BY 2, 3, 4
       ON CONFLICT (workspace_id, journey_id, customer_id, entry_key) DO UPDATE SET entries = journey_entries.entries + excluded.entries, last_entered_at = excluded.last_entered_at
     )
     SELECT count(*)::int AS entered FROM runs`,
    [ws, now, ...c.params],
  );
  return { entered: r!.entered, heldOut: entries.length - admitted.length };
}

export interface ActiveJourney {
  id: string;
  version: number;
  activatedAt: Date;
  definition: JourneyDefinition;
}

/** The active journeys of a workspace with their active definitions (for matching triggers). */
export const activeJourneys = (tx: Queryable, ws: string) => journeysIn(tx, ws, 'active');

/** The journeys of a workspace in that state, each with the version it runs (a paused one: the version it paused on). */
export async function journeysIn(tx: Queryable, ws: string, status: 'active' | 'paused'): Promise<ActiveJourney[]> {
  const rows = await tx.query<{ id: string; version: number; activated_at: Date; definition: JourneyDefinition }>(
    `SELECT j.id, j.active_version AS version, v.activated_at, v.definition FROM journeys j
     JOIN journey_versions v ON v.workspace_id = j.workspace_id AND v.journey_id = j.id AND v.version = j.active_version
     WHERE j.workspace_id = $1 AND j.status = $2`,
    [ws, status],
  );
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    activatedAt: new Date(r.activated_at),
    definition: r.definition,
  }));
}
