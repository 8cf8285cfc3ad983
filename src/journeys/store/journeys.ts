// Journey definitions in the database: create, edit (a new version once a version has been active), activate (only
// what can go live: readiness.ts), pause, archive; and the list of event names active journeys listen to, which feeds
// the journey inbox.
import { DomainError, type ErrorBody } from '../../lib/index.ts';
import { type Db, type Queryable, bulkRows } from '../../store/index.ts';
import {
  parseJourney,
  triggerEvents,
  watchedEvents,
  whilePaused,
  type DefinitionError,
  type JourneyDefinition,
} from '../definition.ts';
import { defaultOutboundPolicy } from '../../net/index.ts';
import { iso, isoOrNull } from '../../time/index.ts';
import { journeyReadiness } from './readiness.ts';
import { dropCatchUp } from './catch-up.ts';
import { isSwept, RATE_KINDS, sweepBeforePause, WINDOW_KINDS } from './sweeps.ts';
import {
  insertJourney,
  insertVersion,
  journeyIdsLike,
  journeyRow,
  journeyVersion,
  journeyVersions,
  lockJourneyRow,
  markVersionActivated,
  renameJourney,
  replaceDefinition,
  setActive,
  setLatestVersion,
  setStatus,
  type JourneyStatus,
} from './journey-rows.ts';

export type { JourneyStatus };

export interface Journey {
  id: string;
  name: string;
  status: JourneyStatus;
  version: number;
  activeVersion: number | null;
  purpose: JourneyDefinition['purpose'];
  definition: JourneyDefinition;
  versions: { version: number; createdAt: string; activatedAt: string | null }[];
  updatedAt: string;
}

/** What a journey operation cannot do: no such journey (404), or not in this state or with this id (409). */
export class JourneyError extends DomainError {
  declare readonly code: 'not_found' | 'conflict' | 'invalid_state' | 'not_ready';
  constructor(code: 'not_found' | 'conflict' | 'invalid_state' | 'not_ready', message: string) {
    super(code, code === 'not_found' ? 404 : 409, message);
  }
}

/** A journey that cannot go live in its workspace (a template, provider or segment it needs is missing): every problem. */
export class JourneyNotReady extends JourneyError {
  constructor(
    id: string,
    readonly problems: DefinitionError[],
  ) {
    super(
      'not_ready',
      `Journey "${id}" cannot go live until ${problems.length === 1 ? 'this is' : `these ${problems.length} problems are`} fixed: ${problems.map((p) => `${p.path}: ${p.message}`).join(' ')}`,
    );
  }
  override body(): ErrorBody {
    return { ...super.body(), errors: this.problems };
  }
}

/** Refuses a definition that cannot go live in the workspace (read in the caller's transaction). */
async function mustBeReady(tx: Queryable, ws: string, id: string, def: JourneyDefinition) {
  const problems = await journeyReadiness(tx, ws, def);
  if (problems.length) throw new JourneyNotReady(id, problems);
}

const ID = /^[A-Za-z0-9_.-]{1,64}$/;

export async function getJourney(db: Queryable, ws: string, id: string): Promise<Journey | null> {
  const j = await journeyRow(db, ws, id);
  if (!j) return null;
  const versions = await journeyVersions(db, ws, id);
  const latest = versions.find((v) => v.version === j.version)!;
  return {
    id: j.id,
    name: j.name,
    status: j.status,
    version: j.version,
    activeVersion: j.active_version,
    purpose: latest.definition.purpose,
    definition: latest.definition,
    versions: versions.map((v) => ({
      version: v.version,
      createdAt: iso(v.created_at),
      activatedAt: isoOrNull(v.activated_at),
    })),
    updatedAt: iso(j.updated_at),
  };
}

async function mustGet(db: Queryable, ws: string, id: string): Promise<Journey> {
  const j = await getJourney(db, ws, id);
  if (!j)
    throw new JourneyError('not_found', `No journey "${id}" in this workspace. List them with GET /api/v1/journeys.`);
  return j;
}

export async function listJourneys(db: Queryable, ws: string) {
  return db.query<{
    id: string;
    name: string;
    status: JourneyStatus;
    version: number;
    activeVersion: number | null;
    purpose: string;
    triggerType: string;
    activeRuns: number;
    totalRuns: number;
    updatedAt: Date;
  }>(
    `SELECT j.id, j.name, j.status, j.version, j.active_version AS "activeVersion", v.definition->>'purpose' AS purpose,
            v.definition->'trigger'->>'type' AS "triggerType",
            (SELECT count(*)::int FROM journey_runs r WHERE r.workspace_id = j.workspace_id AND r.journey_id = j.id AND r.ended_at IS NULL) AS "activeRuns",
            (SELECT count(*)::int FROM journey_runs r WHERE r.workspace_id = j.workspace_id AND r.journey_id = j.id) AS "totalRuns",
            j.updated_at AS "updatedAt"
     FROM journeys j JOIN journey_versions v ON v.workspace_id = j.workspace_id AND v.journey_id = j.id AND v.version = j.version
     WHERE j.workspace_id = $1 ORDER BY j.name, j.id`,
    [ws],
  );
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 48) || 'journey'
  );
}

/** Creates a draft journey (version 1). The id is derived from the name when not given. */
export async function createJourney(
  db: Db,
  ws: string,
  input: { id?: string; name: string; definition: unknown },
  now = new Date(),
): Promise<Journey> {
  const definition = parseJourney(input.definition, defaultOutboundPolicy().allow);
  if (input.id !== undefined && !ID.test(input.id))
    throw new JourneyError('conflict', 'id: letters, digits, "_", "-" and "." (at most 64)');
  return db.transaction(async (tx) => {
    let id = input.id ?? slug(input.name);
    if (!input.id) {
      const taken = await journeyIdsLike(tx, ws, id);
      for (let n = 2; taken.has(id); n++) id = `${slug(input.name)}-${n}`;
    }
    if (!(await insertJourney(tx, ws, id, input.name, now)))
      throw new JourneyError(
        'conflict',
        `A journey "${id}" already exists: choose another id, or change it with PUT /api/v1/journeys/${id}.`,
      );
    await insertVersion(tx, ws, id, 1, definition, now, null);
    return mustGet(tx, ws, id);
  });
}

/**
 * Changes the name and/or definition. A definition that was never active is replaced in place; once a version has been
 * active the change is a new version, which new runs of an active journey enter while runs under way finish on theirs
 * (so, for an active journey, it is refused like an activation while it cannot go live).
 */
export async function updateJourney(
  db: Db,
  ws: string,
  id: string,
  patch: { name?: string; definition?: unknown },
  now = new Date(),
): Promise<Journey> {
  const definition =
    patch.definition === undefined ? undefined : parseJourney(patch.definition, defaultOutboundPolicy().allow);
  return db.transaction(async (tx) => {
    const j = await lockJourney(tx, ws, id);
    if (j.status === 'archived')
      throw new JourneyError('invalid_state', `Journey "${id}" is archived; create a new journey instead.`);
    if (patch.name !== undefined) await renameJourney(tx, ws, id, patch.name, now);
    if (definition) {
      const latest = await journeyVersion(tx, ws, id, j.version);
      if (latest!.activated_at === null) {
        await replaceDefinition(tx, ws, id, j.version, definition, now);
      } else {
        const version = j.version + 1;
        const live = j.status === 'active';
        if (live) await mustBeReady(tx, ws, id, definition);
        await insertVersion(tx, ws, id, version, definition, now, live ? now : null);
        await setLatestVersion(tx, ws, id, version, live, now);
        if (live) await resetTrigger(tx, ws, id, definition, now);
      }
      await refreshWatch(tx, ws);
    }
    return mustGet(tx, ws, id);
  });
}

/** Changes to one journey take turns (lockJourneyRow); a missing journey is refused. */
async function lockJourney(tx: Queryable, ws: string, id: string) {
  const j = await lockJourneyRow(tx, ws, id);
  if (!j)
    throw new JourneyError('not_found', `No journey "${id}" in this workspace. List them with GET /api/v1/journeys.`);
  return j;
}

/**
 * Date, schedule and broadcast triggers sweep from the moment of activation; event triggers need no state. A new
 * version with a trigger of the same kind sweeps on from the cursor (a birthday due between the last sweep and the edit
 * still fires; a broadcast goes on with the next customer); another kind starts afresh.
 */
async function resetTrigger(tx: Queryable, ws: string, id: string, def: JourneyDefinition, now: Date) {
  if (!isSwept(def.trigger.type)) return dropTriggerCursor(tx, ws, id);
  // a cursor from now, or the one kept when the kind is the same
  await tx.query(
    `INSERT INTO journey_triggers (workspace_id, journey_id, kind, cursor_at, cursor_customer, done) VALUES ($1, $2, $3, $4, 0, false)
     ON CONFLICT (workspace_id, journey_id) DO UPDATE SET kind = excluded.kind,
       cursor_at = CASE WHEN journey_triggers.kind = excluded.kind THEN journey_triggers.cursor_at ELSE excluded.cursor_at END,
       cursor_customer = CASE WHEN journey_triggers.kind = excluded.kind THEN journey_triggers.cursor_customer ELSE 0 END,
       done = CASE WHEN journey_triggers.kind = excluded.kind THEN journey_triggers.done ELSE false END`,
    [ws, id, def.trigger.type, now],
  );
}

/** Forgets the journey's sweep cursor (its trigger is not swept, or it is archived). */
async function dropTriggerCursor(tx: Queryable, ws: string, id: string): Promise<void> {
  await tx.query('DELETE FROM journey_triggers WHERE workspace_id = $1 AND journey_id = $2', [ws, id]);
}

/**
 * What a resume does with what fell due while paused (the pause swept everything due before it). A broadcast's rate
 * counts from the resume: the pause earns it no customers to enter at once. A journey that skips moves its date or
 * schedule cursor to now and forgets any events kept under an earlier version; one that catches up sweeps on from
 * where it paused (a date that fell due enters now; a schedule, its latest occurrence) and enters the events it kept.
 */
async function resumeTriggers(tx: Queryable, ws: string, id: string, def: JourneyDefinition, now: Date) {
  const skip = whilePaused(def) === 'skip';
  await tx.query(
    `UPDATE journey_triggers SET cursor_at = GREATEST(cursor_at, $3) WHERE workspace_id = $1 AND journey_id = $2
       AND (kind = ANY($5::text[]) OR $4 AND kind = ANY($6::text[]))`,
    [ws, id, now, skip, RATE_KINDS, WINDOW_KINDS],
  );
  if (skip) await dropCatchUp(tx, ws, id);
}

/**
 * The watched event names of the workspace: the union over its active journeys' active versions, the versions runs are
 * still open on, the versions whose ended runs still hold messages not sent (their goals still cancel them), and the
 * triggers of paused journeys that catch up on what they miss.
 */
async function refreshWatch(tx: Queryable, ws: string) {
  const rows = await tx.query<{ definition: JourneyDefinition; listens: boolean; paused: boolean }>(
    `SELECT definition, live OR has_runs OR holds_messages AS listens, paused FROM (
       SELECT v.definition, j.status = 'active' AND v.version = j.active_version AS live,
              j.status = 'paused' AND v.version = j.active_version AS paused,
              v.activated_at IS NOT NULL AND EXISTS (SELECT 1 FROM journey_runs r
                WHERE r.workspace_id = j.workspace_id AND r.journey_id = j.id AND r.version = v.version AND r.ended_at IS NULL) AS has_runs,
              EXISTS (SELECT 1 FROM message_intents i WHERE i.workspace_id = j.workspace_id AND i.status = 'pending' AND i.run_id IS NOT NULL
                AND i.journey_id = j.id AND i.journey_version = v.version) AS holds_messages
       FROM journeys j JOIN journey_versions v ON v.workspace_id = j.workspace_id AND v.journey_id = j.id
       WHERE j.workspace_id = $1 AND j.status IN ('active', 'paused')) AS versions
     WHERE live OR has_runs OR holds_messages OR paused`,
    [ws],
  );
  const names = [
    ...new Set(
      rows.flatMap((r) => [
        ...(r.listens ? watchedEvents(r.definition) : []),
        ...(r.paused && whilePaused(r.definition) === 'catch_up' ? triggerEvents(r.definition) : []),
      ]),
    ),
  ].sort();
  await tx.query('DELETE FROM journey_watch WHERE workspace_id = $1 AND NOT (name = ANY($2::text[]))', [ws, names]);
  if (names.length)
    await tx.query(
      'INSERT INTO journey_watch (workspace_id, name) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
      [ws, names],
    );
}

/**
 * Activates (or resumes) the latest version: new customers enter it; paused runs wake again where they stopped.
 * Refused (JourneyNotReady) while a template, provider or segment it needs is missing.
 */
export async function activateJourney(db: Db, ws: string, id: string, now = new Date()): Promise<Journey> {
  return db.transaction(async (tx) => {
    const j = await lockJourney(tx, ws, id);
    if (j.status === 'archived')
      throw new JourneyError('invalid_state', `Journey "${id}" is archived; create a new journey instead.`);
    if (j.status === 'active' && j.active_version === j.version) return mustGet(tx, ws, id);
    const v = await journeyVersion(tx, ws, id, j.version);
    await mustBeReady(tx, ws, id, v!.definition);
    if (!v!.activated_at) await markVersionActivated(tx, ws, id, j.version, now);
    await setActive(tx, ws, id, j.version, now);
    if (j.status === 'paused') await unparkRuns(tx, ws, id);
    if (j.status !== 'paused' || j.active_version !== j.version) await resetTrigger(tx, ws, id, v!.definition, now);
    if (j.status === 'paused') await resumeTriggers(tx, ws, id, v!.definition, now);
    await refreshWatch(tx, ws);
    return mustGet(tx, ws, id);
  });
}

/**
 * Pauses: nobody enters, and runs under way hold where they are (their wake time is kept for the resume). A date or
 * schedule trigger first enters whoever fell due up to now; what falls due while paused follows the definition's
 * entry.whilePaused (skipped, or kept for the resume).
 */
export async function pauseJourney(db: Db, ws: string, id: string, now = new Date()): Promise<Journey> {
  return db.transaction(async (tx) => {
    const j = await lockJourney(tx, ws, id);
    if (j.status !== 'active')
      throw new JourneyError('invalid_state', `Journey "${id}" is ${j.status}; only an active journey can be paused.`);
    await sweepBeforePause(tx, ws, id, now);
    await setStatus(tx, ws, id, 'paused', now);
    await parkRuns(tx, ws, id);
    await refreshWatch(tx, ws);
    return mustGet(tx, ws, id);
  });
}

/** Archives: nobody enters and every run under way ends (exited). The journey and its history stay readable. */
export async function archiveJourney(db: Db, ws: string, id: string, now = new Date()): Promise<Journey> {
  return db.transaction(async (tx) => {
    await lockJourney(tx, ws, id);
    await setStatus(tx, ws, id, 'archived', now);
    await endOpenRuns(tx, ws, id, now);
    await dropTriggerCursor(tx, ws, id);
    await dropCatchUp(tx, ws, id);
    await refreshWatch(tx, ws);
    return mustGet(tx, ws, id);
  });
}

/** Parks the journey's open runs (pause): no wake time; the one they had is kept in context.pausedWake. */
async function parkRuns(tx: Queryable, ws: string, id: string): Promise<void> {
  await tx.query(
    `UPDATE journey_runs SET wake_at = NULL, context = context || jsonb_build_object('pausedWake', wake_at)
     WHERE workspace_id = $1 AND journey_id = $2 AND ended_at IS NULL AND wake_at IS NOT NULL`,
    [ws, id],
  );
}

/** Wakes the parked runs (resume) at the time they kept. */
async function unparkRuns(tx: Queryable, ws: string, id: string): Promise<void> {
  await tx.query(
    `UPDATE journey_runs SET wake_at = (context->>'pausedWake')::timestamptz, context = context - 'pausedWake'
     WHERE workspace_id = $1 AND journey_id = $2 AND ended_at IS NULL AND context ? 'pausedWake'`,
    [ws, id],
  );
}

/** Ends every open run of the journey (archive) as exited, each with an `exit`/`archived` row in its step log. */
async function endOpenRuns(tx: Queryable, ws: string, id: string, now: Date): Promise<void> {
  await tx.query(
    `WITH ended AS (
       UPDATE journey_runs SET status = 'exited', wake_at = NULL, ended_at = $3, updated_at = $3, seq = seq + 1
       WHERE workspace_id = $1 AND journey_id = $2 AND ended_at IS NULL RETURNING id, seq, customer_id, step_id)
     INSERT INTO journey_step_log (run_id, seq, workspace_id, journey_id, customer_id, step_id, type, outcome, at)
     SELECT id, seq, $1, $2, customer_id, step_id, 'exit', 'archived', $3 FROM ended`,
    [ws, id, now],
  );
}

/** Definitions are immutable per version, so every process may cache them. */
const cache = new Map<string, JourneyDefinition>();

export async function loadDefinitions(
  db: Queryable,
  wanted: { ws: string; journeyId: string; version: number }[],
): Promise<Map<string, JourneyDefinition>> {
  const key = (w: { ws: string; journeyId: string; version: number }) =>
    `${w.ws}\u0000${w.journeyId}\u0000${w.version}`;
  const missing = [...new Map(wanted.filter((w) => !cache.has(key(w))).map((w) => [key(w), w])).values()];
  if (missing.length) {
    const w = bulkRows(
      { ws: 'text', jid: 'text', ver: 'int' },
      missing.map((m) => ({ ws: m.ws, jid: m.journeyId, ver: m.version })),
      { at: 1, as: 'w' },
    );
    const rows = await db.query<{ ws: string; journey_id: string; version: number; definition: JourneyDefinition }>(
      `SELECT v.workspace_id AS ws, v.journey_id, v.version, v.definition FROM journey_versions v
       JOIN ${w.from} ON v.workspace_id = w.ws AND v.journey_id = w.jid AND v.version = w.ver`,
      w.params,
    );
    for (const r of rows)
      cache.set(key({ ws: r.ws, journeyId: r.journey_id, version: r.version }), parseJourney(r.definition));
  }
  return new Map(wanted.map((w) => [key(w), cache.get(key(w))!]));
}
export const definitionKey = (ws: string, journeyId: string, version: number) =>
  `${ws}\u0000${journeyId}\u0000${version}`;
