// Benchmark: the churn and value models.
//   (a) BG/NBD + Gamma-Gamma fit on the CDNOW sample's summaries (src/models/summary.ts from the raw transactions,
//       calibration end 1997-09-30): the cold first fit of the process and the median of 20 warm ones; the estimates
//       must be the published ones (3 significant figures) or the job fails.
//   (b) fit + score of 1M synthetic customers (BG/NBD process, Gamma-Gamma spend; × BENCH_SCALE) with the pure core:
//       groupSummaries → fitBgNbd + fitGammaGamma → scoreGroups, then per customer P(alive), expected purchases,
//       risk band, expected order value and a 12-month CLV; process RSS sampled every 20 ms.
//   (c) fit + score through the product (runModels: SQL reads, model_fits rows, customers updated in batches) on the
//       synthetic shop of bench/shop.ts (1M customers on PostgreSQL, 100k on PGlite, × BENCH_SCALE) with only the
//       orders' events: a first run (every customer gets scores for the first time: changes queued, stage events
//       written), a second one the same day (same scores: nothing written) and one the next day (T grows by a day, so
//       P(alive), expected purchases and CLV change for nearly everyone: the daily schedule's case).
// Prints one BENCH_RESULT line (JSON).
import { readFileSync, existsSync } from 'node:fs';
import { freshBenchDb, type Backend } from './backend.ts';
import type { Db } from '../src/store/db.ts';
import { argValue, emit, scale } from './job.ts';
import { processCpu, rssSampler, timedDb } from './timing.ts';
import { loadShop, SHOP_DEFAULTS } from './shop.ts';
import {
  summarizeTransactions,
  groupSummaries,
  type Transaction,
  type CustomerSummary,
} from '../src/models/summary.ts';
import { fitBgNbd, scoreGroups, expectedPurchases } from '../src/models/bgnbd.ts';
import { fitGammaGamma, expectedAverageValue, customerLifetimeValue } from '../src/models/gammagamma.ts';
import { riskBand, DEFAULT_RISK_THRESHOLDS } from '../src/models/churn.ts';
import { simulateBgNbd, seededRandom, randomGamma } from '../src/models/simulate.ts';
import { runModels, type ModelRun } from '../src/models/store/run.ts';
import { shippedFile } from '../src/datasets/shipped.ts';

const backend = (argValue('backend') ?? 'pglite') as Backend;
const pg = backend === 'postgres';
const PURE_CUSTOMERS = Math.round(1_000_000 * scale());
const PRODUCT_CUSTOMERS = Math.round((pg ? 1_000_000 : 100_000) * scale());
const CDNOW = process.env.BENCH_CDNOW_FILE ?? shippedFile('cdnow/CDNOW_sample.txt');
const WARM_FITS = 20;
// CLV as the product computes it by default: 12 months of 52/12 weeks, 1 % discount per month, margin 1
const CLV = { periods: 12, periodLength: 52 / 12, discountRate: 0.01 };
const HORIZON_WEEKS = 90 / 7;

const log = (msg: string) => process.stderr.write(msg + '\n');
const since = (t: number) => +(performance.now() - t).toFixed(2);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sig3 = (v: number) => Number(v.toPrecision(3));

// ---------------------------------------------------------------- (a) CDNOW
function cdnow(problems: string[]) {
  if (!existsSync(CDNOW)) {
    problems.push(`CDNOW sample missing: ${CDNOW}`);
    return null;
  }
  let t = performance.now();
  const transactions: Transaction[] = readFileSync(CDNOW, 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((line) => {
      const [, sampleId, ymd, , dollars] = line.trim().split(/\s+/);
      return {
        customerId: String(Number(sampleId)),
        at: new Date(`${ymd!.slice(0, 4)}-${ymd!.slice(4, 6)}-${ymd!.slice(6)}T00:00:00Z`),
        value: Number(dollars),
      };
    });
  const summaries = summarizeTransactions(transactions, { calibrationEnd: new Date('1997-09-30T00:00:00Z') });
  const summaryMs = since(t);
  const fitBoth = (rows: CustomerSummary[]) => {
    const bg = fitBgNbd(groupSummaries(rows));
    const gg = fitGammaGamma(rows);
    return { bg, gg };
  };
  t = performance.now();
  const cold = fitBoth(summaries);
  const coldMs = since(t);
  const warm: number[] = [];
  const split = { bgnbd: [] as number[], gammaGamma: [] as number[] };
  for (let i = 0; i < WARM_FITS; i++) {
    t = performance.now();
    const g = groupSummaries(summaries);
    fitBgNbd(g);
    const mid = performance.now();
    fitGammaGamma(summaries);
    const end = performance.now();
    warm.push(+(end - t).toFixed(2));
    split.bgnbd.push(mid - t);
    split.gammaGamma.push(end - mid);
  }
  const { r, alpha, a, b } = cold.bg.params;
  const { p, q, gamma } = cold.gg.params;
  const got = { r: sig3(r), alpha: sig3(alpha), a: sig3(a), b: sig3(b), p: sig3(p), q: sig3(q), gamma: sig3(gamma) };
  const published = { r: 0.243, alpha: 4.41, a: 0.793, b: 2.43, p: 6.25, q: 3.74, gamma: 15.4 };
  for (const [k, v] of Object.entries(published)) {
    if (got[k as keyof typeof got] !== v) problems.push(`CDNOW ${k} = ${got[k as keyof typeof got]}, published ${v}`);
  }
  if (Math.abs(cold.bg.logLikelihood - -9582.43) > 0.01)
    problems.push(`CDNOW BG/NBD log-likelihood ${cold.bg.logLikelihood.toFixed(2)} ≠ −9582.43`);
  const e = expectedPurchases(cold.bg.params, 2, 30.43, 38.86, 39);
  if (Math.abs(e - 1.226) > 0.0005) problems.push(`CDNOW E[Y(39) | 2, 30.43, 38.86] = ${e.toFixed(4)} ≠ 1.226`);
  return {
    customers: summaries.length,
    transactions: transactions.length,
    groups: cold.bg.groups,
    summaryMs,
    coldMs,
    warmMs: warm,
    warmMedianMs: median(warm),
    warmMedianSplitMs: { bgnbd: +median(split.bgnbd).toFixed(2), gammaGamma: +median(split.gammaGamma).toFixed(2) },
    iterations: { bgnbd: cold.bg.iterations, gammaGamma: cold.gg.iterations },
    evaluations: { bgnbd: cold.bg.evaluations, gammaGamma: cold.gg.evaluations },
    estimates: got,
    logLikelihood: +cold.bg.logLikelihood.toFixed(2),
  };
}

// ---------------------------------------------------------------- (b) 1M customers, pure core
function pureCore(problems: string[]) {
  const truth = { bgnbd: SHOP_DEFAULTS.bgnbd, spend: SHOP_DEFAULTS.spend };
  let t = performance.now();
  const rng = seededRandom(SHOP_DEFAULTS.seed);
  const rows = simulateBgNbd(truth.bgnbd, PURE_CUSTOMERS, { rng, cohortDays: SHOP_DEFAULTS.cohortDays }) as {
    x: number;
    tx: number;
    T: number;
    zbar: number;
  }[];
  // spend: ν ~ Gamma(q, γ) per customer, zbar = mean of x Gamma(p, ν) values = Gamma(p·x, ν) / x
  for (const row of rows) {
    const nu = randomGamma(rng, truth.spend.q, truth.spend.gamma);
    row.zbar = row.x > 0 ? randomGamma(rng, truth.spend.p * row.x, nu) / row.x : 0;
  }
  const simulateMs = since(t);
  global.gc?.();
  const rss = rssSampler(20);
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  t = t0;
  const groups = groupSummaries(rows);
  phases.group = since(t);
  t = performance.now();
  const bg = fitBgNbd(groups);
  phases.fitBgNbd = since(t);
  t = performance.now();
  const gg = fitGammaGamma(rows);
  phases.fitGammaGamma = since(t);
  // per distinct (x, t_x, T): P(alive), expected purchases over the horizon, and the discounted purchases of the CLV
  // horizon — what the product's TripleCache holds; then per customer the value terms
  t = performance.now();
  const scores = scoreGroups(bg.params, groups, HORIZON_WEEKS);
  phases.scoreGroups = since(t);
  t = performance.now();
  const discounted = new Float64Array(groups.size);
  for (let g = 0; g < groups.size; g++) {
    let previous = 0;
    let total = 0;
    for (let k = 1; k <= CLV.periods; k++) {
      const cumulative = expectedPurchases(bg.params, groups.x[g]!, groups.tx[g]!, groups.T[g]!, k * CLV.periodLength);
      total += (cumulative - previous) / (1 + CLV.discountRate) ** k;
      previous = cumulative;
    }
    discounted[g] = total;
  }
  phases.clvGroups = since(t);
  t = performance.now();
  const n = rows.length;
  const pAlive = new Float64Array(n);
  const expected = new Float64Array(n);
  const eov = new Float64Array(n);
  const clv = new Float64Array(n);
  const risk = new Uint8Array(n);
  const bands = { low: 0, medium: 0, high: 0 };
  for (let i = 0; i < n; i++) {
    const g = groups.rowGroup[i]!;
    pAlive[i] = scores.pAlive[g]!;
    expected[i] = scores.expected[g]!;
    const band = riskBand(pAlive[i]!, DEFAULT_RISK_THRESHOLDS);
    risk[i] = band === 'low' ? 0 : band === 'medium' ? 1 : 2;
    bands[band]++;
    eov[i] = expectedAverageValue(gg.params, rows[i]!.x, rows[i]!.zbar);
    clv[i] = eov[i]! * discounted[g]!;
  }
  phases.scoreCustomers = since(t);
  const totalMs = since(t0);
  const memory = rss.stop();

  // the shortcut (CLV = E[Z] × discounted purchases of the triple) must equal customerLifetimeValue() per customer
  const check = seededRandom(99);
  let worst = 0;
  for (let k = 0; k < 200; k++) {
    const i = Math.floor(check() * n);
    const direct = customerLifetimeValue(bg.params, gg.params, rows[i]!, CLV);
    worst = Math.max(worst, Math.abs(clv[i]! - direct) / Math.max(1e-12, Math.abs(direct)));
  }
  if (!(worst < 1e-9)) problems.push(`1M-customer CLV differs from customerLifetimeValue() by ${worst}`);
  const bad = [pAlive, expected, eov, clv].some((arr) => arr.some((v) => !Number.isFinite(v)));
  if (bad) problems.push('a non-finite score among the 1M customers');
  // parameter recovery: the data come from known parameters, the estimates should be near them
  const rel = (a: number, b: number) => Math.abs(a - b) / b;
  const recovery = {
    r: +bg.params.r.toPrecision(4),
    alpha: +bg.params.alpha.toPrecision(4),
    a: +bg.params.a.toPrecision(4),
    b: +bg.params.b.toPrecision(4),
    p: +gg.params.p.toPrecision(4),
    q: +gg.params.q.toPrecision(4),
    gamma: +gg.params.gamma.toPrecision(4),
  };
  const far = Object.entries({
    r: [bg.params.r, truth.bgnbd.r],
    alpha: [bg.params.alpha, truth.bgnbd.alpha],
    p: [gg.params.p, truth.spend.p],
    q: [gg.params.q, truth.spend.q],
  })
    .filter(([, [est, tru]]) => rel(est!, tru!) > 0.15)
    .map(([k, [est, tru]]) => `${k} ${est!.toPrecision(3)} vs ${tru}`);
  if (far.length) problems.push(`1M-customer fit far from the simulated parameters: ${far.join(', ')}`);
  return {
    customers: n,
    groups: groups.size,
    repeatBuyers: gg.customers,
    simulateMs,
    totalMs,
    phases,
    iterations: { bgnbd: bg.iterations, gammaGamma: gg.iterations },
    truth,
    estimates: recovery,
    bands,
    clvCheckRelErr: worst,
    rss: memory,
  };
}

// ---------------------------------------------------------------- (c) through the product
function runSummary(run: ModelRun, ms: number) {
  const d = (f: ModelRun['fit']['bgnbd'] | ModelRun['fit']['gammaGamma']) => ({
    status: f.status,
    message: f.message,
    durationMs: f.diagnostics.durationMs,
    dataMs: f.diagnostics.dataMs,
    customers: f.diagnostics.customers,
    groups: f.diagnostics.groups,
    iterations: f.diagnostics.iterations,
  });
  return {
    ms: Math.round(ms),
    bgnbd: d(run.fit.bgnbd),
    gammaGamma: d(run.fit.gammaGamma),
    scoring: run.scoring,
  };
}

const backendPids = async (db: Db) =>
  pg
    ? (await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')).map(
        (x) => x.pid,
      )
    : [];

/** PostgreSQL: row updates of customers so far, how many were HOT, and the heap's size (statistics flushed first). */
async function rowWrites(db: Db): Promise<{ upd: number; hot: number; heapMb: number } | null> {
  if (!pg) return null;
  await new Promise((r) => setTimeout(r, 1100)); // backends flush their statistics at most once a second
  const [r] = await db.query<{ upd: string; hot: string; bytes: string }>(
    "SELECT n_tup_upd::text AS upd, n_tup_hot_upd::text AS hot, pg_relation_size('customers')::text AS bytes FROM pg_stat_user_tables WHERE relname = 'customers'",
  );
  return { upd: Number(r!.upd), hot: Number(r!.hot), heapMb: Math.round(Number(r!.bytes) / 1e6) };
}

async function product(problems: string[]) {
  const bench = await freshBenchDb(backend, { prepareElsewhere: !pg, poolSize: 4 });
  const ws = bench.workspace.id;
  try {
    log(`loading ${PRODUCT_CUSTOMERS.toLocaleString('en-US')} customers (orders only) on ${backend}…`);
    const shop = await loadShop(bench.db, ws, { customers: PRODUCT_CUSTOMERS, log });
    const timed = timedDb(bench.db);
    const top = () =>
      timed
        .report()
        .statements.slice(0, 6)
        .map((s) => ({ sql: s.sql, calls: s.calls, ms: Math.round(s.ms) }));
    global.gc?.();
    const runs: Record<string, unknown>[] = [];
    const nextDay = new Date(Date.parse(`${shop.calibrationEnd}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    for (const [label, day] of [
      ['first', shop.calibrationEnd],
      ['second', shop.calibrationEnd],
      ['next day', nextDay],
    ] as const) {
      timed.reset();
      const before = await rowWrites(bench.db);
      const pgCpu0 = processCpu(await backendPids(bench.db));
      const rss = rssSampler(50);
      const cpu = process.cpuUsage();
      const t = performance.now();
      const now = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
      const run = await runModels(timed.db, ws, { calibrationEnd: day, now });
      const ms = performance.now() - t;
      const used = process.cpuUsage(cpu);
      const nodeCpuMs = Math.round((used.user + used.system) / 1000);
      const pgCpu1 = processCpu(await backendPids(bench.db));
      // backends seen at the end (a pool connection opened during the run starts from 0)
      const pgCpuMs = pg
        ? Math.round(1000 * [...pgCpu1].reduce((sum, [pid, sec]) => sum + sec - (pgCpu0.get(pid) ?? 0), 0))
        : null;
      const after = await rowWrites(bench.db);
      const updates =
        after && before ? { rows: after.upd - before.upd, hot: after.hot - before.hot, heapMb: after.heapMb } : null;
      const memory = rss.stop();
      const s = runSummary(run, ms);
      log(
        `product ${label} run: ${s.ms} ms (fit data ${s.bgnbd.dataMs} + ${s.gammaGamma.dataMs} ms, fits ${s.bgnbd.durationMs} + ${s.gammaGamma.durationMs} ms, scoring ${run.scoring.durationMs} ms, ${run.scoring.written} written), Node CPU ${nodeCpuMs} ms, PostgreSQL backends CPU ${pgCpuMs ?? '–'} ms, peak RSS ${memory.peakMb} MB`,
      );
      if (run.fit.bgnbd.status !== 'ok' || run.fit.gammaGamma.status !== 'ok')
        problems.push(`product ${label} fit: ${run.fit.bgnbd.message ?? ''} ${run.fit.gammaGamma.message ?? ''}`);
      if (run.scoring.scored !== shop.customers)
        problems.push(`product ${label} run scored ${run.scoring.scored} of ${shop.customers} customers`);
      if (label === 'second' && run.scoring.written !== 0)
        problems.push(`the same-day rerun rewrote ${run.scoring.written} customers`);
      runs.push({ label, ...s, nodeCpuMs, pgCpuMs, updates, rss: memory, top: top() });
      global.gc?.();
    }
    const [c] = await bench.db.query<{ scored: number; alive: number }>(
      'SELECT count(*) FILTER (WHERE scored_at IS NOT NULL)::int AS scored, count(*) FILTER (WHERE p_alive IS NOT NULL AND clv IS NOT NULL)::int AS alive FROM customers WHERE workspace_id = $1',
      [ws],
    );
    if (c!.scored !== shop.customers || c!.alive !== shop.customers)
      problems.push(
        `after scoring: ${c!.scored} customers scored, ${c!.alive} with P(alive) and CLV, of ${shop.customers}`,
      );
    return {
      customers: shop.customers,
      orders: shop.orders,
      events: shop.events.total,
      load: { seconds: shop.seconds },
      runs,
    };
  } finally {
    await bench.close();
  }
}

async function main() {
  const problems: string[] = [];
  try {
    log('CDNOW fits…');
    const a = cdnow(problems);
    log(`CDNOW: cold ${a?.coldMs} ms, warm median ${a?.warmMedianMs} ms`);
    log(`pure core, ${PURE_CUSTOMERS.toLocaleString('en-US')} customers…`);
    const b = pureCore(problems);
    log(`pure core: ${b.totalMs} ms (${JSON.stringify(b.phases)}), ${b.groups} groups, peak RSS ${b.rss.peakMb} MB`);
    const c = await product(problems);
    emit({ job: 'models', backend, ok: problems.length === 0, problems, cdnow: a, pure: b, product: c });
  } catch (err) {
    emit({
      job: 'models',
      backend,
      ok: false,
      problems: [...problems, `${(err as Error).stack ?? err}`.split('\n').slice(0, 4).join(' | ')],
    });
  }
}

await main();
