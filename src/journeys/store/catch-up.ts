// Entries a paused journey catches up on: with "whilePaused": "catch_up", the events that would have started it while it
// was paused are kept (journey_catch_up, in the inbox's transaction) and enter, oldest first, once it is active again.
import { type Db, type Queryable, bulkRows } from '../../store/index.ts';
import { whilePaused, type JourneyDefinition } from '../definition.ts';
import { triggerKey } from '../listen.ts';
import type { RunContext } from '../steps.ts';
import { enter, journeysIn, type ActiveJourney, type Entry, type EntryResult } from './entries.ts';

/** Kept entries entered per journey and transaction. */
const BATCH = 1000;

/** The paused journeys of the workspace that catch up on what they miss (event and segment triggers). */
export async function catchUpJourneys(tx: Queryable, ws: string): Promise<ActiveJourney[]> {
  return (await journeysIn(tx, ws, 'paused')).filter((j) => whilePaused(j.definition) === 'catch_up');
}

/** Keeps the entries (made by the inbox's own rule, so what is kept is exactly what would have entered) for the resume. */
export async function keepForCatchUp(tx: Queryable, ws: string, entries: Entry[]): Promise<void> {
  if (!entries.length) return;
  const k = bulkRows(
    { journey_id: 'text', message_id: 'text', customer_id: 'bigint', timestamp: 'timestamptz', context: 'jsonb' },
    entries.map((e) => ({
      journey_id: e.journeyId,
      message_id: e.context.trigger!.messageId,
      customer_id: e.customerId,
      timestamp: e.context.enteredAt,
      context: e.context,
    })),
    { at: 2, as: 'k' },
  );
  await tx.query(
    `INSERT INTO journey_catch_up (workspace_id, ${k.columns}) SELECT $1, ${k.columns} FROM ${k.from} ON CONFLICT DO NOTHING`,
    [ws, ...k.params],
  );
}

/** Forgets what a journey kept (archived, or resumed on a version that skips). */
export async function dropCatchUp(tx: Queryable, ws: string, journeyId: string): Promise<void> {
  await tx.query('DELETE FROM journey_catch_up WHERE workspace_id = $1 AND journey_id = $2', [ws, journeyId]);
}

/**
 * Enters what resumed journeys kept, in batches of BATCH per journey and transaction (claimed with SKIP LOCKED, so
 * workers share the work), judged by the resumed version's trigger: an edit made while paused may have changed it.
 * The runs are due at once; a goal reached meanwhile ends them at their first step (the runner reads the event log).
 */
export async function enterCaughtUp(db: Db, now: Date): Promise<EntryResult> {
  const total: EntryResult = { entered: 0, heldOut: 0 };
  const resumed = await db.query<{ workspace_id: string; id: string }>(
    `SELECT j.workspace_id, j.id FROM journeys j
     WHERE j.status = 'active' AND EXISTS (SELECT 1 FROM journey_catch_up k WHERE k.workspace_id = j.workspace_id AND k.journey_id = j.id)`,
  );
  for (const { workspace_id: ws, id } of resumed) {
    const r = await db.transaction(async (tx) => {
      const kept = await tx.query<{ customer_id: string; context: RunContext }>(
        `DELETE FROM journey_catch_up WHERE workspace_id = $1 AND journey_id = $2 AND message_id IN (
           SELECT message_id FROM journey_catch_up WHERE workspace_id = $1 AND journey_id = $2
           ORDER BY timestamp, message_id LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING customer_id::text, context`,
        [ws, id, BATCH],
      );
      const j = (await journeysIn(tx, ws, 'active')).find((x) => x.id === id);
      if (!j || !kept.length) return { entered: 0, heldOut: 0 };
      kept.sort(
        (a, b) =>
          a.context.enteredAt.localeCompare(b.context.enteredAt) ||
          (a.context.trigger?.messageId ?? '').localeCompare(b.context.trigger?.messageId ?? ''),
      );
      return enter(tx, ws, resumedEntries(j, kept), new Map<string, JourneyDefinition>([[j.id, j.definition]]), now);
    });
    total.entered += r.entered;
    total.heldOut += r.heldOut;
  }
  return total;
}

/**
 * The kept events that still start the resumed version, keyed by its trigger; none when it skips (events kept by an
 * inbox batch that read the journey just before a resume to a skipping version).
 */
function resumedEntries(j: ActiveJourney, kept: { customer_id: string; context: RunContext }[]): Entry[] {
  if (whilePaused(j.definition) !== 'catch_up') return [];
  return kept.flatMap((k): Entry[] => {
    const key = triggerKey(j.definition, {
      name: k.context.trigger?.event ?? '',
      messageId: k.context.trigger?.messageId ?? '',
      properties: k.context.trigger?.properties ?? {},
    });
    return key === null
      ? []
      : [
          {
            journeyId: j.id,
            version: j.version,
            customerId: k.customer_id,
            entryKey: key,
            context: { ...k.context, key },
          },
        ];
  });
}
