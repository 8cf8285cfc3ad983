// Model choice by holdout performance: on CDNOW (calibration to 1997-09-30, 39-week holdout) every model fits, is
// scored on the 1,882 holdout purchase days and the lowest mean absolute error wins; on a base where nobody drops out,
// each model's dropout is not identified and it falls back to NBD with a warning instead of failing.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { summarizeTransactions } from '../../src/models/summary.ts';
import {
  compareModels,
  fitCandidate,
  predictorOf,
  COUNT_MODELS,
  type ModelComparison,
  type HoldoutRow,
} from '../../src/models/choice.ts';
import { fitNbd } from '../../src/models/nbd.ts';
import { simulateBgNbd, seededRandom } from '../../src/models/simulate.ts';
import { shippedFile } from '../../src/datasets/shipped.ts';

function cdnowHoldoutRows(): HoldoutRow[] {
  const transactions = readFileSync(shippedFile('cdnow/CDNOW_sample.txt'), 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((line) => {
      const [, sampleId, ymd, , dollars] = line.trim().split(/\s+/);
      return {
        customerId: sampleId,
        at: new Date(`${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6)}`),
        value: Number(dollars),
      };
    });
  return summarizeTransactions(transactions, {
    calibrationEnd: new Date('1997-09-30'),
    holdoutEnd: new Date('1998-06-30'),
  }).map((s) => ({ x: s.x, tx: s.tx, T: s.T, holdoutX: s.holdoutX ?? 0 }));
}

describe('model choice on CDNOW', () => {
  let rows: HoldoutRow[];
  let cmp: ModelComparison;
  before(() => {
    rows = cdnowHoldoutRows();
    cmp = compareModels(rows, 39);
  });
  it('fits all three models with their own estimates, standard errors and no warning', () => {
    assert.deepEqual(
      cmp.candidates.map((c) => [c.model, c.status, c.used?.model, c.warnings]),
      COUNT_MODELS.map((m) => [m, 'ok', m, []]),
    );
    for (const c of cmp.candidates)
      assert.ok(
        Object.values(c.standardErrors ?? {}).every((v) => v !== null && v > 0),
        `${c.model} standard errors`,
      );
  });
  it('scores each on the same 2,357 customers and 1,882 holdout purchase days', () => {
    for (const c of cmp.candidates) assert.deepEqual([c.holdout?.customers, c.holdout?.actual], [2357, 1882], c.model);
  });
  it('chooses the model with the lowest mean absolute error per customer', () => {
    const errors = cmp.candidates.map((c) => c.holdout!.meanAbsoluteError);
    assert.equal(cmp.chosen, cmp.candidates[errors.indexOf(Math.min(...errors))].model);
    // the error is a real per-customer error: recompute the chosen one from its predictor
    const chosen = cmp.candidates.find((c) => c.model === cmp.chosen)!;
    const p = predictorOf(chosen.used!);
    const mae = rows.reduce((s, r) => s + Math.abs(r.holdoutX - p.expected(r.x, r.tx, r.T, 39)), 0) / rows.length;
    assert.ok(Math.abs(mae - chosen.holdout!.meanAbsoluteError) < 1e-9);
  });
  it('reports AIC = 2k − 2 ln L with k = 4 for every model', () => {
    for (const c of cmp.candidates) assert.ok(Math.abs(c.aic! - (8 - 2 * c.logLikelihood!)) < 1e-9, c.model);
  });
});

describe('a base where nobody drops out', () => {
  // BG/NBD with p ~ Beta(0.001, 1000): dropout probability ≈ 1e-6 per purchase, i.e. an NBD process
  const rows = simulateBgNbd({ r: 0.5, alpha: 5, a: 0.001, b: 1000 }, 1500, {
    rng: seededRandom(7),
    cohortDays: 400,
    resolution: 'continuous',
  });
  for (const model of COUNT_MODELS) {
    it(`${model}: warns that the dropout is not identified and predicts with NBD instead of failing`, () => {
      const c = fitCandidate(model, rows);
      assert.equal(c.status, 'ok');
      assert.equal(c.used?.model, 'nbd');
      assert.match(c.warnings.join(' | '), /not identified.*NBD/);
      assert.deepEqual(c.used?.params, fitNbd(rows).params);
      assert.equal(predictorOf(c.used!).pAlive(0, 0, 50), 1);
    });
  }
  it('NBD recovers the purchase rate: r ≈ 0.5, α ≈ 5 (within 20 %)', () => {
    const { r, alpha } = fitNbd(rows).params;
    assert.ok(Math.abs(r / 0.5 - 1) < 0.2 && Math.abs(alpha / 5 - 1) < 0.2, `r=${r}, α=${alpha}`);
  });
});
