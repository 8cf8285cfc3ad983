// The journeys as the experiment catalogue reads them: each journey's name, purpose and steps of its latest version.
import type { Queryable } from '../../store/index.ts';
import type { JourneyForExperiments } from '../journey-experiments.ts';

/** Every journey of the workspace but archived ones, with its latest definition's purpose and steps, by name. */
export async function journeysForExperiments(q: Queryable, ws: string): Promise<JourneyForExperiments[]> {
  const rows = await q.query<{
    id: string;
    name: string;
    definition: { purpose?: 'marketing' | 'transactional'; steps?: JourneyForExperiments['steps'] };
  }>(
    `SELECT j.id, j.name, v.definition FROM journeys j
     JOIN journey_versions v ON v.workspace_id = j.workspace_id AND v.journey_id = j.id AND v.version = j.version
     WHERE j.workspace_id = $1 AND j.status <> 'archived' ORDER BY j.name, j.id`,
    [ws],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    purpose: r.definition.purpose ?? 'marketing',
    steps: r.definition.steps ?? [],
  }));
}
