// Lifecycle stages: the rules (pure, table-driven, with the clock as an argument), then one customer's life through the
// product with a virtual clock — new, active, at risk, churned, back (reactivated), active again — each change an event.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { runModels } from '../../src/models/store/run.ts';
import { lifecycleStage, type LifecycleInput } from '../../src/models/lifecycle.ts';
import { order } from './shop.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-01-05T09:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

describe('lifecycle rules (pure)', () => {
  const base: LifecycleInput = {
    firstOrderAt: at(0),
    lastOrderAt: at(0),
    pAlive: null,
    previousStage: null,
    previousLastOrderAt: null,
  };
  const cases: { why: string; c: Partial<LifecycleInput>; now: number; stage: string | null }[] = [
    { why: 'no order yet', c: { firstOrderAt: null, lastOrderAt: null }, now: 1, stage: null },
    { why: 'first order 29 days ago', c: {}, now: 29, stage: 'new' },
    { why: 'first order 30 days ago', c: {}, now: 30, stage: 'active' },
    { why: 'no model: 179 days without an order', c: {}, now: 179, stage: 'active' },
    { why: 'no model: 180 days without an order', c: {}, now: 180, stage: 'at_risk' },
    { why: 'a year without an order, whatever the model says', c: { pAlive: 1 }, now: 365, stage: 'churned' },
    { why: 'one-time buyer (P(alive) = 1) after 200 days: still active', c: { pAlive: 1 }, now: 200, stage: 'active' },
    {
      why: 'P(alive) below the high-risk threshold',
      c: { pAlive: 0.45, lastOrderAt: at(50) },
      now: 60,
      stage: 'at_risk',
    },
    { why: 'P(alive) below churnedBelow', c: { pAlive: 0.1, lastOrderAt: at(50) }, now: 60, stage: 'churned' },
    { why: 'P(alive) medium: active', c: { pAlive: 0.6, lastOrderAt: at(50) }, now: 60, stage: 'active' },
    {
      why: 'churned, then an order since the last scoring: reactivated',
      c: { previousStage: 'churned', previousLastOrderAt: at(30), lastOrderAt: at(401) },
      now: 402,
      stage: 'reactivated',
    },
    {
      why: 'churned, an order placed before the last scoring ran but ingested after it: still reactivated',
      c: { previousStage: 'churned', previousLastOrderAt: at(30), lastOrderAt: at(399.9) },
      now: 402,
      stage: 'reactivated',
    },
    {
      why: 'churned, no order since the last scoring (a refit lifted P(alive)): judged afresh',
      c: { previousStage: 'churned', previousLastOrderAt: at(300), lastOrderAt: at(300), pAlive: 0.9 },
      now: 402,
      stage: 'active',
    },
    {
      why: 'reactivated stays while the return is younger than newDays and nothing was bought since',
      c: { previousStage: 'reactivated', previousLastOrderAt: at(401), lastOrderAt: at(401) },
      now: 420,
      stage: 'reactivated',
    },
    {
      why: 'reactivated stays at the next run when the run that saw the return had started before it',
      c: { previousStage: 'reactivated', previousLastOrderAt: at(400.01), lastOrderAt: at(400.01) },
      now: 401,
      stage: 'reactivated',
    },
    {
      why: 'reactivated becomes active after newDays',
      c: { previousStage: 'reactivated', previousLastOrderAt: at(401), lastOrderAt: at(401) },
      now: 431,
      stage: 'active',
    },
    {
      why: 'reactivated becomes active with the next order',
      c: { previousStage: 'reactivated', previousLastOrderAt: at(401), lastOrderAt: at(405) },
      now: 406,
      stage: 'active',
    },
  ];
  for (const { why, c, now, stage } of cases) {
    it(why, () => assert.equal(lifecycleStage({ ...base, ...c }, at(now)), stage));
  }
});

describe(`lifecycle through the product with a virtual clock (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('new → active → at_risk → churned → reactivated → active, each change a Lifecycle Stage Changed event', async () => {
    const ws = t.workspaceId;
    const send = async (now: number, ...m: object[]) =>
      assert.deepEqual((await ingest(t.db, ws, m, { receivedAt: at(now) })).rejected, []);
    const score = async (now: number) => {
      const run = await runModels(t.db, ws, { now: at(now) });
      assert.equal(run.fit.bgnbd.diagnostics.code, 'too_few_customers', 'one customer: no model, the day rules apply');
      const [c] = await t.db.query<{ lifecycle_stage: string | null }>(
        "SELECT lifecycle_stage FROM customers WHERE workspace_id = $1 AND user_id = 'ann'",
        [ws],
      );
      return c!.lifecycle_stage;
    };
    await send(0, order('ann', 'ann-1', at(0), 40));
    const life: [number, string][] = [];
    for (const day of [1, 20, 40, 100, 200, 300, 400]) life.push([day, (await score(day))!]);
    await send(401, order('ann', 'ann-2', at(401), 45));
    for (const day of [402, 420, 440]) life.push([day, (await score(day))!]);
    assert.deepEqual(life, [
      [1, 'new'],
      [20, 'new'],
      [40, 'active'],
      [100, 'active'],
      [200, 'at_risk'],
      [300, 'at_risk'],
      [400, 'churned'],
      [402, 'reactivated'],
      [420, 'reactivated'],
      [440, 'active'],
    ]);

    const events = await t.db.query<{
      message_id: string;
      properties: { from: string | null; to: string };
      timestamp: Date;
      user_id: string;
      customer_id: string;
    }>(
      "SELECT message_id, properties, timestamp, user_id, customer_id::text FROM events WHERE workspace_id = $1 AND name = 'Lifecycle Stage Changed' ORDER BY timestamp",
      [ws],
    );
    assert.deepEqual(
      events.map((e) => [e.properties.from, e.properties.to, (e.timestamp.getTime() - T0.getTime()) / DAY]),
      [
        [null, 'new', 1],
        ['new', 'active', 40],
        ['active', 'at_risk', 200],
        ['at_risk', 'churned', 400],
        ['churned', 'reactivated', 402],
        ['reactivated', 'active', 440],
      ],
    );
    assert.ok(events.every((e) => e.user_id === 'ann'));
    const id = events[0]!.customer_id;
    assert.equal(events[4]!.message_id, `lifecycle:${id}:churned>reactivated:${at(402).toISOString().slice(0, 10)}`);
    const [counter] = await t.db.query<{ count: string }>(
      "SELECT count::text FROM customer_event_counters WHERE workspace_id = $1 AND customer_id = $2 AND name = 'Lifecycle Stage Changed'",
      [ws, id],
    );
    assert.equal(counter!.count, '6');
    // the same day scored again logs nothing twice
    await score(440);
    const [n] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE workspace_id = $1 AND name = 'Lifecycle Stage Changed'",
      [ws],
    );
    assert.equal(n!.n, 6);
  });
});
