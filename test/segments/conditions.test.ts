// Every condition kind on a tiny shop, table-driven: ingest four customers → preview a definition at a fixed clock →
// assert who is in it, by name.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import type { Queryable } from '../../src/store/db.ts';
import { createSegment, evaluateSegment, previewDefinition, InvalidDefinition } from '../../src/segments/index.ts';

const NOW = new Date('2026-03-10T12:00:00Z');
const track = (userId: string, event: string, timestamp: string, properties: object = {}) => ({
  type: 'track',
  userId,
  event,
  properties,
  timestamp,
});
const order = (userId: string, orderId: string, total: number, timestamp: string) =>
  track(userId, 'Order Completed', timestamp, { orderId, total, currency: 'EUR' });

// ann: recent gold buyer; bob: lapsed free customer born on 29 Feb; cat: newsletter reader, never bought; dan: one page view.
const DATA = [
  {
    type: 'identify',
    userId: 'ann',
    traits: {
      plan: 'gold',
      age: 34,
      size: 1,
      tags: ['vip', 'eu'],
      city: 'Oslo',
      birthday: '1990-03-12',
      signup: '2026-03-05',
      nickname: null,
    },
    timestamp: '2026-03-01T09:00:00Z',
  },
  order('ann', 'o1', 100, '2026-03-01T10:00:00Z'),
  order('ann', 'o2', 50, '2026-03-08T10:00:00Z'),
  track('ann', 'Product Viewed', '2026-03-05T10:00:00Z'),
  track('ann', 'Product Viewed', '2026-03-07T10:00:00Z'),
  track('ann', 'Product Viewed', '2026-03-09T10:00:00Z'),
  {
    type: 'identify',
    userId: 'bob',
    traits: { plan: 'free', age: '19', size: '1.0', city: 'Bergen', birthday: '2000-02-29', signup: '2025-12-01' },
    timestamp: '2025-10-01T10:00:00Z',
  },
  order('bob', 'b1', 20, '2025-11-01T10:00:00Z'),
  track('bob', 'Order Refunded', '2025-11-02T10:00:00Z', { orderId: 'b1', total: 5 }),
  track('bob', 'Product Viewed', '2026-02-01T11:00:00Z'),
  {
    type: 'identify',
    userId: 'cat',
    traits: { plan: 'Gold Plus', age: 51, size: 2.5, birthday: '1985-03-10', signup: 'not a date', tags: 'vip-ish' },
    timestamp: '2026-03-02T10:00:00Z',
  },
  track('cat', 'Newsletter Opened', '2026-03-09T10:00:00Z', { campaign: 'spring' }),
  { type: 'page', userId: 'dan', name: 'Home', timestamp: '2026-03-10T11:00:00Z' },
];

async function seed(t: TestDb) {
  const r = await ingest(t.db, t.workspaceId, DATA, { receivedAt: NOW });
  assert.deepEqual(r.rejected, []);
  // Scores and consents are written by other capabilities; here they are set directly.
  const scores: [string, number, string, number, string, number, string][] = [
    ['ann', 5, 'Champions', 0.9, 'low', 900, 'active'],
    ['bob', 1, 'Lost', 0.09999999999999999, 'high', 20, 'churned'], // just below 0.1, as a float
  ];
  for (const [user, r, seg, p, risk, clv, stage] of scores) {
    await t.db.query(
      `UPDATE customers SET rfm_r = $3, rfm_segment = $4, p_alive = $5, churn_risk = $6, clv = $7, lifecycle_stage = $8 WHERE workspace_id = $1 AND user_id = $2`,
      [t.workspaceId, user, r, seg, p, risk, clv, stage],
    );
  }
  const consents: [string, string, string, boolean, string][] = [
    ['ann', 'email', 'marketing', true, '2026-03-01'],
    ['bob', 'email', 'marketing', true, '2026-02-01'],
    ['bob', 'email', 'marketing', false, '2026-03-01'],
    ['cat', 'email', 'marketing', false, '2026-02-01'],
    ['cat', 'email', 'marketing', true, '2026-03-02'],
    ['cat', 'sms', 'marketing', true, '2026-03-02'],
  ];
  for (const [user, channel, purpose, granted, at] of consents) {
    await t.db.query(
      `INSERT INTO consents (workspace_id, customer_id, channel, purpose, granted, source, at)
       SELECT $1, id, $3, $4, $5, 'test', $6::timestamptz FROM customers WHERE workspace_id = $1 AND user_id = $2`,
      [t.workspaceId, user, channel, purpose, granted, at],
    );
  }
  await createSegment(t.db, t.workspaceId, {
    id: 'goldish',
    name: 'Gold-ish plans',
    definition: { trait: 'plan', op: 'contains', value: 'gold' },
  });
  await evaluateSegment(t.db, t.workspaceId, 'goldish', NOW);
}

async function members(db: Queryable, ws: string, def: unknown, now = NOW): Promise<string[]> {
  const { count, sample } = await previewDefinition(db, ws, def, now, 100);
  const names = sample.map((c) => c.userId!).sort();
  assert.equal(count, names.length, 'count matches the sample');
  return names;
}

type Case = [name: string, def: unknown, expected: string[], now?: string];

const cases: Case[] = [
  // traits
  ['trait equals a string', { trait: 'plan', op: 'equals', value: 'gold' }, ['ann']],
  ['trait equals a number', { trait: 'age', op: 'equals', value: 34 }, ['ann']],
  ['trait gt reads numbers and numeric strings', { trait: 'age', op: 'gt', value: 18 }, ['ann', 'bob', 'cat']],
  ['trait lte', { trait: 'age', op: 'lte', value: 34 }, ['ann', 'bob']],
  [
    'trait not_equals includes customers without the trait',
    { trait: 'plan', op: 'not_equals', value: 'gold' },
    ['bob', 'cat', 'dan'],
  ],
  ['trait contains is a case-insensitive substring', { trait: 'plan', op: 'contains', value: 'GOLD' }, ['ann', 'cat']],
  [
    'trait contains an array element (exact) or a substring',
    { trait: 'tags', op: 'contains', value: 'vip' },
    ['ann', 'cat'],
  ],
  ['trait contains: array elements are matched whole', { trait: 'tags', op: 'contains', value: 'vi' }, ['cat']],
  ['trait in', { trait: 'city', op: 'in', value: ['Oslo', 'Bergen', 'Paris'] }, ['ann', 'bob']],
  [
    'trait in numbers compares numbers as numbers (1 = 1.0 = "1.0"), as equals does',
    { trait: 'size', op: 'in', value: [1, 2.5] },
    ['ann', 'bob', 'cat'],
  ],
  ['trait equals a number agrees with in', { trait: 'size', op: 'equals', value: 1 }, ['ann', 'bob']],
  [
    'trait in a text compares text, as equals does ("1" is the number 1 written, not "1.0")',
    { trait: 'size', op: 'in', value: ['1'] },
    ['ann'],
  ],
  ['trait in numbers and texts: either matches', { trait: 'age', op: 'in', value: [51, '19', 'x'] }, ['bob', 'cat']],
  ['trait exists', { trait: 'city', op: 'exists' }, ['ann', 'bob']],
  ['trait not_exists', { trait: 'city', op: 'not_exists' }, ['cat', 'dan']],
  ['a null trait does not exist', { trait: 'nickname', op: 'exists' }, []],
  [
    'trait before a date (an invalid date never matches)',
    { trait: 'signup', op: 'before', value: '2026-01-01' },
    ['bob'],
  ],
  ['trait after a date-time', { trait: 'signup', op: 'after', value: '2026-03-01T00:00:00Z' }, ['ann']],
  ['trait date before, far back', { trait: 'birthday', op: 'before', value: '1989-01-01' }, ['cat']],
  ['trait within the last 7 days', { trait: 'signup', op: 'within_last_days', days: 7 }, ['ann']],
  ['trait within the last 100 days', { trait: 'signup', op: 'within_last_days', days: 100 }, ['ann', 'bob']],
  ['anniversary in 2 days', { trait: 'birthday', op: 'anniversary_in_days', days: 2 }, ['ann']],
  ['anniversary today', { trait: 'birthday', op: 'anniversary_in_days', days: 0 }, ['cat']],
  [
    'anniversary within 2 days',
    { trait: 'birthday', op: 'anniversary_in_days', days: 2, within: true },
    ['ann', 'cat'],
  ],
  [
    '29 Feb is celebrated on 28 Feb in a non-leap year',
    { trait: 'birthday', op: 'anniversary_in_days', days: 2 },
    ['bob'],
    '2026-02-26T08:00:00Z',
  ],
  [
    '29 Feb is celebrated on 29 Feb in a leap year',
    { trait: 'birthday', op: 'anniversary_in_days', days: 2 },
    ['bob'],
    '2028-02-27T08:00:00Z',
  ],
  ['… and not on 28 Feb then', { trait: 'birthday', op: 'anniversary_in_days', days: 1 }, [], '2028-02-27T08:00:00Z'],
  // aggregates
  ['orders_count gte', { aggregate: 'orders_count', op: 'gte', value: 2 }, ['ann']],
  ['orders_count equals 0', { aggregate: 'orders_count', op: 'equals', value: 0 }, ['cat', 'dan']],
  ['revenue_net between (refunds subtracted)', { aggregate: 'revenue_net', op: 'between', value: [10, 20] }, ['bob']],
  ['revenue_total gt', { aggregate: 'revenue_total', op: 'gt', value: 100 }, ['ann']],
  ['average_order_value', { aggregate: 'average_order_value', op: 'equals', value: 75 }, ['ann']],
  ['purchase_days', { aggregate: 'purchase_days', op: 'equals', value: 2 }, ['ann']],
  ['no order for more than 90 days', { aggregate: 'days_since_last_order', op: 'gt', value: 90 }, ['bob']],
  ['last order at most 2 days ago', { aggregate: 'days_since_last_order', op: 'lte', value: 2 }, ['ann']],
  ['last order exactly 2 (whole) days ago', { aggregate: 'days_since_last_order', op: 'equals', value: 2 }, ['ann']],
  [
    'days since last order not 2 (never ordered included)',
    { aggregate: 'days_since_last_order', op: 'not_equals', value: 2 },
    ['bob', 'cat', 'dan'],
  ],
  ['days since last order between', { aggregate: 'days_since_last_order', op: 'between', value: [100, 200] }, ['bob']],
  ['days since first order', { aggregate: 'days_since_first_order', op: 'gte', value: 9 }, ['ann', 'bob']],
  ['seen today', { aggregate: 'days_since_last_seen', op: 'lt', value: 1 }, ['dan']],
  ['seen a day ago', { aggregate: 'days_since_last_seen', op: 'equals', value: 1 }, ['ann', 'cat']],
  // events
  [
    'did X at least 3 times in the last 7 days',
    { event: 'Product Viewed', op: 'at_least', count: 3, days: 7 },
    ['ann'],
  ],
  ['did X at least once ever (counters)', { event: 'Product Viewed', op: 'at_least', count: 1 }, ['ann', 'bob']],
  [
    'did X at most once in the last 30 days',
    { event: 'Product Viewed', op: 'at_most', count: 1, days: 30 },
    ['bob', 'cat', 'dan'],
  ],
  ['never did X', { event: 'Product Viewed', op: 'at_most', count: 0 }, ['cat', 'dan']],
  ['has not done X for 2 days', { event: 'Product Viewed', op: 'not_for', days: 2 }, ['bob', 'cat', 'dan']],
  [
    'has not done X for 1 day (last time 26 hours ago)',
    { event: 'Product Viewed', op: 'not_for', days: 1 },
    ['ann', 'bob', 'cat', 'dan'],
  ],
  [
    'did X with property P = v',
    { event: 'Newsletter Opened', op: 'at_least', count: 1, where: { campaign: 'spring' } },
    ['cat'],
  ],
  [
    'did X with another value',
    { event: 'Newsletter Opened', op: 'at_least', count: 1, where: { campaign: 'winter' } },
    [],
  ],
  [
    'did X with P = v within 1 day',
    { event: 'Newsletter Opened', op: 'at_least', count: 1, where: { campaign: 'spring' }, days: 1 },
    [],
  ],
  [
    'did X with P = v within 2 days',
    { event: 'Newsletter Opened', op: 'at_least', count: 1, where: { campaign: 'spring' }, days: 2 },
    ['cat'],
  ],
  [
    'did X with a numeric property',
    { event: 'Order Completed', op: 'at_least', count: 1, where: { total: 50 } },
    ['ann'],
  ],
  ['non-track events by type', { event: 'page', op: 'at_least', count: 1 }, ['dan']],
  ['identify events by type', { event: 'identify', op: 'at_least', count: 1 }, ['ann', 'bob', 'cat']],
  // scores
  ['RFM segment', { score: 'rfm_segment', op: 'equals', value: 'Champions' }, ['ann']],
  ['churn-risk band', { score: 'churn_risk', op: 'in', value: ['high', 'medium'] }, ['bob']],
  ['P(alive)', { score: 'p_alive', op: 'lt', value: 0.5 }, ['bob']],
  ['P(alive) compared as stored, to the last digit', { score: 'p_alive', op: 'lt', value: 0.1 }, ['bob']],
  ['CLV', { score: 'clv', op: 'gte', value: 500 }, ['ann']],
  [
    'lifecycle stage not_equals (unscored included)',
    { score: 'lifecycle_stage', op: 'not_equals', value: 'active' },
    ['bob', 'cat', 'dan'],
  ],
  ['RFM R exists', { score: 'rfm_r', op: 'exists' }, ['ann', 'bob']],
  ['RFM R between', { score: 'rfm_r', op: 'between', value: [2, 5] }, ['ann']],
  // segments, consent
  ['member of another segment', { segment: 'goldish', op: 'member' }, ['ann', 'cat']],
  ['not member of another segment', { segment: 'goldish', op: 'not_member' }, ['bob', 'dan']],
  ['consent: the latest record grants it', { consent: 'email', purpose: 'marketing' }, ['ann', 'cat']],
  ['consent for another channel', { consent: 'sms', purpose: 'marketing' }, ['cat']],
  ['consent for another purpose', { consent: 'email', purpose: 'transactional' }, []],
  // nesting
  [
    'and / or / not nested',
    {
      or: [
        {
          and: [
            { trait: 'plan', op: 'contains', value: 'gold' },
            { aggregate: 'orders_count', op: 'gte', value: 1 },
          ],
        },
        { not: { trait: 'city', op: 'exists' } },
      ],
    },
    ['ann', 'cat', 'dan'],
  ],
  [
    'not of a missing trait is true (two-valued logic)',
    { not: { trait: 'plan', op: 'equals', value: 'gold' } },
    ['bob', 'cat', 'dan'],
  ],
  ['not not', { not: { not: { trait: 'plan', op: 'equals', value: 'gold' } } }, ['ann']],
  ['not consent', { not: { consent: 'email', purpose: 'marketing' } }, ['bob', 'dan']],
  [
    'segment and event',
    {
      and: [
        { segment: 'goldish', op: 'member' },
        { event: 'Newsletter Opened', op: 'at_least', count: 1 },
      ],
    },
    ['cat'],
  ],
];

describe(`segment conditions (${backend})`, () => {
  let t: TestDb;
  before(async () => {
    t = await freshDb();
    await seed(t);
  });
  after(async () => t.close());

  for (const [name, def, expected, now] of cases) {
    it(name, async () => {
      assert.deepEqual(await members(t.db, t.workspaceId, def, now ? new Date(now) : NOW), expected);
    });
  }

  it('dates do not depend on the session time zone', async () => {
    await t.db.transaction(async (tx) => {
      await tx.query("SET LOCAL TimeZone = 'Pacific/Kiritimati'");
      for (const [, def, expected, now] of cases.filter(
        ([, d]) => 'trait' in (d as object) && /before|after|within|anniversary/.test((d as { op: string }).op),
      )) {
        assert.deepEqual(
          await members(tx, t.workspaceId, def, now ? new Date(now) : NOW),
          expected,
          JSON.stringify(def),
        );
      }
    });
  });

  it('SQL in trait keys, values, event names and properties is only data', async () => {
    const evil = ["x'); DROP TABLE customers; --", "' OR '1'='1", "plan' OR 1=1 --", '"; DELETE FROM events; --'];
    for (const s of evil) {
      assert.deepEqual(await members(t.db, t.workspaceId, { trait: s, op: 'equals', value: s }), []);
      assert.deepEqual(await members(t.db, t.workspaceId, { trait: 'plan', op: 'in', value: [s] }), []);
      assert.deepEqual(await members(t.db, t.workspaceId, { trait: s, op: 'anniversary_in_days', days: 1 }), []);
      assert.deepEqual(
        await members(t.db, t.workspaceId, { event: s, op: 'at_least', count: 1, days: 3, where: { [s]: s } }),
        [],
      );
      assert.deepEqual(await members(t.db, t.workspaceId, { consent: s, purpose: 'marketing' }), []);
    }
    const [n] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers WHERE workspace_id = $1', [
      t.workspaceId,
    ]);
    assert.equal(n!.n, 4);
  });

  it('preview: a count and a sample of the newest members; an invalid definition is refused with paths', async () => {
    const { count, sample } = await previewDefinition(
      t.db,
      t.workspaceId,
      { trait: 'age', op: 'gt', value: 18 },
      NOW,
      2,
    );
    assert.equal(count, 3);
    assert.deepEqual(
      sample.map((c) => c.userId),
      ['cat', 'bob'],
    );
    await assert.rejects(
      previewDefinition(t.db, t.workspaceId, { or: [{ trait: 'age', op: 'older' }] }, NOW),
      (err: unknown) =>
        err instanceof InvalidDefinition &&
        err.errors[0]!.path === '$.or[0].op' &&
        /"older" is not one of/.test(err.message),
    );
  });
});
