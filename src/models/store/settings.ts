// Model settings of a workspace in model_settings (the effective settings are the stored ones over the defaults).
import type { Queryable } from '../../store/db.ts';
import { applySettingsPatch, effectiveSettings, type ModelSettings } from '../settings.ts';

export async function loadModelSettings(db: Queryable, ws: string): Promise<ModelSettings> {
  const [row] = await db.query<{ settings: unknown }>('SELECT settings FROM model_settings WHERE workspace_id = $1', [ws]);
  return effectiveSettings(row?.settings);
}

/** Validates and stores an update (throws InvalidSettings); returns the new effective settings. */
export async function updateModelSettings(db: Queryable, ws: string, patch: unknown): Promise<ModelSettings> {
  const next = applySettingsPatch(await loadModelSettings(db, ws), patch);
  await db.query(
    `INSERT INTO model_settings (workspace_id, settings, updated_at) VALUES ($1, $2::jsonb, now())
     ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings, updated_at = now()`,
    [ws, JSON.stringify(next)],
  );
  return next;
}

export interface LastRun {
  runId: string;
  calibrationEnd: string;
  fittedAt: string;
  scoring: { customers: number; scored: number; written?: number; changed: number; stageChanges: number; durationMs: number } | null;
}

export async function saveLastRun(db: Queryable, ws: string, run: LastRun): Promise<void> {
  await db.query(
    `INSERT INTO model_settings (workspace_id, last_run) VALUES ($1, $2::jsonb)
     ON CONFLICT (workspace_id) DO UPDATE SET last_run = excluded.last_run`,
    [ws, JSON.stringify(run)],
  );
}

export async function loadLastRun(db: Queryable, ws: string): Promise<LastRun | null> {
  const [row] = await db.query<{ last_run: LastRun | null }>('SELECT last_run FROM model_settings WHERE workspace_id = $1', [ws]);
  return row?.last_run ?? null;
}
