// One model run for a workspace: fit both models as of the calibration end (default: today), record the attempts,
// then score every customer with the models in use (the new ones, or the last good ones when a fit failed).
import type { Db } from '../../store/db.ts';
import { calibrationData, calibrationOf, rfmBreaksOf, type CalibrationData } from './derive.ts';
import { currentModels, fitAndRecord, type FitRun } from './fits.ts';
import { scoreCustomers, type ScoringSummary } from './scoring.ts';
import { loadModelSettings, saveLastRun } from './settings.ts';

export interface ModelRun {
  fit: FitRun;
  /** The fits scoring used: the ones just made when they succeeded, else the last good ones (or none). */
  used: { bgnbd: string | null; gammaGamma: string | null };
  scoring: ScoringSummary;
}

export interface RunOptions {
  /** Last day of the calibration period (inclusive); scores are as of that day. Default: the day of `now`. */
  calibrationEnd?: Date | string;
  now?: Date;
  onProgress?: (p: { done: number; total: number }) => void;
}

export async function runModels(db: Db, ws: string, opts: RunOptions = {}): Promise<ModelRun> {
  const now = opts.now ?? new Date();
  const cal = calibrationOf(opts.calibrationEnd ?? now);
  const settings = await loadModelSettings(db, ws);
  // one pass over the customers feeds both fits and the RFM breaks; a second one scores
  let data: CalibrationData | null = await calibrationData(db, ws, cal);
  const fit = await fitAndRecord(db, ws, cal, settings, now, data);
  const breaks = rfmBreaksOf(data, settings.rfm.frequency);
  const total = data.looked;
  data = null; // O(customers) numbers for the RFM breaks: not kept while scoring
  const current = await currentModels(db, ws);
  const scoring = await scoreCustomers(db, ws, {
    cal,
    now,
    settings,
    models: { bgnbd: current.bgnbd?.params ?? null, gammaGamma: current.gammaGamma?.params ?? null },
    breaks,
    total,
    onProgress: opts.onProgress,
  });
  await saveLastRun(db, ws, {
    runId: fit.runId,
    calibrationEnd: cal.day,
    fittedAt: now.toISOString(),
    scoring: { customers: scoring.customers, scored: scoring.scored, written: scoring.written, changed: scoring.changed, stageChanges: scoring.stageChanges, durationMs: scoring.durationMs },
  });
  return { fit, used: { bgnbd: current.bgnbd?.id ?? null, gammaGamma: current.gammaGamma?.id ?? null }, scoring };
}
