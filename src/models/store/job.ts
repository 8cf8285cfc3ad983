// The worker job that refits and rescores on a schedule: each workspace with orders every settings.fitEveryHours
// (default 24), as of the live calibration end (a back-dated manual fit's day, else the day it runs). Workers claim a due workspace by moving its next_fit_at forward in one UPDATE, so with several
// workers each workspace is fitted once per period.
import type { Db } from '../../store/index.ts';
import type { Job } from '../../lib/index.ts';
import { claimDueFits, ensureModelSettingsRows } from './settings.ts';
import { runModels, type ModelRun } from './run.ts';

/** Claims the workspaces whose fit is due and runs them; errors of one workspace do not stop the others. */
export async function fitDueWorkspaces(
  db: Db,
  now: Date,
): Promise<{ runs: { workspaceId: string; run: ModelRun }[]; errors: string[] }> {
  await ensureModelSettingsRows(db);
  const due = await claimDueFits(db, now);
  const runs: { workspaceId: string; run: ModelRun }[] = [];
  const errors: string[] = [];
  for (const ws of due) {
    try {
      runs.push({ workspaceId: ws, run: await runModels(db, ws, { now, origin: 'schedule' }) });
    } catch (err) {
      errors.push(`workspace ${ws}: ${(err as Error).message}`);
    }
  }
  return { runs, errors };
}

/** Checks every 5 minutes which workspaces are due (the worker skips a tick while the previous one still runs). */
export const fitModelsJob: Job = {
  name: 'fit-models',
  everyMs: 5 * 60_000,
  async run(db, now) {
    const { errors } = await fitDueWorkspaces(db, now);
    if (errors.length) throw new Error(`model fit: ${errors.join('; ')}`);
  },
};
