// Fitting a workspace's models and keeping them: BG/NBD on the grouped (x, t_x, T), Gamma-Gamma on the repeat buyers'
// (x, zbar), both as of a calibration end. Every attempt is a row of model_fits; a failed one (degenerate data, too few
// customers, no convergence) is recorded with its message and the newest ok row of each kind stays the model in use.
import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../../store/index.ts';
import { fitBgNbd, type BgNbdParams } from '../bgnbd.ts';
import { fitGammaGamma, type GammaGammaParams } from '../gammagamma.ts';
import { ModelFitError } from '../errors.ts';
import type { ModelSettings } from '../settings.ts';
import { calibrationData, type Calibration, type CalibrationData } from './derive.ts';
import type { FitOrigin } from './settings.ts';

export type ModelKind = 'bgnbd' | 'gamma_gamma';

export interface FitDiagnostics {
  logLikelihood?: number;
  iterations?: number;
  evaluations?: number;
  converged: boolean;
  /** Customers the model was fitted on (BG/NBD: the cohort; Gamma-Gamma: repeat buyers with a positive spend). */
  customers: number;
  /** BG/NBD: distinct (x, t_x, T) triples the likelihood ran over. */
  groups?: number;
  /** BG/NBD: customers with a repeat purchase. */
  repeatBuyers?: number;
  /** Time of the optimiser alone, and of reading the data from the database (one pass for both models: on BG/NBD). */
  durationMs: number;
  dataMs: number;
  /** ModelFitError code of a failed fit. */
  code?: string;
}

export interface StoredFit<P = BgNbdParams | GammaGammaParams> {
  id: string;
  runId: string;
  kind: ModelKind;
  status: 'ok' | 'failed';
  message: string | null;
  params: P | null;
  diagnostics: FitDiagnostics;
  calibrationEnd: string;
  createdAt: string;
  /** manual or schedule; null for fits made before it was recorded. */
  origin: FitOrigin | null;
}

export interface CurrentModels {
  bgnbd: StoredFit<BgNbdParams> | null;
  gammaGamma: StoredFit<GammaGammaParams> | null;
}

interface FitRow {
  id: string;
  run_id: string;
  kind: ModelKind;
  status: 'ok' | 'failed';
  message: string | null;
  params: unknown;
  diagnostics: FitDiagnostics;
  calibration_end: string;
  created_at: Date | string;
  origin: FitOrigin | null;
}

const COLUMNS =
  'id::text AS id, run_id, kind, status, message, params, diagnostics, calibration_end::text AS calibration_end, created_at, origin';

function view<P>(r: FitRow): StoredFit<P> {
  return {
    id: r.id,
    runId: r.run_id,
    kind: r.kind,
    status: r.status,
    message: r.message,
    params: (r.params ?? null) as P | null,
    diagnostics: r.diagnostics,
    calibrationEnd: r.calibration_end,
    createdAt: new Date(r.created_at).toISOString(),
    origin: r.origin ?? null,
  };
}

/** The models in use: the newest ok fit of each kind. */
export async function currentModels(db: Queryable, ws: string): Promise<CurrentModels> {
  const rows = await db.query<FitRow>(
    `SELECT DISTINCT ON (kind) ${COLUMNS} FROM model_fits WHERE workspace_id = $1 AND status = 'ok' ORDER BY kind, model_fits.id DESC`,
    [ws],
  );
  const of = <P>(kind: ModelKind) => {
    const r = rows.find((x) => x.kind === kind);
    return r ? view<P>(r) : null;
  };
  return { bgnbd: of<BgNbdParams>('bgnbd'), gammaGamma: of<GammaGammaParams>('gamma_gamma') };
}

/** Every fit, newest first. */
export async function fitHistory(db: Queryable, ws: string, limit = 50): Promise<StoredFit[]> {
  return (
    await db.query<FitRow>(
      `SELECT ${COLUMNS} FROM model_fits WHERE workspace_id = $1 ORDER BY model_fits.id DESC LIMIT $2`,
      [ws, limit],
    )
  ).map((r) => view(r));
}

export interface FitAttempt<P> {
  status: 'ok' | 'failed';
  params: P | null;
  message: string | null;
  diagnostics: FitDiagnostics;
}

const elapsed = (since: number) => Math.round((performance.now() - since) * 100) / 100;

function failed<P>(err: unknown, diagnostics: Omit<FitDiagnostics, 'converged' | 'code'>): FitAttempt<P> {
  if (!(err instanceof ModelFitError)) throw err;
  return {
    status: 'failed',
    params: null,
    message: err.message,
    diagnostics: { ...diagnostics, converged: false, code: err.code },
  };
}

/**
 * Fits BG/NBD and Gamma-Gamma as of the calibration end, without storing anything (validation uses this too), on the
 * inputs of one calibration pass (read here unless given). Reading time is reported in the BG/NBD diagnostics.
 */
export async function fitAsOf(
  db: Db,
  ws: string,
  cal: Calibration,
  settings: Pick<ModelSettings, 'minCustomers'>,
  data?: CalibrationData,
) {
  const input = data ?? (await calibrationData(db, ws, cal));
  const { groups, spend } = input;
  const dataMs = input.readMs;
  let bgnbd: FitAttempt<BgNbdParams>;
  let t0 = performance.now();
  try {
    const fit = fitBgNbd(groups, { minCustomers: settings.minCustomers });
    bgnbd = {
      status: 'ok',
      params: fit.params,
      message: null,
      diagnostics: {
        logLikelihood: fit.logLikelihood,
        iterations: fit.iterations,
        evaluations: fit.evaluations,
        converged: true,
        customers: fit.customers,
        groups: fit.groups,
        repeatBuyers: groups.repeatBuyers,
        durationMs: elapsed(t0),
        dataMs,
      },
    };
  } catch (err) {
    bgnbd = failed(err, {
      customers: groups.customers,
      groups: groups.size,
      repeatBuyers: groups.repeatBuyers,
      durationMs: elapsed(t0),
      dataMs,
    });
  }

  let gammaGamma: FitAttempt<GammaGammaParams>;
  t0 = performance.now();
  try {
    const fit = fitGammaGamma(spend, { minCustomers: Math.max(2, Math.ceil(settings.minCustomers / 3)) });
    gammaGamma = {
      status: 'ok',
      params: fit.params,
      message: null,
      diagnostics: {
        logLikelihood: fit.logLikelihood,
        iterations: fit.iterations,
        evaluations: fit.evaluations,
        converged: true,
        customers: fit.customers,
        durationMs: elapsed(t0),
        dataMs: 0,
      },
    };
  } catch (err) {
    gammaGamma = failed(err, { customers: spend.filter((s) => s.zbar > 0).length, durationMs: elapsed(t0), dataMs: 0 });
  }
  return { bgnbd, gammaGamma };
}

export interface FitRun {
  runId: string;
  calibrationEnd: string;
  bgnbd: StoredFit<BgNbdParams>;
  gammaGamma: StoredFit<GammaGammaParams>;
}

/** insert-fit: records one model's fit attempt (ok or failed) of a run. */
async function insertFit(
  tx: Queryable,
  ws: string,
  runId: string,
  kind: 'bgnbd' | 'gamma_gamma',
  a: { status: string; message: string | null; params: unknown; diagnostics: unknown },
  day: string,
  now: Date,
  origin: FitOrigin,
): Promise<FitRow> {
  const [r] = await tx.query<FitRow>(
    `INSERT INTO model_fits (workspace_id, run_id, kind, status, message, params, diagnostics, calibration_end, created_at, origin)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::date, $9, $10) RETURNING ${COLUMNS}`,
    [
      ws,
      runId,
      kind,
      a.status,
      a.message,
      a.params ? JSON.stringify(a.params) : null,
      JSON.stringify(a.diagnostics),
      day,
      now.toISOString(),
      origin,
    ],
  );
  return r!;
}

/** Fits both models as of the calibration end and records both attempts (ok or failed) in model_fits. */
export async function fitAndRecord(
  db: Db,
  ws: string,
  cal: Calibration,
  settings: Pick<ModelSettings, 'minCustomers'>,
  now: Date,
  data?: CalibrationData,
  origin: FitOrigin = 'manual',
): Promise<FitRun> {
  const { bgnbd, gammaGamma } = await fitAsOf(db, ws, cal, settings, data);
  const runId = `fit_${randomBytes(6).toString('hex')}`;
  const rows = await db.transaction(async (tx) => {
    const out: FitRow[] = [];
    for (const [kind, a] of [
      ['bgnbd', bgnbd],
      ['gamma_gamma', gammaGamma],
    ] as const) {
      out.push(await insertFit(tx, ws, runId, kind, a, cal.day, now, origin));
    }
    return out;
  });
  return {
    runId,
    calibrationEnd: cal.day,
    bgnbd: view<BgNbdParams>(rows[0]!),
    gammaGamma: view<GammaGammaParams>(rows[1]!),
  };
}
