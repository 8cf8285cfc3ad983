// RFM: quintile rules (pure), the default R×F mapping and its validation, then a small hand-made shop scored through the
// product — every customer's R, F, M and segment worked out by hand below — and an edited mapping applied on rescoring.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { runModels } from '../../src/models/store/run.ts';
import { updateModelSettings } from '../../src/models/store/settings.ts';
import {
  DEFAULT_RFM_SEGMENTS,
  quintile,
  quintileBreaks,
  quintilePositions,
  rfmGridNames,
  rfmSegment,
  validateRfmRules,
  type RfmScores,
} from '../../src/models/rfm.ts';
import { order } from './shop.ts';

describe('RFM quintiles and mapping (pure)', () => {
  const cases: { values: number[]; breaks: number[]; scores: number[]; why: string }[] = [
    {
      values: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
      breaks: [20, 40, 60, 80],
      scores: [1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
      why: 'distinct values: two per fifth',
    },
    {
      values: [5, 4, 3, 2, 1],
      breaks: [1, 2, 3, 4],
      scores: [5, 4, 3, 2, 1],
      why: 'order of the input does not matter',
    },
    {
      values: [1, 1, 1, 1, 1, 1, 2, 2, 3, 9],
      breaks: [1, 1, 1, 2],
      scores: [1, 1, 1, 1, 1, 1, 4, 4, 5, 5],
      why: 'ties share the lower score; scores in between are skipped',
    },
    { values: [7, 7, 7], breaks: [7, 7, 7, 7], scores: [1, 1, 1], why: 'everyone equal: everyone 1' },
    { values: [3], breaks: [3, 3, 3, 3], scores: [1], why: 'one customer' },
    {
      values: [1, 2, 3, 4, 5, 6, 7],
      breaks: [2, 3, 5, 6],
      scores: [1, 1, 2, 3, 3, 4, 5],
      why: 'n not a multiple of 5: break k at position ⌈k·n/5⌉',
    },
  ];
  for (const c of cases) {
    it(c.why, () => {
      const breaks = quintileBreaks(c.values);
      assert.deepEqual(breaks, c.breaks);
      assert.deepEqual(
        c.values.map((v) => quintile(v, breaks)),
        c.scores,
      );
    });
  }
  it('break positions are exact in integer arithmetic (0.6 × 5 is 3.0000000000000004 in floating point)', () => {
    assert.deepEqual(quintilePositions(5), [1, 2, 3, 4]);
    assert.deepEqual(quintilePositions(10), [2, 4, 6, 8]);
    assert.deepEqual(quintilePositions(2357), [472, 943, 1415, 1886]);
  });
  it('the default mapping names all 25 R×F cells with the 11 segments, as the well-known grid', () => {
    assert.deepEqual(validateRfmRules(DEFAULT_RFM_SEGMENTS), []);
    assert.deepEqual(rfmGridNames(), [
      ['Lost', 'Lost', 'At risk', 'At risk', 'Cannot lose them'],
      ['Hibernating', 'Hibernating', 'At risk', 'At risk', 'Cannot lose them'],
      ['About to sleep', 'About to sleep', 'Need attention', 'Loyal', 'Loyal'],
      ['Promising', 'Potential loyalist', 'Potential loyalist', 'Loyal', 'Loyal'],
      ['New', 'Potential loyalist', 'Potential loyalist', 'Champions', 'Champions'],
    ]);
  });
  it('an edited mapping: first matching rule wins, M can be used, gaps and bad ranges are refused with their path', () => {
    const rules = [
      { segment: 'Whales', r: [1, 5], f: [1, 5], m: [5, 5] },
      ...DEFAULT_RFM_SEGMENTS,
    ] as typeof DEFAULT_RFM_SEGMENTS;
    assert.equal(rfmSegment({ r: 1, f: 1, m: 5 } as RfmScores, rules), 'Whales');
    assert.equal(rfmSegment({ r: 1, f: 1, m: 4 } as RfmScores, rules), 'Lost');
    assert.deepEqual(rfmGridNames(rules)[0]![0], null, 'a cell that depends on M has no single name');
    assert.deepEqual(validateRfmRules([{ segment: 'Recent', r: [4, 5], f: [1, 5] }]), [
      'segments: no rule names R1F1, R1F2, R1F3, R1F4, R1F5, R2F1, R2F2, R2F3, R2F4, R2F5 and 5 more',
    ]);
    assert.deepEqual(validateRfmRules([{ segment: '', r: [5, 1], f: [1, 6] }]), [
      'segments.0.segment: a non-empty name',
      'segments.0.r: a range [from, to] of whole scores 1–5 with from ≤ to (got [5,1])',
      'segments.0.f: a range [from, to] of whole scores 1–5 with from ≤ to (got [1,6])',
    ]);
  });
});

const DAY = 86_400_000;
const END = '2026-06-30';
const endDay = new Date(`${END}T00:00:00Z`).getTime();
/** An order `daysAgo` whole days before the calibration end day, at 15:00 UTC. */
const ago = (daysAgo: number) => new Date(endDay - daysAgo * DAY + 15 * 3_600_000);

// The hand-made shop: recency (days), orders (each on its own day, ending at the last order) and net revenue.
// With n = 10 the breaks are the values at positions 2, 4, 6, 8 of each ordering:
//   R on −recency: −120, −60, −20, −5 → the two most recent get 5, …
//   F: 1 1 1 2 3 3 5 6 7 8 → breaks 1, 2, 3, 6: the three one-order customers all get 1 (a tie), 6 orders get 4
//   M: 15 20 30 90 240 300 500 600 700 800 → breaks 20, 90, 300, 600
const SHOP = [
  { id: 'c0', recency: 1, orders: 8, revenue: 800, rfm: [5, 5, 5], segment: 'Champions' },
  { id: 'c1', recency: 3, orders: 1, revenue: 20, rfm: [5, 1, 1], segment: 'New' },
  { id: 'c2', recency: 5, orders: 5, revenue: 500, rfm: [4, 4, 4], segment: 'Loyal' },
  { id: 'c3', recency: 10, orders: 1, revenue: 30, rfm: [4, 1, 2], segment: 'Promising' },
  { id: 'c4', recency: 20, orders: 3, revenue: 300, rfm: [3, 3, 3], segment: 'Need attention' },
  { id: 'c5', recency: 40, orders: 3, revenue: 240, rfm: [3, 3, 3], segment: 'Need attention' },
  { id: 'c6', recency: 60, orders: 6, revenue: 600, rfm: [2, 4, 4], segment: 'At risk' },
  { id: 'c7', recency: 90, orders: 2, revenue: 90, rfm: [2, 2, 2], segment: 'Hibernating' },
  { id: 'c8', recency: 120, orders: 7, revenue: 700, rfm: [1, 5, 5], segment: 'Cannot lose them' },
  { id: 'c9', recency: 200, orders: 1, revenue: 15, rfm: [1, 1, 1], segment: 'Lost' },
];

describe(`RFM through the product on a hand-made shop (${backend})`, () => {
  let t: TestDb;
  const rfm = async () =>
    Object.fromEntries(
      (
        await t.db.query<{
          user_id: string;
          r: number | null;
          f: number | null;
          m: number | null;
          segment: string | null;
        }>(
          'SELECT user_id, rfm_r AS r, rfm_f AS f, rfm_m AS m, rfm_segment AS segment FROM customers WHERE workspace_id = $1 ORDER BY user_id',
          [t.workspaceId],
        )
      ).map((r) => [r.user_id, { rfm: r.r === null ? null : [r.r, r.f, r.m], segment: r.segment }]),
    );

  before(async () => {
    t = await freshDb();
    const messages = SHOP.flatMap((c) =>
      Array.from({ length: c.orders }, (_, k) =>
        order(c.id, `${c.id}-${k}`, ago(c.recency + 2 * k), c.revenue / c.orders),
      ),
    );
    messages.push(order('later', 'later-1', ago(-3), 50)); // first order after the calibration end: not scored
    messages.push({
      type: 'identify',
      userId: 'browser',
      traits: { plan: 'free' },
      timestamp: ago(5).toISOString(),
    } as never);
    const r = await ingest(t.db, t.workspaceId, messages, { receivedAt: new Date(endDay + 10 * DAY) });
    assert.deepEqual(r.rejected, []);
  });
  after(async () => t.close());

  it('scores R, F, M and names the segment of every customer with orders by the calibration end', async () => {
    const run = await runModels(t.db, t.workspaceId, { calibrationEnd: END, now: new Date(endDay + 10 * DAY) });
    assert.equal(
      run.fit.bgnbd.message,
      'BG/NBD: 10 customers, at least 30 needed',
      'ten customers are too few for BG/NBD, not for RFM',
    );
    const got = await rfm();
    for (const c of SHOP) assert.deepEqual(got[c.id], { rfm: c.rfm, segment: c.segment }, c.id);
    assert.deepEqual(got.later, { rfm: null, segment: null });
    assert.deepEqual(got.browser, { rfm: null, segment: null });
  });

  it('an edited mapping and F on purchase days apply on the next run, and the changed customers are queued', async () => {
    await updateModelSettings(t.db, t.workspaceId, {
      rfm: {
        frequency: 'purchase_days',
        segments: [
          { segment: 'Recent', r: [4, 5], f: [1, 5] },
          { segment: 'Earlier', r: [1, 3], f: [1, 5] },
        ],
      },
    });
    await t.db.query('DELETE FROM customer_changes WHERE workspace_id = $1', [t.workspaceId]);
    await runModels(t.db, t.workspaceId, { calibrationEnd: END, now: new Date(endDay + 11 * DAY) });
    const got = await rfm();
    assert.deepEqual(
      SHOP.map((c) => got[c.id]!.segment),
      ['Recent', 'Recent', 'Recent', 'Recent', 'Earlier', 'Earlier', 'Earlier', 'Earlier', 'Earlier', 'Earlier'],
    );
    // every order is on its own day here, so F on purchase days equals F on orders
    assert.deepEqual(
      SHOP.map((c) => got[c.id]!.rfm),
      SHOP.map((c) => c.rfm),
    );
    const queued = await t.db.query<{ user_id: string }>(
      'SELECT c.user_id FROM customer_changes q JOIN customers c ON c.workspace_id = q.workspace_id AND c.id = q.customer_id WHERE q.workspace_id = $1 ORDER BY 1',
      [t.workspaceId],
    );
    assert.deepEqual(
      queued.map((q) => q.user_id),
      SHOP.map((c) => c.id).sort(),
      'every segment name changed',
    );
  });
});
