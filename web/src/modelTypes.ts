// Shapes of the models API (/api/v1/models, /models/validation, /rfm/grid, /settings/models).
import type { MoneyFigure, MoneyNote } from './money';
import type { Iso } from './types';
import type { BgNbdParams } from '../../src/models/bgnbd.ts';
import type { ScoreValues } from '../../src/scores/descriptor.ts';
import type { GammaGammaParams } from '../../src/models/gammagamma.ts';
import type { FitDiagnostics, StoredFit } from '../../src/models/store/fits.ts';

export type { BgNbdParams, GammaGammaParams, FitDiagnostics, StoredFit };

export interface ModelSettings {
  riskThresholds: { highBelow: number; mediumBelow: number };
  horizonDays: number;
  clv: { months: number; monthlyDiscountRate: number; margin: number };
  rfm: {
    frequency: 'orders' | 'purchase_days';
    segments: { segment: string; r: [number, number]; f: [number, number]; m?: [number, number] }[];
  };
  lifecycle: { newDays: number; atRiskAfterDays: number; churnedAfterDays: number; churnedBelow: number };
  fitEveryHours: number;
  minCustomers: number;
}

export interface ScoringSummary {
  customers: number;
  scored: number;
  changed: number;
  stageChanges: number;
  durationMs: number;
}

/** The live calibration end: a day a manual fit chose (scheduled fits keep to it), or null (each run's own day). */
export interface LiveCalibration {
  calibrationEnd: string | null;
  setAt: Iso | null;
  nextFitAt: Iso | null;
}

export interface ModelsResponse {
  current: { bgnbd: StoredFit<BgNbdParams> | null; gammaGamma: StoredFit<GammaGammaParams> | null };
  live: LiveCalibration;
  /** Every fit, newest first; `live` marks the ones scoring the customers now. */
  history: (StoredFit & { live: boolean })[];
  lastRun: {
    runId: string;
    calibrationEnd: string;
    fittedAt: Iso;
    origin?: 'manual' | 'schedule';
    scoring: ScoringSummary | null;
  } | null;
  settings: ModelSettings;
}

export interface FitResponse {
  fit: {
    runId: string;
    calibrationEnd: string;
    bgnbd: StoredFit<BgNbdParams>;
    gammaGamma: StoredFit<GammaGammaParams>;
  };
  used: { bgnbd: string | null; gammaGamma: string | null };
  scoring: ScoringSummary & { asOf: string };
  origin: 'manual' | 'schedule';
  live: { calibrationEnd: string | null; was: string | null };
}

export interface ValidationBin {
  bin: string;
  customers: number;
  actual: number;
  predicted: number;
  actualMean: number;
  predictedMean: number;
}

export interface ValidationResponse {
  calibrationEnd: string;
  holdoutEnd: string;
  holdoutWeeks: number;
  bgnbd: { status: string; params: BgNbdParams | null; message: string | null; diagnostics: FitDiagnostics };
  gammaGamma: { status: string; params: GammaGammaParams | null; message: string | null; diagnostics: FitDiagnostics };
  bins: ValidationBin[];
  total: { customers: number; actual: number; predicted: number };
}

export interface RfmGridResponse extends MoneyFigure {
  cells: ({ r: number; f: number; customers: number; segment: string | null } & MoneyFigure)[];
  segments: ({ name: string; customers: number } & MoneyFigure)[];
  customers: number;
  scoredAt: Iso | null;
  /** What every `revenue` is in. */
  money: MoneyNote;
}

/** A customer's scores as the API sends them: each score of src/scores/descriptor.ts by its key, and when they last changed. */
export type CustomerScores = ScoreValues & { scoredAt: Iso | null };
