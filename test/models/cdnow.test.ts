// Reproduces the published CDNOW results (shipped in datasets/cdnow): the standard summary of the
// 2,357-customer sample, the BG/NBD and Gamma-Gamma estimates, and the BG/NBD conditional expectation.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  summarizeTransactions,
  groupSummaries,
  type CustomerSummary,
  type Transaction,
} from '../../src/models/summary.ts';
import { fitBgNbd, bgnbdLogLikelihood, expectedPurchases, type BgNbdFit } from '../../src/models/bgnbd.ts';
import { fitGammaGamma, gammaGammaLogLikelihood, repeatBuyers } from '../../src/models/gammagamma.ts';
import { shippedFile } from '../../src/datasets/shipped.ts';

const data = (file: string) => readFileSync(shippedFile(`cdnow/${file}`), 'utf8');

/** CDNOW_sample.txt: `master_id sample_id YYYYMMDD number_of_cds dollar_value`. The reference summary's ID is the
 * sample_id (1…2357; customer 1 is master_id 00004), so that is the id we keep. */
function cdnowTransactions(): Transaction[] {
  return data('CDNOW_sample.txt')
    .trim()
    .split(/\r?\n/)
    .map((line) => {
      const [, sampleId, ymd, , dollars] = line.trim().split(/\s+/);
      return {
        customerId: String(Number(sampleId)),
        at: new Date(`${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6)}`),
        value: Number(dollars),
      };
    });
}

function referenceSummary(): Map<string, { x: number; tx: number; T: number; zbar: number }> {
  const [header, ...lines] = data('cdnow_customers_summary_with_transactions.csv').trim().split(/\r?\n/);
  assert.equal(header, 'ID,x,t_x,T,zbar');
  return new Map(
    lines.map((l) => {
      const [id, x, tx, T, zbar] = l.split(',');
      return [id, { x: Number(x), tx: Number(tx), T: Number(T), zbar: Number(zbar) }];
    }),
  );
}

const threeSignificant = (v: number) => Number(v.toPrecision(3));

let summaries: CustomerSummary[];
before(() => {
  summaries = summarizeTransactions(cdnowTransactions(), {
    calibrationEnd: new Date('1997-09-30'),
    holdoutEnd: new Date('1998-06-30'),
  });
});

describe('CDNOW summary (calibration to 1997-09-30, holdout to 1998-06-30)', () => {
  it('derives (x, t_x, T, zbar) equal to the reference CSV for every one of the 2,357 customers', () => {
    const reference = referenceSummary();
    assert.equal(summaries.length, 2357);
    assert.equal(reference.size, 2357);
    for (const s of summaries) {
      const ref = reference.get(s.customerId);
      assert.ok(ref, `customer ${s.customerId} is in the reference`);
      assert.deepEqual({ x: s.x, tx: s.tx, T: s.T }, { x: ref.x, tx: ref.tx, T: ref.T }, `customer ${s.customerId}`);
      // the CSV shows zbar in cents: equal to within half a cent
      assert.ok(Math.abs(s.zbar - ref.zbar) <= 0.005 + 1e-9, `customer ${s.customerId}: zbar ${s.zbar} vs ${ref.zbar}`);
    }
  });
  it('counts 2,457 repeat purchases in calibration and 1,882 purchase days in the holdout', () => {
    assert.equal(
      summaries.reduce((n, s) => n + s.x, 0),
      2457,
    );
    assert.equal(
      summaries.reduce((n, s) => n + (s.holdoutX ?? 0), 0),
      1882,
    );
  });
  it('customer 1 (master id 00004) bought on 1997-01-01, 01-18 and 08-02 in calibration, once in the holdout', () => {
    const c1 = summaries.find((s) => s.customerId === '1')!;
    assert.deepEqual(
      { x: c1.x, tx: c1.tx, T: c1.T, holdoutX: c1.holdoutX },
      { x: 2, tx: 30.43, T: 38.86, holdoutX: 1 },
    );
    assert.ok(Math.abs(c1.zbar - (29.73 + 14.96) / 2) < 1e-9);
  });
});

describe('BG/NBD on CDNOW (Fader, Hardie & Lee 2005)', () => {
  let fit: BgNbdFit;
  let coldMs: number;
  before(() => {
    const start = performance.now();
    fit = fitBgNbd(groupSummaries(summaries));
    coldMs = performance.now() - start;
  });
  it('estimates r = 0.2426, α = 4.4137, a = 0.7930, b = 2.4262 (to 3 significant figures)', () => {
    const { r, alpha, a, b } = fit.params;
    assert.deepEqual([r, alpha, a, b].map(threeSignificant), [0.243, 4.41, 0.793, 2.43]);
  });
  it('reaches log-likelihood −9582.43', () => {
    assert.ok(Math.abs(fit.logLikelihood - -9582.43) <= 0.01, `got ${fit.logLikelihood}`);
    assert.ok(
      Math.abs(bgnbdLogLikelihood({ r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 }, summaries) - -9582.43) <= 0.01,
    );
  });
  it('works on the distinct (x, t_x, T) triples, not on the customers', () => {
    assert.equal(fit.customers, 2357);
    assert.ok(fit.groups < fit.customers / 2, `${fit.groups} groups`);
  });
  it('expects 1.226 purchases in the next 39 weeks from a customer with x = 2, t_x = 30.43, T = 38.86', () => {
    assert.equal(threeSignificant(expectedPurchases(fit.params, 2, 30.43, 38.86, 39)), 1.23);
    assert.equal(expectedPurchases(fit.params, 2, 30.43, 38.86, 39).toFixed(3), '1.226');
  });
  it('timing of the CDNOW fit (reported, not asserted)', (t) => {
    const grouped = groupSummaries(summaries);
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const start = performance.now();
      fitBgNbd(grouped);
      times.push(performance.now() - start);
    }
    times.sort((p, q) => p - q);
    t.diagnostic(
      `BG/NBD fit on ${grouped.size} triples: first ${coldMs.toFixed(1)} ms (cold, with grouping), then median ${times[7].toFixed(1)} ms, best ${times[0].toFixed(1)} ms`,
    );
  });
});

describe('Gamma-Gamma on the CDNOW repeat buyers', () => {
  it('has 946 repeat buyers whose mean repeat spend is $35.08', () => {
    const buyers = repeatBuyers(summaries);
    assert.equal(buyers.length, 946);
    assert.equal((buyers.reduce((s, c) => s + c.zbar, 0) / buyers.length).toFixed(2), '35.08');
  });
  it('estimates p = 6.25, q = 3.74, γ = 15.44 (to 3 significant figures)', () => {
    const fit = fitGammaGamma(summaries);
    assert.equal(fit.customers, 946);
    assert.deepEqual([fit.params.p, fit.params.q, fit.params.gamma].map(threeSignificant), [6.25, 3.74, 15.4]);
    assert.ok(
      fit.logLikelihood >= -4055.92 - 0.01,
      `the maximum is at least the published value (got ${fit.logLikelihood})`,
    );
  });
  it('has log-likelihood −4055.92 at the published estimates', () => {
    const ll = gammaGammaLogLikelihood({ p: 6.25, q: 3.74, gamma: 15.44 }, summaries);
    assert.ok(Math.abs(ll - -4055.92) <= 0.01, `got ${ll}`);
  });
});
