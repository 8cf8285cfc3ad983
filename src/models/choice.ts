// Choosing a purchase-count model by holdout performance (pure): fits BG/NBD, Pareto/NBD and MBG/NBD on a calibration
// period, each with standard errors from the Hessian; a model whose dropout the data do not identify (flat likelihood,
// singular information, estimates running off) falls back to its no-dropout limit NBD with a warning instead of
// failing; then each predicts every customer's holdout purchases and the lowest mean absolute error per customer wins.
import { assertNever } from '../lib/index.ts';
import { ModelFitError } from './errors.ts';
import { asGroups } from './fitdata.ts';
import { standardErrors, type PositiveModel } from './mle.ts';
import {
  fitBgNbd,
  bgnbdLogLikelihood,
  expectedPurchases as bgnbdExpected,
  pAlive as bgnbdPAlive,
  type BgNbdParams,
} from './bgnbd.ts';
import {
  fitParetoNbd,
  paretoNbdModel,
  paretoNbdExpectedPurchases,
  paretoNbdPAlive,
  type ParetoNbdParams,
} from './paretonbd.ts';
import { fitMbgNbd, mbgNbdModel, mbgNbdExpectedPurchases, mbgNbdPAlive, type MbgNbdParams } from './mbgnbd.ts';
import { fitNbd, nbdExpectedPurchases, type NbdParams } from './nbd.ts';
import type { GroupedSummaries, RecencyFrequency } from './summary.ts';

export const COUNT_MODELS = ['bgnbd', 'pareto_nbd', 'mbg_nbd'] as const;
export type CountModelName = (typeof COUNT_MODELS)[number];

/** Estimates under the literature's names, tagged with the model that reads them. */
export type CountModelEstimates =
  | { model: 'bgnbd'; params: BgNbdParams }
  | { model: 'pareto_nbd'; params: ParetoNbdParams }
  | { model: 'mbg_nbd'; params: MbgNbdParams }
  | { model: 'nbd'; params: NbdParams };

export interface Predictor {
  /** P(alive at T | x, t_x, T). */
  pAlive(x: number, tx: number, T: number): number;
  /** E[Y(t) | x, t_x, T]: expected purchases in the next t periods. */
  expected(x: number, tx: number, T: number, t: number): number;
}

/** The one place that maps estimates to their model's P(alive) and conditional expectation. */
export function predictorOf(e: CountModelEstimates): Predictor {
  switch (e.model) {
    case 'bgnbd':
      return {
        pAlive: (x, tx, T) => bgnbdPAlive(e.params, x, tx, T),
        expected: (x, tx, T, t) => bgnbdExpected(e.params, x, tx, T, t),
      };
    case 'pareto_nbd':
      return {
        pAlive: (x, tx, T) => paretoNbdPAlive(e.params, x, tx, T),
        expected: (x, tx, T, t) => paretoNbdExpectedPurchases(e.params, x, tx, T, t),
      };
    case 'mbg_nbd':
      return {
        pAlive: (x, tx, T) => mbgNbdPAlive(e.params, x, tx, T),
        expected: (x, tx, T, t) => mbgNbdExpectedPurchases(e.params, x, tx, T, t),
      };
    case 'nbd':
      return { pAlive: () => 1, expected: (x, tx, T, t) => nbdExpectedPurchases(e.params, x, tx, T, t) };
    default:
      return assertNever(e, 'count model');
  }
}

export interface CandidateFit {
  model: CountModelName;
  status: 'ok' | 'failed';
  /** The model's own estimates (null when it failed or was not identified). */
  estimates: CountModelEstimates | null;
  /** Standard errors of the estimates (delta method on the log scale); null where the information is singular. */
  standardErrors: Record<string, number | null> | null;
  logLikelihood: number | null;
  /** Akaike's criterion 2k − 2 ln L of what predicts (the fallback's when there is one). */
  aic: number | null;
  /** What predicts: the estimates, or NBD when the dropout was not identified. */
  used: CountModelEstimates | null;
  warnings: string[];
  /** Why a failed fit failed (ModelFitError message) and its code. */
  message: string | null;
  code: string | null;
}

interface ModelRecord {
  /** The parameters of the dropout process: when one of them is not identified, NBD predicts instead. */
  dropout: readonly string[];
  fit: (
    g: GroupedSummaries,
    minCustomers: number,
  ) => CountModelEstimates & { logLikelihood: number; logParams: number[] };
  likelihood: (g: GroupedSummaries) => PositiveModel<Record<string, number>>;
}

/** Per model: how to fit it and its likelihood for the Hessian. */
function recordOf(model: CountModelName): ModelRecord {
  switch (model) {
    case 'bgnbd':
      return {
        dropout: ['a', 'b'],
        fit: (g, minCustomers) => {
          const f = fitBgNbd(g, { minCustomers });
          const { r, alpha, a, b } = f.params;
          return { model, params: f.params, logLikelihood: f.logLikelihood, logParams: [r, alpha, a, b].map(Math.log) };
        },
        likelihood: (g) => ({
          names: ['r', 'alpha', 'a', 'b'],
          logLikelihood: (p) => bgnbdLogLikelihood(p as unknown as BgNbdParams, g),
        }),
      };
    case 'pareto_nbd':
      return {
        dropout: ['s', 'beta'],
        fit: (g, minCustomers) => {
          const { params, logLikelihood, logParams } = fitParetoNbd(g, { minCustomers });
          return { model, params, logLikelihood, logParams };
        },
        likelihood: (g) => paretoNbdModel(g) as unknown as PositiveModel<Record<string, number>>,
      };
    case 'mbg_nbd':
      return {
        dropout: ['a', 'b'],
        fit: (g, minCustomers) => {
          const { params, logLikelihood, logParams } = fitMbgNbd(g, { minCustomers });
          return { model, params, logLikelihood, logParams };
        },
        likelihood: (g) => mbgNbdModel(g) as unknown as PositiveModel<Record<string, number>>,
      };
    default:
      return assertNever(model, 'count model');
  }
}

/** Codes after which NBD is tried: the data may support purchases without a dropout process. */
const FALL_BACK_ON = new Set(['degenerate_estimates', 'did_not_converge']);

/** Fits one model with its standard errors; falls back to NBD (with a warning) when its parameters are not identified. */
export function fitCandidate(
  model: CountModelName,
  data: GroupedSummaries | ArrayLike<RecencyFrequency>,
  minCustomers = 30,
): CandidateFit {
  const g = asGroups(model, data);
  const rec = recordOf(model);
  const out: CandidateFit = {
    model,
    status: 'ok',
    estimates: null,
    standardErrors: null,
    logLikelihood: null,
    aic: null,
    used: null,
    warnings: [],
    message: null,
    code: null,
  };
  let unidentified: string[];
  try {
    const fit = rec.fit(g, minCustomers);
    const { logLikelihood, logParams, ...estimates } = fit;
    out.estimates = estimates as CountModelEstimates;
    out.logLikelihood = logLikelihood;
    const se = standardErrors(rec.likelihood(g), logParams);
    out.standardErrors = se.standardErrors;
    unidentified = se.unidentified;
    out.aic = 2 * logParams.length - 2 * logLikelihood;
    if (unidentified.length > 0) {
      out.warnings.push(
        `${unidentified.join(', ')} not identified: the likelihood is nearly flat along ${unidentified.length > 1 ? 'them' : 'it'}`,
      );
    }
    if (!unidentified.some((k) => rec.dropout.includes(k))) {
      out.used = out.estimates;
      return out;
    }
  } catch (err) {
    if (!(err instanceof ModelFitError)) throw err;
    if (!FALL_BACK_ON.has(err.code)) return { ...out, status: 'failed', message: err.message, code: err.code };
    out.warnings.push(err.message);
  }
  try {
    const nbd = fitNbd(g, { minCustomers });
    out.used = { model: 'nbd', params: nbd.params };
    out.aic = 4 - 2 * nbd.logLikelihood;
    out.warnings.push('predicting with NBD (no dropout) instead');
    return out;
  } catch (err) {
    if (!(err instanceof ModelFitError)) throw err;
    return { ...out, status: 'failed', used: null, message: err.message, code: err.code };
  }
}

export interface HoldoutRow extends RecencyFrequency {
  /** Purchases in the holdout period. */
  holdoutX: number;
}

export interface HoldoutScore {
  customers: number;
  actual: number;
  predicted: number;
  /** Mean over customers of |actual − predicted| holdout purchases. */
  meanAbsoluteError: number;
}

/** How one predictor does on the holdout: per customer E[Y(holdout) | calibration] against the real count. */
export function holdoutScore(p: Predictor, rows: ArrayLike<HoldoutRow>, holdoutLength: number): HoldoutScore {
  const cache = new Map<string, number>();
  let actual = 0;
  let predicted = 0;
  let absolute = 0;
  for (let i = 0; i < rows.length; i++) {
    const { x, tx, T, holdoutX } = rows[i];
    const key = `${x}|${tx}|${T}`;
    let e = cache.get(key);
    if (e === undefined) {
      e = p.expected(x, tx, T, holdoutLength);
      cache.set(key, e);
    }
    actual += holdoutX;
    predicted += e;
    absolute += Math.abs(holdoutX - e);
  }
  const n = rows.length;
  return { customers: n, actual, predicted, meanAbsoluteError: n ? absolute / n : 0 };
}

export interface ModelComparison {
  candidates: (CandidateFit & { holdout: HoldoutScore | null })[];
  /** Lowest holdout error among the models that gave a predictor (ties: higher log-likelihood); null if none did. */
  chosen: CountModelName | null;
}

/** Fits every model on the calibration rows and scores it on their holdout counts (holdoutLength in the rows' time unit). */
export function compareModels(rows: ArrayLike<HoldoutRow>, holdoutLength: number, minCustomers = 30): ModelComparison {
  const g = asGroups('models', rows);
  const candidates = COUNT_MODELS.map((m) => {
    const c = fitCandidate(m, g, minCustomers);
    return { ...c, holdout: c.used ? holdoutScore(predictorOf(c.used), rows, holdoutLength) : null };
  });
  let chosen: (typeof candidates)[number] | null = null;
  for (const c of candidates) {
    if (!c.holdout) continue;
    const better =
      !chosen ||
      c.holdout.meanAbsoluteError < chosen.holdout!.meanAbsoluteError - 1e-12 ||
      (Math.abs(c.holdout.meanAbsoluteError - chosen.holdout!.meanAbsoluteError) <= 1e-12 &&
        (c.logLikelihood ?? -Infinity) > (chosen.logLikelihood ?? -Infinity));
    if (better) chosen = c;
  }
  return { candidates, chosen: chosen?.model ?? null };
}
