// Models API over real HTTP: fit on demand, current model and history, holdout validation, the RFM grid, the model
// settings with their validation errors, the scores on the customer profile, and which fit is live after a back-dated one.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from './server.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { shopOrders } from '../models/shop.ts';

const NOW = new Date('2026-03-31T18:00:00Z');

describe(`models API (${backend})`, () => {
  let s: Served;
  const admin = (method: string, path: string, body?: unknown) => s.call(method, path, { key: s.adminKey, body });
  before(async () => {
    s = await serve({ clock: () => NOW });
    const orders = shopOrders({
      customers: 300,
      seed: 11,
      start: new Date('2025-01-01T00:00:00Z'),
      cohortDays: 150,
      end: new Date('2026-03-31T00:00:00Z'),
    });
    for (let i = 0; i < orders.length; i += 500)
      assert.deepEqual(
        (await ingest(s.t.db, s.t.workspaceId, orders.slice(i, i + 500), { receivedAt: NOW })).rejected,
        [],
      );
  });
  after(async () => s.close());

  it('GET /api/v1/models before any fit: no models, empty history, the default settings', async () => {
    const r = await admin('GET', '/api/v1/models');
    assert.equal(r.status, 200);
    assert.deepEqual([r.body.current, r.body.history, r.body.lastRun], [{ bgnbd: null, gammaGamma: null }, [], null]);
    assert.deepEqual(r.body.settings.riskThresholds, { highBelow: 0.5, mediumBelow: 0.7 });
    assert.equal(r.body.settings.rfm.segments.length, 11);
  });

  it('POST /api/v1/models/fit fits, records and scores (default calibration end: today by the clock)', async () => {
    const r = await admin('POST', '/api/v1/models/fit', {});
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.fit.calibrationEnd, '2026-03-31');
    assert.equal(r.body.fit.bgnbd.status, 'ok', r.body.fit.bgnbd.message);
    assert.equal(r.body.fit.gammaGamma.status, 'ok', r.body.fit.gammaGamma.message);
    assert.deepEqual(Object.keys(r.body.fit.bgnbd.params).sort(), ['a', 'alpha', 'b', 'r']);
    assert.equal(r.body.scoring.scored, 300);
    const bad = await admin('POST', '/api/v1/models/fit', { calibrationEnd: '2026-02-30' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'invalid_request');
    assert.match(bad.body.message, /^calibrationEnd: not a calendar date/);
  });

  it('GET /api/v1/models: the current models with diagnostics, the history and the last run', async () => {
    const r = await admin('GET', '/api/v1/models');
    assert.equal(r.status, 200);
    const { bgnbd, gammaGamma } = r.body.current;
    assert.equal(bgnbd.status, 'ok');
    for (const k of ['logLikelihood', 'iterations', 'converged', 'customers', 'groups', 'durationMs'])
      assert.ok(k in bgnbd.diagnostics, k);
    assert.equal(bgnbd.diagnostics.customers, 300);
    assert.equal(gammaGamma.kind, 'gamma_gamma');
    assert.deepEqual(
      r.body.history.map((h: { kind: string }) => h.kind),
      ['gamma_gamma', 'bgnbd'],
    );
    assert.equal(r.body.lastRun.calibrationEnd, '2026-03-31');
    assert.equal(r.body.lastRun.scoring.scored, 300);
    assert.equal(
      (await s.call('GET', '/api/v1/models', { key: s.writeKey })).status,
      403,
      'a write key cannot read models',
    );
  });

  it('GET /api/v1/models/validation: eight bins with predicted and actual holdout purchases; bad periods are explained', async () => {
    const r = await admin('GET', '/api/v1/models/validation?calibrationEnd=2025-09-30&holdoutEnd=2026-03-31');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(
      r.body.bins.map((b: { bin: string }) => b.bin),
      ['0', '1', '2', '3', '4', '5', '6', '7+'],
    );
    assert.equal(
      r.body.total.customers,
      r.body.bins.reduce((n: number, b: { customers: number }) => n + b.customers, 0),
    );
    assert.ok(r.body.total.actual > 0 && r.body.total.predicted > 0);
    assert.equal(r.body.bgnbd.status, 'ok');
    // without dates: the holdout ends on the last purchase day and is the last quarter of the history (whole days)
    const [span] = await s.t.db.query<{ first: string; last: string }>(
      'SELECT min(day)::text AS first, max(day)::text AS last FROM customer_purchase_days WHERE workspace_id = $1',
      [s.t.workspaceId],
    );
    const days = (Date.parse(span!.last) - Date.parse(span!.first)) / 86_400_000;
    const threeQuarters = new Date(Date.parse(span!.first) + Math.floor(days * 0.75) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const defaults = await admin('GET', '/api/v1/models/validation');
    const periods =
      defaults.status === 200
        ? [defaults.body.calibrationEnd, defaults.body.holdoutEnd]
        : /with calibration up to (\S+) \(holdout to (\S+)\)/.exec(defaults.body.message)?.slice(1);
    assert.deepEqual(periods, [threeQuarters, span!.last], JSON.stringify(defaults.body));
    const backwards = await admin('GET', '/api/v1/models/validation?calibrationEnd=2026-01-01&holdoutEnd=2025-12-01');
    assert.deepEqual(
      [backwards.status, backwards.body.error, backwards.body.message],
      [422, 'cannot_validate', 'holdoutEnd (2025-12-01) must be after calibrationEnd (2026-01-01)'],
    );
    const early = await admin('GET', '/api/v1/models/validation?calibrationEnd=2025-01-02&holdoutEnd=2025-06-30');
    assert.equal(early.status, 422);
    assert.match(
      early.body.message,
      /^cannot validate with calibration up to 2025-01-02 \(holdout to 2025-06-30\): BG\/NBD: \d+ customers, at least 30 needed$/,
    );
  });

  it('GET /api/v1/rfm/grid: 25 R×F cells with customers and revenue, and customers per named segment', async () => {
    const r = await admin('GET', '/api/v1/rfm/grid');
    assert.equal(r.status, 200);
    assert.equal(r.body.cells.length, 25);
    assert.deepEqual(r.body.cells[0], { ...r.body.cells[0], r: 5, f: 1, segment: 'New' });
    assert.equal(r.body.customers, 300);
    assert.equal(
      r.body.segments.reduce((n: number, x: { customers: number }) => n + x.customers, 0),
      300,
    );
    assert.deepEqual(r.body.segments.map((x: { name: string }) => x.name).slice(0, 3), [
      'Champions',
      'Loyal',
      'Potential loyalist',
    ]);
    const [sum] = await s.t.db.query<{ revenue: number }>(
      'SELECT sum(revenue_net)::float8 AS revenue FROM customers WHERE workspace_id = $1',
      [s.t.workspaceId],
    );
    assert.ok(Math.abs(r.body.revenue - sum!.revenue) < 0.01 * 25);
  });

  it('PUT /api/v1/settings/models validates with clear errors and applies from the next run', async () => {
    const cases: { body: unknown; status: number; error: string; message: RegExp }[] = [
      {
        body: { riskThresholds: { highBelow: 0.8 } },
        status: 400,
        error: 'invalid_settings',
        message: /^riskThresholds: highBelow \(0\.8\) must not exceed mediumBelow \(0\.7\)$/,
      },
      {
        body: { riskThresholds: { highBelow: 1.5 } },
        status: 400,
        error: 'invalid_request',
        message: /^riskThresholds\.highBelow: /,
      },
      { body: { horizon: 30 }, status: 400, error: 'invalid_request', message: /horizon/ },
      {
        body: { rfm: { segments: [{ segment: 'Recent', r: [4, 5], f: [1, 5] }] } },
        status: 400,
        error: 'invalid_settings',
        message: /^rfm\.segments: no rule names R1F1, /,
      },
      {
        body: { rfm: { segments: [{ segment: 'All', r: [3, 1], f: [1, 5] }] } },
        status: 400,
        error: 'invalid_settings',
        message: /^rfm\.segments\.0\.r: a range/,
      },
    ];
    for (const c of cases) {
      const r = await admin('PUT', '/api/v1/settings/models', c.body);
      assert.deepEqual([r.status, r.body.error], [c.status, c.error], JSON.stringify(c.body));
      assert.match(r.body.message, c.message);
    }
    const ok = await admin('PUT', '/api/v1/settings/models', {
      riskThresholds: { highBelow: 0.3, mediumBelow: 0.6 },
      horizonDays: 30,
      lifecycle: { churnedBelow: 0.1 },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(
      [ok.body.riskThresholds, ok.body.horizonDays, ok.body.lifecycle.newDays],
      [{ highBelow: 0.3, mediumBelow: 0.6 }, 30, 30],
    );
    assert.deepEqual((await admin('GET', '/api/v1/settings/models')).body, ok.body);
    await admin('POST', '/api/v1/models/fit', {});
    const [risky] = await s.t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM customers WHERE workspace_id = $1 AND ((churn_risk = 'high') <> (p_alive < 0.3))",
      [s.t.workspaceId],
    );
    assert.equal(risky!.n, 0, 'the bands follow the new thresholds');
  });

  it('GET /api/v1/customers/:id carries the scores', async () => {
    const [c] = await s.t.db.query<{ id: string }>(
      "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'c1'",
      [s.t.workspaceId],
    );
    const r = await admin('GET', `/api/v1/customers/${c!.id}`);
    assert.equal(r.status, 200);
    const sc = r.body.customer.scores;
    assert.deepEqual(Object.keys(sc).sort(), [
      'churnRisk',
      'clv',
      'expectedOrderValue',
      'expectedPurchases',
      'lifecycleStage',
      'pAlive',
      'rfm',
      'rfmSegment',
      'scoredAt',
    ]);
    assert.ok(
      sc.pAlive > 0 &&
        sc.pAlive <= 1 &&
        sc.clv > 0 &&
        sc.rfmSegment &&
        sc.lifecycleStage &&
        ['low', 'medium', 'high'].includes(sc.churnRisk),
    );
    assert.deepEqual(Object.keys(sc.rfm), ['r', 'f', 'm']);
    assert.equal(sc.scoredAt, NOW.toISOString());
  });

  it('a back-dated fit stays live: GET /api/v1/models says as of which day and marks the fits in use; a fit without a day follows today again', async () => {
    const fit = await admin('POST', '/api/v1/models/fit', { calibrationEnd: '2025-09-30' });
    assert.equal(fit.status, 200, JSON.stringify(fit.body));
    assert.deepEqual([fit.body.origin, fit.body.live], ['manual', { calibrationEnd: '2025-09-30', was: null }]);
    const m = (await admin('GET', '/api/v1/models')).body;
    assert.deepEqual([m.live.calibrationEnd, m.live.setAt], ['2025-09-30', NOW.toISOString()]);
    const history = m.history as { id: string; live: boolean; calibrationEnd: string; origin: string }[];
    assert.deepEqual(
      history
        .filter((f) => f.live)
        .map((f) => f.id)
        .sort(),
      [m.current.bgnbd.id, m.current.gammaGamma.id].sort(),
    );
    assert.deepEqual(history.map((f) => `${f.live ? 'live' : 'past'} ${f.calibrationEnd} ${f.origin}`).slice(0, 4), [
      'live 2025-09-30 manual',
      'live 2025-09-30 manual',
      'past 2026-03-31 manual',
      'past 2026-03-31 manual',
    ]);
    const back = await admin('POST', '/api/v1/models/fit', {});
    assert.deepEqual(back.body.live, { calibrationEnd: null, was: '2025-09-30' });
    assert.equal((await admin('GET', '/api/v1/models')).body.live.calibrationEnd, null);
  });
});
