// The journey inbox: watched events (copied there by a trigger on the event log, in the ingest transaction) are drained
// in order; each may start runs (event and segment triggers), wake runs waiting for it, or end runs whose goal it is.
import type { Db, Queryable } from '../../store/index.ts';
import { exitBy, exitDetail, exitsOf, hears, triggerKey, waitOf, type SeenEvent } from '../listen.ts';
import type { RunContext } from '../steps.ts';
import { activeJourneys, enter, type ActiveJourney, type Entry } from './entries.ts';
import { catchUpJourneys, keepForCatchUp } from './catch-up.ts';
import { definitionKey, loadDefinitions } from './journeys.ts';
import { cancelHeldMessages, type Cancellation } from './outbox.ts';
import { endRunsByExit, wakeMatchedWaits, type ExitRow } from './runs.ts';
import { DAY_MS } from '../../time/index.ts';

export interface InboxEvent {
  id: string;
  workspace_id: string;
  customer_id: string;
  message_id: string;
  name: string;
  properties: Record<string, unknown>;
  timestamp: Date;
}

/** An event from before this long before activation, or this old on arrival (an import of history), enters nothing. */
export const ENTRY_GRACE_MS = 3_600_000;
export const STALE_ENTRY_MS = DAY_MS;

export interface InboxResult {
  events: number;
  entered: number;
  heldOut: number;
  woken: number;
  /** Runs ended by an exit (goal reached, left the segment). */
  goals: number;
  /** Messages not sent yet that those exits cancelled. */
  cancelled: number;
}

/** Drains up to `limit` inbox events in one transaction (a concurrent worker takes the next ones). */
export async function processInbox(db: Db, now: Date, limit = 1000): Promise<InboxResult> {
  return db.transaction(async (tx) => {
    const events = await takeInboxEvents(tx, limit);
    const result: InboxResult = { events: events.length, entered: 0, heldOut: 0, woken: 0, goals: 0, cancelled: 0 };
    events.sort((a, b) => Number(a.id) - Number(b.id));
    const byWs = new Map<string, InboxEvent[]>();
    for (const e of events) byWs.set(e.workspace_id, [...(byWs.get(e.workspace_id) ?? []), e]);
    for (const [ws, wsEvents] of byWs) {
      const moved = await applyToOpenRuns(tx, ws, wsEvents, now);
      result.woken += moved.woken;
      result.goals += moved.goals;
      result.cancelled += moved.cancelled;
      const r = await startRuns(tx, ws, wsEvents, now);
      result.entered += r.entered;
      result.heldOut += r.heldOut;
      const paused = await catchUpJourneys(tx, ws);
      if (paused.length) await keepForCatchUp(tx, ws, eventEntries(paused, wsEvents, now));
    }
    return result;
  });
}

/** Takes (deletes and returns) up to `limit` of the oldest inbox events; SKIP LOCKED leaves others to other workers. */
async function takeInboxEvents(tx: Queryable, limit: number): Promise<InboxEvent[]> {
  return tx.query<InboxEvent>(
    `DELETE FROM journey_inbox WHERE id IN (SELECT id FROM journey_inbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING id::text, workspace_id, customer_id::text, message_id, name, properties, timestamp`,
    [limit],
  );
}

async function startRuns(tx: Queryable, ws: string, events: InboxEvent[], now: Date) {
  const journeys = await activeJourneys(tx, ws);
  return enter(tx, ws, eventEntries(journeys, events, now), new Map(journeys.map((j) => [j.id, j.definition])), now);
}

/**
 * The entries the events make into these journeys: trigger and filter matched, and not from before the journey's
 * activation (an hour of grace) nor older than a day on arrival.
 */
export function eventEntries(journeys: ActiveJourney[], events: InboxEvent[], now: Date): Entry[] {
  const entries: Entry[] = [];
  for (const j of journeys) {
    for (const e of events) {
      const at = new Date(e.timestamp);
      if (at.getTime() < j.activatedAt.getTime() - ENTRY_GRACE_MS || at.getTime() < now.getTime() - STALE_ENTRY_MS)
        continue;
      const key = triggerKey(j.definition, { name: e.name, messageId: e.message_id, properties: e.properties });
      if (key === null) continue;
      const context: RunContext = {
        enteredAt: at.toISOString(),
        key,
        trigger: { event: e.name, messageId: e.message_id, properties: e.properties, at: at.toISOString() },
      };
      entries.push({ journeyId: j.id, version: j.version, customerId: e.customer_id, entryKey: key, context });
    }
  }
  return entries;
}

interface OpenRun {
  id: string;
  journey_id: string;
  version: number;
  customer_id: string;
  entry_key: string;
  step_id: string;
  seq: number;
  wake_at: Date | null;
  context: RunContext;
}

/** A run of a paused journey: no wake time (it is kept in context.pausedWake until the resume). */
const parked = (run: OpenRun) => run.wake_at === null;
const seen = (e: InboxEvent): SeenEvent => ({
  name: e.name,
  messageId: e.message_id,
  properties: e.properties,
  at: new Date(e.timestamp),
});

/**
 * Ends runs that an event exits (their goal, leaving their trigger segment) and cancels their messages not sent yet, also
 * those of runs that had already ended when the event came (a reminder still held by quiet hours after the last step);
 * marks runs waiting for the event as matched: due now, or for a paused journey's run, due as soon as it resumes.
 */
async function applyToOpenRuns(tx: Queryable, ws: string, events: InboxEvent[], now: Date) {
  const customers = [...new Set(events.map((e) => e.customer_id))];
  const runs = await lockOpenRuns(tx, ws, customers);
  const held = await runsHoldingMessages(tx, ws, customers);
  const defs = await loadDefinitions(
    tx,
    [...runs, ...held].map((r) => ({ ws, journeyId: r.journey_id, version: r.version })),
  );
  const defOf = (r: Pick<OpenRun, 'journey_id' | 'version'>) => defs.get(definitionKey(ws, r.journey_id, r.version))!;
  const ended: ExitRow[] = [];
  const cancellations: Cancellation[] = [];
  const woken = new Map<string, OpenRun>();
  for (const run of runs) {
    const def = defOf(run);
    const view = { entryKey: run.entry_key, context: run.context };
    const exits = exitsOf(def, view);
    const wait = waitOf(def, view);
    for (const e of events) {
      if (e.customer_id !== run.customer_id) continue;
      const exit = exitBy(exits, seen(e));
      if (exit) {
        ended.push({
          run_id: run.id,
          seq: run.seq + 1,
          workspace_id: ws,
          customer_id: run.customer_id,
          journey_id: run.journey_id,
          step_id: run.step_id,
          outcome: exit.reason,
          detail: { event: e.name, messageId: e.message_id },
        });
        cancellations.push({ runId: run.id, reason: exit.reason, detail: exitDetail(exit, seen(e)) });
        woken.delete(run.id);
        break;
      }
      const open = run.context.wait;
      if (wait && open && !open.matched && hears(wait, seen(e))) {
        open.matched = true;
        if (parked(run)) run.context.pausedWake = now.toISOString();
        woken.set(run.id, run);
      }
    }
  }
  for (const run of held) {
    const exits = exitsOf(defOf(run), { entryKey: run.entry_key, context: run.context });
    for (const e of events) {
      const exit = e.customer_id === run.customer_id ? exitBy(exits, seen(e)) : null;
      if (exit) {
        cancellations.push({ runId: run.id, reason: exit.reason, detail: exitDetail(exit, seen(e)) });
        break;
      }
    }
  }
  await endRunsByExit(tx, ended, now);
  const cancelled = await cancelHeldMessages(tx, ws, cancellations, now);
  await wakeMatchedWaits(
    tx,
    [...woken.values()].map((r) => ({ id: r.id, context: r.context, paused: parked(r) })),
    now,
  );
  return { woken: woken.size, goals: ended.length, cancelled };
}

/** Locks the open runs of these customers (in id order, so concurrent inboxes cannot deadlock). */
async function lockOpenRuns(tx: Queryable, ws: string, customers: string[]): Promise<OpenRun[]> {
  return tx.query<OpenRun>(
    `SELECT id::text, journey_id, version, customer_id::text, entry_key, step_id, seq, wake_at, context FROM journey_runs
     WHERE workspace_id = $1 AND customer_id = ANY($2::bigint[]) AND ended_at IS NULL ORDER BY journey_runs.id FOR UPDATE`,
    [ws, customers],
  );
}

/**
 * Runs of these customers that have ended but still have messages not handed over (the run ended when it wrote them;
 * quiet hours, a cap or a retry hold them): their exits still cancel those messages. Found on
 * message_intents_customer_open, so the cost follows the held messages, not the customers' history.
 */
async function runsHoldingMessages(tx: Queryable, ws: string, customers: string[]) {
  return tx.query<Pick<OpenRun, 'id' | 'journey_id' | 'version' | 'customer_id' | 'entry_key' | 'context'>>(
    `SELECT DISTINCT r.id::text, r.journey_id, r.version, r.customer_id::text, r.entry_key, r.context
     FROM message_intents i JOIN journey_runs r ON r.id = i.run_id
     WHERE i.workspace_id = $1 AND i.customer_id = ANY($2::bigint[]) AND i.status = 'pending' AND i.run_id IS NOT NULL
       AND r.ended_at IS NOT NULL`,
    [ws, customers],
  );
}
