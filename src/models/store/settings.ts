// Model settings of a workspace in model_settings (the effective settings are the stored ones over the defaults), the
// last run, and the live calibration end a manual fit sets for the scheduled ones.
import type { Queryable } from '../../store/index.ts';
import { isoOrNull } from '../../time/index.ts';
import { applySettingsPatch, DEFAULT_MODEL_SETTINGS, effectiveSettings, type ModelSettings } from '../settings.ts';

export type FitOrigin = 'manual' | 'schedule';

/** The workspace's effective model settings (the stored ones over the defaults). */
export async function loadModelSettings(db: Queryable, ws: string): Promise<ModelSettings> {
  const [row] = await db.query<{ settings: unknown }>('SELECT settings FROM model_settings WHERE workspace_id = $1', [
    ws,
  ]);
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
  /** Asked for (retain models fit, the API, the dashboard) or the worker's schedule; absent before it was recorded. */
  origin?: FitOrigin;
  scoring: {
    customers: number;
    scored: number;
    written?: number;
    changed: number;
    stageChanges: number;
    durationMs: number;
  } | null;
}

/** Records the last fit-and-score run, for the dashboard. */
export async function saveLastRun(db: Queryable, ws: string, run: LastRun): Promise<void> {
  await db.query(
    `INSERT INTO model_settings (workspace_id, last_run) VALUES ($1, $2::jsonb)
     ON CONFLICT (workspace_id) DO UPDATE SET last_run = excluded.last_run`,
    [ws, JSON.stringify(run)],
  );
}

/** The last fit-and-score run, or null before the first. */
export async function loadLastRun(db: Queryable, ws: string): Promise<LastRun | null> {
  const [row] = await db.query<{ last_run: LastRun | null }>(
    'SELECT last_run FROM model_settings WHERE workspace_id = $1',
    [ws],
  );
  return row?.last_run ?? null;
}

/** What the live scores are as of: a day a manual fit chose, or none (each run's own day), and when the next fit is due. */
export interface LiveCalibration {
  /** YYYY-MM-DD the scheduled fit keeps to, or null: it fits as of the day it runs. */
  calibrationEnd: string | null;
  /** When a manual fit set it (or set it back to follow the clock). */
  setAt: string | null;
  nextFitAt: string | null;
}

/** The live calibration end and when the next scheduled fit is due. */
export async function loadLiveCalibration(db: Queryable, ws: string): Promise<LiveCalibration> {
  const [row] = await db.query<{
    calibration_end: string | null;
    calibration_end_set_at: Date | null;
    next_fit_at: Date | null;
  }>('SELECT calibration_end::text, calibration_end_set_at, next_fit_at FROM model_settings WHERE workspace_id = $1', [
    ws,
  ]);
  return {
    calibrationEnd: row?.calibration_end ?? null,
    setAt: isoOrNull(row?.calibration_end_set_at),
    nextFitAt: isoOrNull(row?.next_fit_at),
  };
}

/** A manual fit sets the live calibration end (null: follow the clock). */
export async function setLiveCalibration(db: Queryable, ws: string, day: string | null, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO model_settings (workspace_id, calibration_end, calibration_end_set_at) VALUES ($1, $2::date, $3::timestamptz)
     ON CONFLICT (workspace_id) DO UPDATE SET calibration_end = excluded.calibration_end, calibration_end_set_at = excluded.calibration_end_set_at`,
    [ws, day, now.toISOString()],
  );
}

/** ensure-model-settings: a model_settings row for every workspace (the schedule reads next_fit_at from it). */
export async function ensureModelSettingsRows(db: Queryable): Promise<void> {
  await db.query('INSERT INTO model_settings (workspace_id) SELECT id FROM workspaces ON CONFLICT DO NOTHING');
}

/**
 * claim-due-fits: the workspaces with orders whose fit is due, each claimed by moving its next_fit_at one period
 * (settings.fitEveryHours) forward in the same UPDATE, so with several workers each is fitted once per period.
 */
export async function claimDueFits(db: Queryable, now: Date): Promise<string[]> {
  const due = await db.query<{ workspace_id: string }>(
    `UPDATE model_settings s
        SET next_fit_at = $1::timestamptz + coalesce((s.settings->>'fitEveryHours')::float8, $2::float8) * interval '1 hour'
      WHERE (s.next_fit_at IS NULL OR s.next_fit_at <= $1::timestamptz)
        AND EXISTS (SELECT 1 FROM customers c WHERE c.workspace_id = s.workspace_id AND c.last_order_at IS NOT NULL)
      RETURNING workspace_id`,
    [now.toISOString(), DEFAULT_MODEL_SETTINGS.fitEveryHours],
  );
  return due.map((r) => r.workspace_id);
}
