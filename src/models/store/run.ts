// One model run for a workspace: fit both models as of the calibration end, record the attempts, then score every
// customer with the models in use (the new ones, or the last good ones when a fit failed). A manual run's calibration
// end becomes the live one (another day than its own: the scores stay as of that day; its own day: they follow the
// clock); a scheduled run keeps to the live one, so it never silently moves back-dated scores to today.
import type { Db } from '../../store/index.ts';
import { calibrationData, calibrationOf, rfmBreaksOf, type CalibrationData } from './derive.ts';
import { currentModels, fitAndRecord, type FitRun } from './fits.ts';
import { scoreCustomers, type ScoringSummary } from './scoring.ts';
import { loadLiveCalibration, loadModelSettings, saveLastRun, setLiveCalibration, type FitOrigin } from './settings.ts';

export interface ModelRun {
  fit: FitRun;
  /** The fits scoring used: the ones just made when they succeeded, else the last good ones (or none). */
  used: { bgnbd: string | null; gammaGamma: string | null };
  scoring: ScoringSummary;
  /** Who asked, and the live calibration end before and after the run (null: each run's own day). */
  origin: FitOrigin;
  live: { calibrationEnd: string | null; was: string | null };
}

export interface RunOptions {
  /**
   * Manual runs: the last day of the calibration period (inclusive); scores are as of that day. Default: the day of
   * `now`. Scheduled runs take the live calibration end instead.
   */
  calibrationEnd?: Date | string;
  /** Default manual. */
  origin?: FitOrigin;
  now?: Date;
  onProgress?: (p: { done: number; total: number }) => void;
}

export async function runModels(db: Db, ws: string, opts: RunOptions = {}): Promise<ModelRun> {
  const now = opts.now ?? new Date();
  const origin = opts.origin ?? 'manual';
  const settings = await loadModelSettings(db, ws);
  const was = (await loadLiveCalibration(db, ws)).calibrationEnd;
  const cal = calibrationOf(origin === 'schedule' ? (was ?? now) : (opts.calibrationEnd ?? now));
  // a manual run on another day than its own pins that day; on its own day it follows the clock; a schedule changes nothing
  const live = origin === 'schedule' ? was : cal.day === calibrationOf(now).day ? null : cal.day;
  if (origin === 'manual') await setLiveCalibration(db, ws, live, now);
  // one pass over the customers feeds both fits and the RFM breaks; a second one scores
  let data: CalibrationData | null = await calibrationData(db, ws, cal);
  const fit = await fitAndRecord(db, ws, cal, settings, now, data, origin);
  const breaks = rfmBreaksOf(data, settings.rfm.frequency);
  const total = data.looked;
  // eslint-disable-next-line no-useless-assignment -- an async function's locals live across its awaits: this frees them
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
    origin,
    scoring: {
      customers: scoring.customers,
      scored: scoring.scored,
      written: scoring.written,
      changed: scoring.changed,
      stageChanges: scoring.stageChanges,
      durationMs: scoring.durationMs,
    },
  });
  return {
    fit,
    used: { bgnbd: current.bgnbd?.id ?? null, gammaGamma: current.gammaGamma?.id ?? null },
    scoring,
    origin,
    live: { calibrationEnd: live, was },
  };
}
