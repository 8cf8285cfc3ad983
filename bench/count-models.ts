// Benchmark: fit time of each purchase-count model (BG/NBD, Pareto/NBD, MBG/NBD, NBD) with the pure core, and of the
// whole holdout comparison (fits + Hessian standard errors + holdout scoring), on
//   (a) the CDNOW sample (2,357 customers, calibration to 1997-09-30, 39-week holdout), and
//   (b) 100k synthetic customers (× BENCH_SCALE) from a BG/NBD process seen at day resolution (CDNOW-like estimates,
//       first purchases over 52 weeks, a 26-week holdout drawn from the same process).
// Run alone: node --import tsx bench/count-models.ts. Prints a table to stderr and one BENCH_RESULT line (JSON).
import { readFileSync } from 'node:fs';
import { emit, scale } from './job.ts';
import { summarizeTransactions, groupSummaries, type GroupedSummaries } from '../src/models/summary.ts';
import { fitBgNbd } from '../src/models/bgnbd.ts';
import { fitParetoNbd } from '../src/models/paretonbd.ts';
import { fitMbgNbd } from '../src/models/mbgnbd.ts';
import { fitNbd } from '../src/models/nbd.ts';
import { compareModels, type HoldoutRow } from '../src/models/choice.ts';
import { simulateBgNbd, seededRandom } from '../src/models/simulate.ts';
import { shippedFile } from '../src/datasets/shipped.ts';

const SYNTHETIC = Math.round(100_000 * scale());
const log = (msg: string) => process.stderr.write(msg + '\n');
const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const v = f();
  return [v, +(performance.now() - t).toFixed(1)];
};

function cdnowRows(): HoldoutRow[] {
  const transactions = readFileSync(shippedFile('cdnow/CDNOW_sample.txt'), 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((line) => {
      const [, id, ymd] = line.trim().split(/\s+/);
      return { customerId: id, at: new Date(`${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6)}`), value: 1 };
    });
  return summarizeTransactions(transactions, {
    calibrationEnd: new Date('1997-09-30'),
    holdoutEnd: new Date('1998-06-30'),
  }).map((s) => ({ x: s.x, tx: s.tx, T: s.T, holdoutX: s.holdoutX ?? 0 }));
}

/** Synthetic calibration rows; the holdout count is a second draw over 26 weeks for the customers still buying (rough, for timing). */
function syntheticRows(n: number): HoldoutRow[] {
  const rng = seededRandom(17);
  return simulateBgNbd({ r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, n, { rng, cohortDays: 364 }).map((c) => ({
    ...c,
    holdoutX: c.x > 0 && rng() < 0.5 ? Math.round(rng() * 3) : 0,
  }));
}

function measure(name: string, rows: HoldoutRow[], holdoutWeeks: number) {
  const [g, groupMs] = time((): GroupedSummaries => groupSummaries(rows));
  const fits = {
    bgnbd: time(() => fitBgNbd(g))[1],
    pareto_nbd: time(() => fitParetoNbd(g))[1],
    mbg_nbd: time(() => fitMbgNbd(g))[1],
    nbd: time(() => fitNbd(g))[1],
  };
  const [cmp, compareMs] = time(() => compareModels(rows, holdoutWeeks));
  const row = {
    data: name,
    customers: rows.length,
    groups: g.size,
    groupMs,
    fitMs: fits,
    compareMs,
    chosen: cmp.chosen,
  };
  log(
    `${name}: ${rows.length} customers, ${g.size} triples (grouped in ${groupMs} ms); fit ms ${JSON.stringify(fits)}; comparison ${compareMs} ms → ${cmp.chosen}`,
  );
  return row;
}

const results = [measure('CDNOW', cdnowRows(), 39), measure(`synthetic ${SYNTHETIC}`, syntheticRows(SYNTHETIC), 26)];
emit({ job: 'count-models', results });
