// Fitting and scoring through the product on a synthetic BG/NBD shop: scores land on every customer and agree with the
// pure core, changed customers are queued for segments, a failed fit is recorded and the last good model kept, the
// water-filter buyer who stopped is high risk while the one-time appliance buyer is not, and the schedule claims
// each workspace once per period.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { runModels } from '../../src/models/store/run.ts';
import { currentModels, fitHistory } from '../../src/models/store/fits.ts';
import { fitDueWorkspaces } from '../../src/models/store/job.ts';
import { summarizeTransactions } from '../../src/models/summary.ts';
import { pAlive, expectedPurchases, type BgNbdParams } from '../../src/models/bgnbd.ts';
import { customerLifetimeValue, expectedAverageValue, type GammaGammaParams } from '../../src/models/gammagamma.ts';
import { riskBand } from '../../src/models/churn.ts';
import { DEFAULT_MODEL_SETTINGS } from '../../src/models/settings.ts';
import { order, shopOrders } from './shop.ts';
import { calibrationOf, customerFacts } from '../../src/models/store/derive.ts';
import { scoreCustomers } from '../../src/models/store/scoring.ts';
import { createSegment, getMembers, runIncremental } from '../../src/segments/index.ts';

const DAY = 86_400_000;
const START = new Date('2025-01-01T00:00:00Z');
const END = new Date('2026-03-31T00:00:00Z'); // calibration end day
const NOW = new Date('2026-03-31T18:00:00Z');
const at = (days: number) => new Date(START.getTime() + days * DAY + 10 * 3_600_000);

interface Row {
  id: string;
  user_id: string;
  rfm_r: number | null;
  rfm_f: number | null;
  rfm_m: number | null;
  rfm_segment: string | null;
  p_alive: number | null;
  expected_purchases: number | null;
  churn_risk: string | null;
  expected_order_value: number | null;
  clv: number | null;
  lifecycle_stage: string | null;
  scored_at: Date | null;
}
const scores = (t: TestDb, ws: string) =>
  t.db.query<Row>(
    `SELECT id::text, user_id, rfm_r, rfm_f, rfm_m, rfm_segment, p_alive, expected_purchases, churn_risk, expected_order_value, clv,
            lifecycle_stage, scored_at FROM customers WHERE workspace_id = $1 ORDER BY id`,
    [ws],
  );
const queued = async (t: TestDb, ws: string) =>
  (
    await t.db.query<{ id: string }>(
      'SELECT customer_id::text AS id FROM customer_changes WHERE workspace_id = $1 ORDER BY 1',
      [ws],
    )
  )
    .map((r) => r.id)
    .sort();

describe(`models through the product: fit, score, history (${backend})`, () => {
  let t: TestDb;
  let ws: string;
  const messages = [
    ...shopOrders({ customers: 400, seed: 7, start: START, cohortDays: 180, end: END }),
    // bought a water filter every 30 days for a year, then nothing for 90 days
    ...Array.from({ length: 12 }, (_, k) => order('filter', `filter-${k}`, at(k * 30 + 10), 29.95)),
    // bought a kitchen appliance once, 200 days ago
    order('appliance', 'appliance-1', new Date(END.getTime() - 200 * DAY + 3_600_000), 480),
  ];
  before(async () => {
    t = await freshDb();
    ws = t.workspaceId;
    for (let i = 0; i < messages.length; i += 500) {
      const r = await ingest(t.db, ws, messages.slice(i, i + 500), { receivedAt: NOW });
      assert.deepEqual(r.rejected, []);
    }
  });
  after(async () => t.close());

  let params: BgNbdParams;
  let spend: GammaGammaParams;

  it('fits both models as of the calibration end, records them with diagnostics and scores every customer', async () => {
    await t.db.query('DELETE FROM customer_changes WHERE workspace_id = $1', [ws]);
    const run = await runModels(t.db, ws, { calibrationEnd: '2026-03-31', now: NOW });
    assert.equal(run.fit.bgnbd.status, 'ok', run.fit.bgnbd.message ?? '');
    assert.equal(run.fit.gammaGamma.status, 'ok', run.fit.gammaGamma.message ?? '');
    params = run.fit.bgnbd.params!;
    spend = run.fit.gammaGamma.params!;
    const d = run.fit.bgnbd.diagnostics;
    assert.equal(d.customers, 402);
    assert.ok(
      d.converged && d.iterations! > 0 && d.groups! > 10 && d.groups! <= 402 && Number.isFinite(d.logLikelihood),
    );
    assert.equal(run.fit.bgnbd.calibrationEnd, '2026-03-31');
    assert.deepEqual(run.used, { bgnbd: run.fit.bgnbd.id, gammaGamma: run.fit.gammaGamma.id });
    // the generating process had r = 0.6, α = 8, a = 0.8, b = 2.5: the estimates are in that neighbourhood
    assert.ok(params.r > 0.2 && params.r < 2 && params.alpha > 2 && params.alpha < 30, JSON.stringify(params));
    assert.deepEqual(
      [run.scoring.customers, run.scoring.scored, run.scoring.written, run.scoring.asOf],
      [402, 402, 402, '2026-03-31'],
    );
  });

  it('the scores on each customer are what the pure core computes from that customer’s own transactions', async () => {
    const summaries = new Map(
      summarizeTransactions(
        messages.map((m) => ({ customerId: m.userId, at: new Date(m.timestamp), value: m.properties.total })),
        { calibrationEnd: END },
      ).map((s) => [s.customerId, s]),
    );
    const rows = await scores(t, ws);
    assert.equal(rows.length, 402);
    const s = DEFAULT_MODEL_SETTINGS;
    for (const r of rows) {
      const c = summaries.get(r.user_id)!;
      const alive = pAlive(params, c.x, c.tx, c.T);
      assert.ok(Math.abs(r.p_alive! - alive) < 1e-12, `${r.user_id}: P(alive) ${r.p_alive} vs ${alive}`);
      assert.ok(Math.abs(r.expected_purchases! - expectedPurchases(params, c.x, c.tx, c.T, s.horizonDays / 7)) < 1e-9);
      assert.equal(r.churn_risk, riskBand(alive));
      const eov = expectedAverageValue(spend, c.x, c.zbar);
      assert.ok(
        Math.abs(r.expected_order_value! - eov) < 1e-6 * eov,
        `${r.user_id}: E[Z] ${r.expected_order_value} vs ${eov}`,
      );
      const clv = customerLifetimeValue(params, spend, c, {
        periods: s.clv.months,
        periodLength: 52 / 12,
        discountRate: s.clv.monthlyDiscountRate,
      });
      assert.ok(Math.abs(r.clv! - clv) < 1e-6 * Math.max(1, clv), `${r.user_id}: CLV ${r.clv} vs ${clv}`);
      assert.ok(
        r.rfm_r! >= 1 && r.rfm_r! <= 5 && r.rfm_f! >= 1 && r.rfm_m! <= 5 && r.rfm_segment,
        `${r.user_id} has RFM scores`,
      );
      assert.ok(r.lifecycle_stage);
      assert.equal(r.scored_at!.toISOString(), NOW.toISOString());
    }
  });

  it('tells the lapsed water-filter buyer (high risk) from the one-time appliance buyer (low risk)', async () => {
    const rows = await scores(t, ws);
    const filter = rows.find((r) => r.user_id === 'filter')!;
    const appliance = rows.find((r) => r.user_id === 'appliance')!;
    assert.equal(filter.churn_risk, 'high', `P(alive) = ${filter.p_alive}`);
    assert.ok(['at_risk', 'churned'].includes(filter.lifecycle_stage!));
    assert.deepEqual([appliance.churn_risk, appliance.p_alive, appliance.lifecycle_stage], ['low', 1, 'active']);
  });

  it('queues every customer whose segment, risk or stage changed, and logs each stage change once', async () => {
    const rows = await scores(t, ws);
    assert.deepEqual(
      await queued(t, ws),
      rows.map((r) => r.id).sort(),
      'first scoring: everyone changed (from nothing)',
    );
    const [events] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE workspace_id = $1 AND name = 'Lifecycle Stage Changed'",
      [ws],
    );
    assert.equal(events!.n, 402);
    const [sample] = await t.db.query<{ message_id: string; properties: object; user_id: string; customer_id: string }>(
      "SELECT message_id, properties, user_id, customer_id::text FROM events WHERE workspace_id = $1 AND name = 'Lifecycle Stage Changed' AND user_id = 'appliance'",
      [ws],
    );
    assert.deepEqual(sample!.properties, { from: null, to: 'active' });
    assert.equal(sample!.message_id, `lifecycle:${sample!.customer_id}:none>active:2026-03-31`);

    await t.db.query('DELETE FROM customer_changes WHERE workspace_id = $1', [ws]);
    const again = await runModels(t.db, ws, { calibrationEnd: '2026-03-31', now: new Date(NOW.getTime() + 60_000) });
    assert.deepEqual(
      [again.scoring.written, again.scoring.changed, again.scoring.stageChanges],
      [0, 0, 0],
      'the same data scored again changes nothing',
    );
    assert.deepEqual(await queued(t, ws), []);
    assert.ok(
      (await scores(t, ws)).every((r) => r.scored_at!.getTime() === NOW.getTime()),
      'unchanged scores are not rewritten: scored_at stays',
    );
  });

  it('a fit on too little data is recorded as failed with its reason, and the last good model keeps scoring', async () => {
    const good = await currentModels(t.db, ws);
    const run = await runModels(t.db, ws, { calibrationEnd: '2025-01-03', now: new Date(NOW.getTime() + 120_000) });
    assert.equal(run.fit.bgnbd.status, 'failed');
    assert.match(run.fit.bgnbd.message!, /^BG\/NBD: \d+ customers, at least 30 needed$/);
    assert.equal(run.fit.bgnbd.diagnostics.code, 'too_few_customers');
    assert.equal(run.fit.bgnbd.params, null);
    assert.equal(run.fit.gammaGamma.status, 'failed');
    assert.deepEqual(run.used, { bgnbd: good.bgnbd!.id, gammaGamma: good.gammaGamma!.id });
    assert.deepEqual(await currentModels(t.db, ws), good);
    // scored as of 2025-01-03 with the good parameters: few customers had bought by then, they all have P(alive)
    const rows = (await scores(t, ws)).filter((r) => r.p_alive !== null);
    assert.ok(rows.length > 0 && rows.length < 30, `${rows.length} customers as of 2025-01-03`);
    const history = await fitHistory(t.db, ws);
    assert.deepEqual(
      history.map((h) => `${h.kind}:${h.status}`),
      ['gamma_gamma:failed', 'bgnbd:failed', 'gamma_gamma:ok', 'bgnbd:ok', 'gamma_gamma:ok', 'bgnbd:ok'],
    );
  });

  it('a segment on a number score follows the daily scoring: P(alive) falls below 0.6 while band and stage stay the same', async () => {
    const w = (await createWorkspace(t.db, 'fading')).id;
    const two = [
      order('u1', 'o1', new Date('2026-01-01T10:00:00Z'), 50),
      order('u1', 'o2', new Date('2026-01-15T10:00:00Z'), 50),
    ];
    assert.deepEqual((await ingest(t.db, w, two, { receivedAt: new Date('2026-01-15T11:00:00Z') })).rejected, []);
    await createSegment(t.db, w, {
      id: 'fading',
      name: 'Fading',
      definition: { score: 'p_alive', op: 'lt', value: 0.6 },
    });
    const models = { bgnbd: { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 }, gammaGamma: null };
    const rows: string[] = [];
    for (const day of ['2026-02-12', '2026-02-26']) {
      const scored = await scoreCustomers(t.db, w, {
        cal: calibrationOf(day),
        now: new Date(`${day}T12:00:00Z`),
        settings: DEFAULT_MODEL_SETTINGS,
        models,
        breaks: null,
      });
      await runIncremental(t.db, w, new Date(`${day}T12:05:00Z`));
      const [c] = await t.db.query<{ p_alive: number; churn_risk: string; lifecycle_stage: string }>(
        'SELECT p_alive, churn_risk, lifecycle_stage FROM customers WHERE workspace_id = $1',
        [w],
      );
      const members = (await getMembers(t.db, w, 'fading', { limit: 10 })).members.length;
      rows.push(
        `${day}: P(alive) ${c!.p_alive.toFixed(3)} ${c!.churn_risk} ${c!.lifecycle_stage}, queued ${scored.changed}, members ${members}`,
      );
    }
    assert.deepEqual(rows, [
      '2026-02-12: P(alive) 0.626 medium active, queued 1, members 0',
      '2026-02-26: P(alive) 0.574 medium active, queued 1, members 1',
    ]);
  });

  it('the model in use is the newest fit by id as a number: fit 10 is newer than fit 9', async () => {
    const w = (await createWorkspace(t.db, 'ids')).id;
    const fit = (id: number, kind: string, alpha: number) =>
      t.db.query(
        `INSERT INTO model_fits (id, workspace_id, run_id, kind, status, params, calibration_end)
       OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, 'ok', $5::jsonb, '2026-03-31')`,
        [
          id,
          w,
          `run_${id}`,
          kind,
          JSON.stringify({ r: 0.24, alpha, a: 0.79, b: 2.43, p: 6.25, q: 3.74, gamma: 15.44 }),
        ],
      );
    // far above any id the sequence has handed out in this database, so no later insert collides with them
    for (const [id, kind, alpha] of [
      [9_000_009, 'bgnbd', 9],
      [9_000_008, 'gamma_gamma', 8],
      [90_000_010, 'bgnbd', 10],
      [90_000_011, 'gamma_gamma', 11],
    ] as const) {
      await fit(id, kind, alpha);
    }
    const used = await currentModels(t.db, w);
    assert.deepEqual([used.bgnbd!.id, used.gammaGamma!.id], ['90000010', '90000011']);
    assert.deepEqual(
      (await fitHistory(t.db, w)).map((h) => h.id),
      ['90000011', '90000010', '9000009', '9000008'],
    );
  });

  it('degenerate data: nobody bought twice → both fits fail with a clear message, RFM is still scored', async () => {
    const one = (await createWorkspace(t.db, 'one-timers')).id;
    const r = await ingest(
      t.db,
      one,
      Array.from({ length: 40 }, (_, i) => order(`u${i}`, `once-${i}`, at(i), 10 + i)),
      { receivedAt: NOW },
    );
    assert.equal(r.accepted, 40);
    const run = await runModels(t.db, one, { now: NOW });
    assert.equal(run.fit.bgnbd.message, 'BG/NBD: none of the 40 customers made a repeat purchase');
    assert.equal(run.fit.gammaGamma.message, 'Gamma-Gamma: no customer has a repeat purchase with a positive value');
    assert.deepEqual(await currentModels(t.db, one), { bgnbd: null, gammaGamma: null });
    const rows = await scores(t, one);
    assert.ok(
      rows.every(
        (x) =>
          x.p_alive === null &&
          x.churn_risk === null &&
          x.clv === null &&
          x.rfm_segment !== null &&
          x.lifecycle_stage !== null,
      ),
    );
  });

  it('reads a workspace whose customer ids are interleaved with another’s in small batches, each customer once', async () => {
    const [a, b] = [(await createWorkspace(t.db, 'a')).id, (await createWorkspace(t.db, 'b')).id];
    for (let i = 0; i < 40; i++) {
      for (const w of [a, b, b])
        await ingest(t.db, w, [order(`u${i}`, `${w}-${i}`, at(i), 10 + i)], { receivedAt: NOW });
    }
    const seen: string[] = [];
    for await (const batch of customerFacts(t.db, a, calibrationOf(END), 7)) {
      assert.ok(batch.length <= 12, `a batch of ${batch.length}`);
      seen.push(...batch.map((c) => c.userId!));
    }
    assert.deepEqual(
      seen,
      Array.from({ length: 40 }, (_, i) => `u${i}`),
    );
  });

  it('the schedule claims each workspace with orders once per fitEveryHours, as of the live calibration end', async () => {
    const empty = (await createWorkspace(t.db, 'no orders')).id;
    const tick = new Date('2026-04-01T00:00:00Z');
    const first = await fitDueWorkspaces(t.db, tick);
    assert.deepEqual(first.errors, []);
    const ran = first.runs.map((r) => r.workspaceId);
    assert.ok(ran.includes(ws) && !ran.includes(empty), 'workspaces without orders are not fitted');
    assert.deepEqual(
      (await fitDueWorkspaces(t.db, new Date(tick.getTime() + 3_600_000))).runs,
      [],
      'an hour later nothing is due',
    );
    const next = await fitDueWorkspaces(t.db, new Date(tick.getTime() + 24 * 3_600_000));
    assert.ok(
      next.runs.some((r) => r.workspaceId === ws),
      'a day later it is due again',
    );
    const scheduled = next.runs.find((r) => r.workspaceId === ws)!.run;
    assert.deepEqual(
      [scheduled.origin, scheduled.fit.calibrationEnd],
      ['schedule', '2025-01-03'],
      'the back-dated fit above set the live calibration end: the schedule keeps to it',
    );
    await runModels(t.db, ws, { now: new Date(tick.getTime() + 25 * 3_600_000) });
    const after = await fitDueWorkspaces(t.db, new Date(tick.getTime() + 48 * 3_600_000));
    assert.equal(
      after.runs.find((r) => r.workspaceId === ws)!.run.fit.calibrationEnd,
      '2026-04-03',
      'a fit without a calibration end lets the schedule follow the clock',
    );
  });
});
