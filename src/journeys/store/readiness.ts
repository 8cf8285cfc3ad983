// The workspace a journey is checked against before it goes live (the SQL behind readiness.ts): its templates with
// the channels they have content for, its configured channels and its segments.
import type { Queryable } from '../../store/index.ts';
import type { DefinitionError, JourneyDefinition } from '../definition.ts';
import { readinessProblems, type WorkspaceFacts } from '../readiness.ts';

/** Templates with the channels of content any of their locale variants has (`{"pl": {"email": …}}` → email). */
async function templateChannels(db: Queryable, ws: string): Promise<Map<string, Set<string>>> {
  const rows = await db.query<{ id: string; channels: string[] }>(
    `SELECT t.id, array(SELECT DISTINCT c FROM jsonb_each(t.content) v, jsonb_object_keys(v.value) c) AS channels
     FROM templates t WHERE t.workspace_id = $1`,
    [ws],
  );
  return new Map(rows.map((r) => [r.id, new Set(r.channels)]));
}

/** The channels with a provider configured. */
async function configuredChannels(db: Queryable, ws: string): Promise<Set<string>> {
  const rows = await db.query<{ channel: string }>('SELECT channel FROM channel_providers WHERE workspace_id = $1', [
    ws,
  ]);
  return new Set(rows.map((r) => r.channel));
}

/** Segments with their status. */
async function segmentStatuses(db: Queryable, ws: string): Promise<Map<string, 'active' | 'archived'>> {
  const rows = await db.query<{ id: string; status: 'active' | 'archived' }>(
    'SELECT id, status FROM segments WHERE workspace_id = $1',
    [ws],
  );
  return new Map(rows.map((r) => [r.id, r.status]));
}

export async function workspaceFacts(db: Queryable, ws: string): Promise<WorkspaceFacts> {
  return {
    templates: await templateChannels(db, ws),
    providers: await configuredChannels(db, ws),
    segments: await segmentStatuses(db, ws),
  };
}

/** Every reason `def` cannot go live in the workspace `ws` (none: it can be activated). */
export async function journeyReadiness(db: Queryable, ws: string, def: JourneyDefinition): Promise<DefinitionError[]> {
  return readinessProblems(def, await workspaceFacts(db, ws));
}
