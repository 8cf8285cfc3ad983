// Property: whatever happens, incremental membership equals a full recompute. Seeded random events for 200 customers
// over random virtual days; after every step runIncremental, then compare every segment with its definition
// evaluated from scratch, and the logged entries minus exits with the member count.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createSegment, evaluateSegment, runIncremental, compile, parseDefinition } from '../../src/segments/index.ts';

/** mulberry32: a tiny seeded PRNG, so a failure replays exactly. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

const SEGMENTS: { id: string; definition: unknown; createdAtStep?: number }[] = [
  { id: 'lapsed', definition: { aggregate: 'days_since_last_order', op: 'gte', value: 5 } },
  { id: 'browsing', definition: { event: 'Product Viewed', op: 'at_least', count: 2, days: 3 } },
  {
    id: 'quiet-buyer',
    definition: {
      and: [
        { event: 'App Opened', op: 'not_for', days: 2 },
        { aggregate: 'orders_count', op: 'gte', value: 1 },
      ],
    },
  },
  {
    id: 'vip-lapsed',
    definition: {
      and: [
        { segment: 'lapsed', op: 'member' },
        {
          or: [
            { trait: 'plan', op: 'equals', value: 'gold' },
            { aggregate: 'revenue_total', op: 'gt', value: 200 },
          ],
        },
      ],
    },
  },
  { id: 'birthday-soon', definition: { trait: 'birthday', op: 'anniversary_in_days', days: 3, within: true } },
  { id: 'new-buyer', definition: { aggregate: 'days_since_first_order', op: 'between', value: [1, 4] } },
  { id: 'away', definition: { not: { aggregate: 'days_since_last_seen', op: 'lt', value: 2 } } },
  {
    id: 'shoes-recently',
    definition: { event: 'Order Completed', op: 'at_least', count: 1, days: 4, where: { category: 'shoes' } },
  },
  {
    id: 'mixed',
    definition: {
      or: [
        {
          and: [
            { segment: 'browsing', op: 'member' },
            { segment: 'lapsed', op: 'not_member' },
          ],
        },
        { event: 'App Opened', op: 'at_most', count: 1, days: 2 },
      ],
    },
  },
  // time can only take customers out of these (the members may stand in for the crossing query)
  { id: 'app-recently', definition: { not: { event: 'App Opened', op: 'not_for', days: 1 } } },
  {
    id: 'many-views',
    definition: {
      and: [
        { not: { event: 'Product Viewed', op: 'at_most', count: 1, days: 3 } },
        { aggregate: 'orders_count', op: 'gte', value: 1 },
      ],
    },
  },
  {
    id: 'late-joiner',
    createdAtStep: 12,
    definition: {
      and: [
        { segment: 'vip-lapsed', op: 'not_member' },
        { aggregate: 'days_since_last_order', op: 'lt', value: 3 },
      ],
    },
  },
];

const SEED = 20260310;
const CUSTOMERS = 200;
const STEPS = 30;

describe(`incremental membership equals full recompute (${backend}, seed ${SEED})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it(`${CUSTOMERS} customers, ${STEPS} random steps`, async () => {
    const rnd = prng(SEED);
    const ws = t.workspaceId;
    let now = new Date('2026-02-20T08:00:00Z');
    let orderNo = 0;
    const create = async (s: (typeof SEGMENTS)[number]) =>
      createSegment(t.db, ws, { id: s.id, name: s.id, definition: s.definition });
    for (const s of SEGMENTS) if (s.createdAtStep === undefined) await create(s);

    for (let step = 0; step < STEPS; step++) {
      // The clock moves 0 to 3 days and some hours; sometimes nothing happens but time.
      now = new Date(now.getTime() + rnd.int(3) * 86_400_000 + rnd.int(24) * 3_600_000 + rnd.int(60) * 60_000);
      const quiet = rnd.next() < 0.2;
      const messages: object[] = [];
      for (let i = 0; !quiet && i < 60; i++) {
        const user = `u${rnd.int(CUSTOMERS)}`;
        // Events arrive up to 2 days late, never from the future.
        const timestamp = new Date(now.getTime() - rnd.int(48 * 60) * 60_000).toISOString();
        const kind = rnd.int(10);
        if (kind < 2) {
          const category = rnd.pick(['shoes', 'hats', 'books'] as const);
          messages.push({
            type: 'track',
            userId: user,
            event: 'Order Completed',
            timestamp,
            properties: { orderId: `o${++orderNo}`, total: 20 + rnd.int(150), category },
          });
        } else if (kind < 5)
          messages.push({
            type: 'track',
            userId: user,
            event: 'Product Viewed',
            timestamp,
            properties: { product_id: `p${rnd.int(5)}` },
          });
        else if (kind < 8) messages.push({ type: 'track', userId: user, event: 'App Opened', timestamp });
        else {
          const birthday = `19${50 + rnd.int(50)}-${String(1 + rnd.int(3)).padStart(2, '0')}-${String(1 + rnd.int(28)).padStart(2, '0')}`;
          messages.push({
            type: 'identify',
            userId: user,
            timestamp,
            traits: { plan: rnd.pick(['gold', 'free'] as const), birthday },
          });
        }
      }
      if (messages.length) assert.deepEqual((await ingest(t.db, ws, messages, { receivedAt: now })).rejected, []);
      for (const s of SEGMENTS) if (s.createdAtStep === step) await create(s);

      for (let more = true; more; ) {
        const r = await runIncremental(t.db, ws, now, { batchSize: 70 });
        assert.deepEqual(r.errors, []);
        more = r.more;
      }

      for (const s of SEGMENTS) {
        if (s.createdAtStep !== undefined && s.createdAtStep > step) continue;
        const { where, params } = compile(parseDefinition(s.definition), now);
        const expected = (
          await t.db.query<{ id: string }>(`SELECT c.id::text AS id FROM customers c WHERE ${where} ORDER BY c.id`, [
            ws,
            ...params,
          ])
        ).map((r) => r.id);
        const actual = (
          await t.db.query<{ id: string }>(
            'SELECT customer_id::text AS id FROM segment_members WHERE workspace_id = $1 AND segment_id = $2 ORDER BY customer_id',
            [ws, s.id],
          )
        ).map((r) => r.id);
        assert.deepEqual(actual, expected, `segment ${s.id} at step ${step} (${now.toISOString()})`);
      }
    }

    // Every membership is explained by the log: entries − exits = members, per segment.
    const balance = await t.db.query<{ segment: string; net: number; members: number }>(
      `SELECT s.id AS segment,
         (SELECT count(*) FILTER (WHERE e.name = 'Segment Entered') - count(*) FILTER (WHERE e.name = 'Segment Exited')
            FROM events e WHERE e.workspace_id = $1 AND e.name LIKE 'Segment %' AND e.properties ->> 'segmentId' = s.id)::int AS net,
         (SELECT count(*) FROM segment_members m WHERE m.workspace_id = $1 AND m.segment_id = s.id)::int AS members
       FROM segments s WHERE s.workspace_id = $1 ORDER BY s.id`,
      [ws],
    );
    for (const b of balance) assert.equal(b.net, b.members, `log balance of ${b.segment}`);
    assert.ok(balance.some((b) => b.members > 0) && balance.every((b) => b.net >= 0));
    // And a full recompute at the last instant changes nothing.
    for (const s of SEGMENTS)
      assert.deepEqual(await evaluateSegment(t.db, ws, s.id, now), { entered: 0, exited: 0 }, s.id);
  });
});
