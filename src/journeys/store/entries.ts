// Entering journeys, set-based: entry rules (once, every time, cooldown), one open run per customer and key, and the
// global control group kept out of marketing journeys. Every trigger kind ends here.
import type { Queryable } from '../../store/db.ts';
import type { JourneyDefinition } from '../definition.ts';
import type { RunContext } from '../steps.ts';
import { getJourneySettings, holdOutControl } from './control.ts';

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
 * Enters the candidates of one workspace (they may span journeys). A new run starts at the journey's start step and is
 * due at once. Candidates that already have an open run for the same key, or that the entry rule refuses, do not enter.
 */
export async function enter(tx: Queryable, ws: string, entries: Entry[], defs: Map<string, JourneyDefinition>, now: Date): Promise<EntryResult> {
  if (!entries.length) return { entered: 0, heldOut: 0 };
  const marketing = entries.filter((e) => defs.get(e.journeyId)!.purpose === 'marketing');
  let held = new Set<string>();
  if (marketing.length) held = await holdOutControl(tx, ws, marketing.map((e) => e.customerId), now, await getJourneySettings(tx, ws));
  const admitted = entries.filter((e) => defs.get(e.journeyId)!.purpose !== 'marketing' || !held.has(e.customerId));
  if (!admitted.length) return { entered: 0, heldOut: entries.length };
  const rows = admitted.map((e) => {
    const def = defs.get(e.journeyId)!;
    return {
      journey_id: e.journeyId, version: e.version, customer_id: e.customerId, entry_key: e.entryKey, start: def.start,
      mode: def.entry.mode, cooldown_s: (def.entry.days ?? 0) * 86_400, context: e.context,
    };
  });
  const [r] = await tx.query<{ entered: number }>(
    `WITH cand AS (
       SELECT DISTINCT ON (c.journey_id, c.customer_id, c.entry_key) c.*
       FROM jsonb_to_recordset($2::jsonb) AS c(journey_id text, version int, customer_id bigint, entry_key text, start text, mode text, cooldown_s double precision, context jsonb)
     ), allowed AS (
       SELECT c.* FROM cand c
       LEFT JOIN journey_entries e ON e.workspace_id = $1 AND e.journey_id = c.journey_id AND e.customer_id = c.customer_id AND e.entry_key = c.entry_key
       WHERE e.customer_id IS NULL OR c.mode = 'every' OR (c.mode = 'cooldown' AND e.last_entered_at <= $3::timestamptz - make_interval(secs => c.cooldown_s))
     ), runs AS (
       INSERT INTO journey_runs (workspace_id, journey_id, version, customer_id, entry_key, status, step_id, wake_at, context, started_at, updated_at)
       SELECT $1, a.journey_id, a.version, a.customer_id, a.entry_key, 'active', a.start, $3, a.context, $3, $3 FROM allowed a
       ON CONFLICT DO NOTHING RETURNING journey_id, customer_id, entry_key
     ), counted AS (
       INSERT INTO journey_entries (workspace_id, journey_id, customer_id, entry_key, entries, last_entered_at)
       SELECT $1, journey_id, customer_id, entry_key, 1, $3 FROM runs
       ON CONFLICT (workspace_id, journey_id, customer_id, entry_key) DO UPDATE SET entries = journey_entries.entries + 1, last_entered_at = excluded.last_entered_at
     )
     SELECT count(*)::int AS entered FROM runs`,
    [ws, JSON.stringify(rows), now],
  );
  return { entered: r!.entered, heldOut: entries.length - admitted.length };
}

/** The active journeys of a workspace with their active definitions (for matching triggers). */
export async function activeJourneys(tx: Queryable, ws: string): Promise<{ id: string; version: number; activatedAt: Date; definition: JourneyDefinition }[]> {
  const rows = await tx.query<{ id: string; version: number; activated_at: Date; definition: JourneyDefinition }>(
    `SELECT j.id, j.active_version AS version, v.activated_at, v.definition FROM journeys j
     JOIN journey_versions v ON v.workspace_id = j.workspace_id AND v.journey_id = j.id AND v.version = j.active_version
     WHERE j.workspace_id = $1 AND j.status = 'active'`,
    [ws],
  );
  return rows.map((r) => ({ id: r.id, version: r.version, activatedAt: new Date(r.activated_at), definition: r.definition }));
}
