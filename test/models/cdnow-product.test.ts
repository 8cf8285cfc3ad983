// The CDNOW reproduction through the product (shipped in datasets/cdnow): import the sample as orders, derive
// (x, t_x, T, zbar) in SQL, fit with calibration end 1997-09-30 and find the published estimates in model_fits,
// then the holdout validation (API function and `retain models validate`) against counts taken from the file itself,
// and the worker's scheduled fit keeping to that calibration end (the README's check stays true after a start).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { importFile } from '../../src/import/import.ts';
import { runModels, type ModelRun } from '../../src/models/store/run.ts';
import { currentModels } from '../../src/models/store/fits.ts';
import { fitDueWorkspaces } from '../../src/models/store/job.ts';
import { calibrationOf, customerFacts, weeks } from '../../src/models/store/derive.ts';
import { validateModels } from '../../src/models/store/validation.ts';
import { runModelsCommand } from '../../src/cli/models.ts';
import { summarizeTransactions } from '../../src/models/summary.ts';
import { expectedPurchases, fitBgNbd } from '../../src/models/bgnbd.ts';
import { shippedFile } from '../../src/datasets/shipped.ts';

const file = (name: string) => shippedFile(`cdnow/${name}`);
const SAMPLE = file('CDNOW_sample.txt');
const sig3 = (v: number) => Number(v.toPrecision(3));

/** The sample straight from the file: sample id, day (YYYY-MM-DD), dollars. */
const lines = readFileSync(SAMPLE, 'utf8')
  .trim()
  .split(/\r?\n/)
  .map((l) => {
    const [, id, ymd, , dollars] = l.trim().split(/\s+/);
    return {
      id: String(Number(id)),
      day: `${ymd!.slice(0, 4)}-${ymd!.slice(4, 6)}-${ymd!.slice(6)}`,
      dollars: Number(dollars),
    };
  });

describe(`CDNOW through the product (${backend})`, () => {
  let t: TestDb;
  let run: ModelRun;
  before(async () => {
    t = await freshDb();
    const s = await importFile(t.db, t.workspaceId, {
      kind: 'orders',
      preset: 'cdnow',
      file: SAMPLE,
      rejectsFile: join(tmpdir(), `cdnow-models-${process.pid}.csv`),
    });
    assert.deepEqual([s.accepted, s.rejected], [6919, 0]);
  });
  after(async () => t.close());

  it('derives (x, t_x, T, zbar) equal to cdnow_customers_summary_with_transactions.csv for every customer', async () => {
    const [header, ...rows] = readFileSync(file('cdnow_customers_summary_with_transactions.csv'), 'utf8')
      .trim()
      .split(/\r?\n/);
    assert.equal(header, 'ID,x,t_x,T,zbar');
    const reference = new Map(
      rows.map((l) => {
        const [id, x, tx, T, zbar] = l.split(',').map(Number);
        return [String(id), { x: x!, tx: tx!, T: T!, zbar: zbar! }];
      }),
    );
    const wrong: string[] = [];
    let n = 0;
    for await (const batch of customerFacts(t.db, t.workspaceId, calibrationOf('1997-09-30'), 700)) {
      for (const c of batch) {
        n++;
        const x = c.days! - 1;
        const ours = { x, tx: weeks(c.spanDays!), T: weeks(c.ageDays!), zbar: x > 0 ? c.repeatValue / x : 0 };
        const ref = reference.get(c.userId!)!;
        if (
          ours.x !== ref.x ||
          ours.tx !== ref.tx ||
          ours.T !== ref.T ||
          Math.abs(ours.zbar - ref.zbar) > 0.005 + 1e-9
        ) {
          wrong.push(`${c.userId}: ${JSON.stringify(ours)} vs ${JSON.stringify(ref)}`);
        }
      }
    }
    assert.equal(n, 2357);
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} customers differ`);
  });

  it('fits with calibration end 1997-09-30 and stores r = 0.2426, α = 4.4137, a = 0.7930, b = 2.4262, LL −9582.43; p = 6.25, q = 3.74, γ = 15.44', async (tc) => {
    run = await runModels(t.db, t.workspaceId, { calibrationEnd: '1997-09-30', now: new Date('2026-01-01T00:00:00Z') });
    const { bgnbd, gammaGamma } = await currentModels(t.db, t.workspaceId);
    assert.equal(bgnbd!.id, run.fit.bgnbd.id, 'the stored fit is the model in use');
    const { r, alpha, a, b } = bgnbd!.params!;
    assert.deepEqual([r, alpha, a, b].map(sig3), [0.243, 4.41, 0.793, 2.43]);
    assert.ok(Math.abs(bgnbd!.diagnostics.logLikelihood! - -9582.43) <= 0.01, `LL ${bgnbd!.diagnostics.logLikelihood}`);
    assert.deepEqual(
      [
        bgnbd!.diagnostics.customers,
        bgnbd!.diagnostics.repeatBuyers,
        bgnbd!.diagnostics.converged,
        bgnbd!.calibrationEnd,
      ],
      [2357, 946, true, '1997-09-30'],
    );
    const { p, q, gamma } = gammaGamma!.params!;
    assert.deepEqual([p, q, gamma].map(sig3), [6.25, 3.74, 15.4]);
    assert.equal(gammaGamma!.params!.gamma.toFixed(2), '15.44');
    assert.equal(gammaGamma!.diagnostics.customers, 946);
    assert.equal(expectedPurchases(bgnbd!.params!, 2, 30.43, 38.86, 39).toFixed(3), '1.226');
    const d = run.fit.bgnbd.diagnostics;
    tc.diagnostic(
      `CDNOW through the product (${backend}): BG/NBD ${d.durationMs} ms fitting + ${d.dataMs} ms reading (${d.groups} groups); ` +
        `Gamma-Gamma ${run.fit.gammaGamma.diagnostics.durationMs} ms + ${run.fit.gammaGamma.diagnostics.dataMs} ms; scoring ${run.scoring.customers} customers ${run.scoring.durationMs} ms`,
    );
    const [one] = await t.db.query<{ rfm_segment: string; p_alive: number; lifecycle_stage: string }>(
      "SELECT rfm_segment, p_alive, lifecycle_stage FROM customers WHERE workspace_id = $1 AND user_id = '1'",
      [t.workspaceId],
    );
    assert.ok(one!.rfm_segment && one!.lifecycle_stage && one!.p_alive > 0 && one!.p_alive < 1, JSON.stringify(one));
  });

  it('validation: per calibration frequency 0 … 7+, the actual holdout purchases equal the file’s, the predicted equal the pure core’s', async () => {
    // from the file, independently: distinct purchase days per customer in calibration and in the holdout
    const days = new Map<string, Set<string>>();
    for (const l of lines) (days.get(l.id) ?? days.set(l.id, new Set()).get(l.id)!).add(l.day);
    const expected = Array.from({ length: 8 }, () => ({ customers: 0, actual: 0 }));
    for (const set of days.values()) {
      const cal = [...set].filter((d) => d <= '1997-09-30').length;
      const hold = [...set].filter((d) => d > '1997-09-30' && d <= '1998-06-30').length;
      if (cal === 0) continue;
      expected[Math.min(cal - 1, 7)]!.customers++;
      expected[Math.min(cal - 1, 7)]!.actual += hold;
    }
    // predictions of the pure core on the same customers
    const summaries = summarizeTransactions(
      lines.map((l) => ({ customerId: l.id, at: new Date(l.day), value: l.dollars })),
      { calibrationEnd: new Date('1997-09-30') },
    );
    const fit = fitBgNbd(summaries);
    const predicted = new Array(8).fill(0);
    for (const s of summaries) predicted[Math.min(s.x, 7)] += expectedPurchases(fit.params, s.x, s.tx, s.T, 39);

    const v = await validateModels(t.db, t.workspaceId, { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' });
    assert.equal(v.holdoutWeeks, 39);
    assert.deepEqual(
      v.bins.map((b) => b.bin),
      ['0', '1', '2', '3', '4', '5', '6', '7+'],
    );
    assert.deepEqual(
      v.bins.map((b) => [b.customers, b.actual]),
      expected.map((e) => [e.customers, e.actual]),
    );
    assert.deepEqual([v.total.customers, v.total.actual], [2357, 1882]);
    v.bins.forEach((b, i) =>
      assert.ok(
        Math.abs(b.predicted - predicted[i]) < 1e-6 * predicted[i],
        `bin ${b.bin}: ${b.predicted} vs ${predicted[i]}`,
      ),
    );
    assert.equal(v.bins[0]!.actualMean.toFixed(3), '0.237');
    assert.equal(v.bins[0]!.predictedMean.toFixed(3), '0.225');
  });

  it('`retain models validate` prints the estimates, the table per bin and the ASCII chart', async () => {
    let out = '';
    const code = await runModelsCommand(
      t.db,
      ['validate', '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--workspace', t.workspaceId],
      {
        stdout: { write: (s: string) => (out += s) },
      },
    );
    assert.equal(code, 0);
    assert.match(out, /calibration up to 1997-09-30, holdout after it up to 1998-06-30 \(39\.0 weeks\)/);
    assert.match(out, /BG\/NBD +r = 0\.2426, α = 4\.413\d, a = 0\.79\d\d, b = 2\.42\d\d/);
    assert.match(out, /log-likelihood -9,582\.43/);
    assert.match(out, /Gamma-Gamma +p = 6\.2\d\d\d, q = 3\.7\d\d\d, γ = 15\.44\d\d/);
    assert.match(out, /^x +customers +actual +predicted +actual\/customer +predicted\/customer$/m);
    assert.match(out, /^0 +1,411 +334 +317\.6 +0\.237 +0\.225$/m);
    assert.match(out, /^total +2,357 +1,882 +1,653\.4$/m);
    assert.match(out, /^ 7\+ \|#{44} 6\.359$/m, 'the largest bar is full width');
    assert.match(out, /^ {4}\|={40,44} +6\.157$/m);
  });

  it('`retain models fit` reports the run; a bad date is refused with a clear message', async () => {
    let out = '';
    const code = await runModelsCommand(
      t.db,
      ['fit', '--calibration-end', '1997-09-30', '--workspace', t.workspaceId],
      { stdout: { write: (s: string) => (out += s) }, now: () => new Date('2026-01-02T00:00:00Z') },
    );
    assert.equal(code, 0);
    assert.match(out, /^Fitted as of 1997-09-30 \(run fit_[0-9a-f]+\)\.$/m);
    assert.match(
      out,
      /^Scored 2,357 customers as of 1997-09-30 in \d+\.\d s: 0 with a new RFM segment, churn risk or stage/m,
    );
    assert.match(
      out,
      /^These are the live scores now, as of 1997-09-30: the worker's scheduled fit keeps this calibration end \(it refits as of 1997-09-30 and does not move the scores to today\)\.$/m,
    );
    assert.match(
      out,
      /^To follow today again: retain models fit \(without --calibration-end\)\. To compare a past day without changing the live scores: retain models validate\.$/m,
    );
    await assert.rejects(
      runModelsCommand(t.db, ['fit', '--calibration-end', '30/09/1997']),
      /"30\/09\/1997" is not a date: write YYYY-MM-DD/,
    );
    await assert.rejects(runModelsCommand(t.db, ['predict']), /unknown models command "predict"/);
  });

  it("the README check stays true after `npm start`: the worker's first scheduled fit keeps 1997-09-30 and the published estimates", async () => {
    const { runs, errors } = await fitDueWorkspaces(t.db, new Date('2026-01-02T00:05:00Z'));
    assert.deepEqual(errors, []);
    const run = runs.find((r) => r.workspaceId === t.workspaceId)!.run;
    assert.deepEqual([run.origin, run.fit.calibrationEnd, run.scoring.written], ['schedule', '1997-09-30', 0]);
    const { bgnbd } = await currentModels(t.db, t.workspaceId);
    const { r, alpha, a, b } = bgnbd!.params!;
    assert.deepEqual(
      [r, alpha, a, b].map((v) => v.toFixed(4)),
      ['0.2426', '4.4135', '0.7929', '2.4258'],
      'as the README prints them',
    );
    assert.equal(bgnbd!.diagnostics.logLikelihood!.toFixed(2), '-9582.43');
    let out = '';
    await runModelsCommand(
      t.db,
      ['validate', '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--workspace', t.workspaceId],
      { stdout: { write: (s: string) => (out += s) } },
    );
    assert.match(out, /^A what-if: nothing is stored, the live scores do not change\.$/m);
  });
});
