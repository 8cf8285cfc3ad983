// The statements on journeys and their versions (journeys, journey_versions), each named: journeys.ts holds the rules
// of create, edit, activate, pause and archive and calls these.
import type { Queryable } from '../../store/index.ts';
import type { JourneyDefinition } from '../definition.ts';

export type JourneyStatus = 'draft' | 'active' | 'paused' | 'archived';

export interface JourneyRow {
  id: string;
  name: string;
  status: JourneyStatus;
  version: number;
  active_version: number | null;
  updated_at: Date;
}

export interface VersionRow {
  version: number;
  definition: JourneyDefinition;
  created_at: Date;
  activated_at: Date | null;
}

/** One journey's row, if any. */
export async function journeyRow(db: Queryable, ws: string, id: string): Promise<JourneyRow | undefined> {
  const [j] = await db.query<JourneyRow>(
    'SELECT id, name, status, version, active_version, updated_at FROM journeys WHERE workspace_id = $1 AND id = $2',
    [ws, id],
  );
  return j;
}

/** Every version of one journey, oldest first. */
export async function journeyVersions(db: Queryable, ws: string, id: string): Promise<VersionRow[]> {
  return db.query<VersionRow>(
    'SELECT version, definition, created_at, activated_at FROM journey_versions WHERE workspace_id = $1 AND journey_id = $2 ORDER BY version',
    [ws, id],
  );
}

/** One version of a journey (its definition and when it was first activated), if any. */
export async function journeyVersion(
  db: Queryable,
  ws: string,
  id: string,
  version: number,
): Promise<Pick<VersionRow, 'definition' | 'activated_at'> | undefined> {
  const [v] = await db.query<Pick<VersionRow, 'definition' | 'activated_at'>>(
    'SELECT definition, activated_at FROM journey_versions WHERE workspace_id = $1 AND journey_id = $2 AND version = $3',
    [ws, id, version],
  );
  return v;
}

/** The workspace's journey ids starting with `prefix` (to derive a free id from a name). */
export async function journeyIdsLike(tx: Queryable, ws: string, prefix: string): Promise<Set<string>> {
  return new Set(
    (
      await tx.query<{ id: string }>('SELECT id FROM journeys WHERE workspace_id = $1 AND id LIKE $2', [
        ws,
        `${prefix}%`,
      ])
    ).map((r) => r.id),
  );
}

/** Inserts a journey (a draft); false when the id is taken. */
export async function insertJourney(tx: Queryable, ws: string, id: string, name: string, now: Date): Promise<boolean> {
  const inserted = await tx.query(
    'INSERT INTO journeys (workspace_id, id, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT DO NOTHING RETURNING id',
    [ws, id, name, now],
  );
  return inserted.length > 0;
}

/** Inserts a version of a journey (activated at `activatedAt`, or never yet when null). */
export async function insertVersion(
  tx: Queryable,
  ws: string,
  id: string,
  version: number,
  definition: JourneyDefinition,
  now: Date,
  activatedAt: Date | null,
): Promise<void> {
  await tx.query(
    'INSERT INTO journey_versions (workspace_id, journey_id, version, definition, created_at, activated_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [ws, id, version, JSON.stringify(definition), now, activatedAt],
  );
}

/** Replaces the definition of a version never activated. */
export async function replaceDefinition(
  tx: Queryable,
  ws: string,
  id: string,
  version: number,
  definition: JourneyDefinition,
  now: Date,
): Promise<void> {
  await tx.query(
    'UPDATE journey_versions SET definition = $4, created_at = $5 WHERE workspace_id = $1 AND journey_id = $2 AND version = $3',
    [ws, id, version, JSON.stringify(definition), now],
  );
}

/** Stamps a version's first activation. */
export async function markVersionActivated(
  tx: Queryable,
  ws: string,
  id: string,
  version: number,
  now: Date,
): Promise<void> {
  await tx.query(
    'UPDATE journey_versions SET activated_at = $4 WHERE workspace_id = $1 AND journey_id = $2 AND version = $3',
    [ws, id, version, now],
  );
}

/** Renames a journey. */
export async function renameJourney(tx: Queryable, ws: string, id: string, name: string, now: Date): Promise<void> {
  await tx.query('UPDATE journeys SET name = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2', [
    ws,
    id,
    name,
    now,
  ]);
}

/** Makes `version` the journey's latest version, and its active one too when `live`. */
export async function setLatestVersion(
  tx: Queryable,
  ws: string,
  id: string,
  version: number,
  live: boolean,
  now: Date,
): Promise<void> {
  await tx.query(
    'UPDATE journeys SET version = $3, active_version = CASE WHEN $4 THEN $3 ELSE active_version END, updated_at = $5 WHERE workspace_id = $1 AND id = $2',
    [ws, id, version, live, now],
  );
}

/** Sets the journey active on `version`. */
export async function setActive(tx: Queryable, ws: string, id: string, version: number, now: Date): Promise<void> {
  await tx.query(
    "UPDATE journeys SET status = 'active', active_version = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2",
    [ws, id, version, now],
  );
}

/** Sets the journey's status to paused or archived. */
export async function setStatus(
  tx: Queryable,
  ws: string,
  id: string,
  status: 'paused' | 'archived',
  now: Date,
): Promise<void> {
  await tx.query('UPDATE journeys SET status = $4, updated_at = $3 WHERE workspace_id = $1 AND id = $2', [
    ws,
    id,
    now,
    status,
  ]);
}

/**
 * The journey's status and versions, locked: changes to one journey take turns. NO KEY UPDATE: entering runs (a foreign
 * key share lock on the journey) goes on meanwhile, so a pause can wait for a sweep that is entering the journey's
 * customers without a deadlock.
 */
export async function lockJourneyRow(tx: Queryable, ws: string, id: string) {
  const [j] = await tx.query<{ status: JourneyStatus; version: number; active_version: number | null }>(
    'SELECT status, version, active_version FROM journeys WHERE workspace_id = $1 AND id = $2 FOR NO KEY UPDATE',
    [ws, id],
  );
  return j;
}
