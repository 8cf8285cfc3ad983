// Ingestion scenarios, table-driven: submit messages → read the customer → assert profile and aggregates.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { getCustomer, searchCustomers, eraseCustomer } from '../../src/customers/customers.ts';

const at = (iso: string) => `2026-03-${iso}Z`;
const track = (userId: string, event: string, properties: object, day: string, messageId?: string) => ({
  type: 'track',
  userId,
  event,
  properties,
  timestamp: at(day),
  ...(messageId ? { messageId } : {}),
});
const order = (userId: string, orderId: string, total: number, day: string) =>
  track(
    userId,
    'Order Completed',
    { orderId, total, currency: 'EUR', products: [{ product_id: 'sku-1', price: total, quantity: 1 }] },
    day,
    `m-${orderId}`,
  );

async function customerOf(t: TestDb, userId: string) {
  const { customers } = await searchCustomers(t.db, t.workspaceId, { q: userId, limit: 5 });
  assert.equal(customers.length, 1, `one customer for ${userId}`);
  return (await getCustomer(t.db, t.workspaceId, customers[0]!.id))!;
}

interface Scenario {
  name: string;
  batches: unknown[][];
  user: string;
  expect: Partial<{
    ordersCount: number;
    purchaseDays: number;
    revenueTotal: number;
    revenueNet: number;
    averageOrderValue: number | null;
    firstOrderAt: string;
    lastOrderAt: string;
    firstSeen: string;
    lastSeen: string;
    email: string;
    phone: string;
    traits: Record<string, unknown>;
    anonymousIds: string[];
    counters: Record<string, number>;
  }>;
}

const scenarios: Scenario[] = [
  {
    name: 'two orders on one day and one the next → 3 orders, 2 purchase days, first/last order, average',
    user: 'ann',
    batches: [
      [
        order('ann', 'o1', 10, '01T09:00:00'),
        order('ann', 'o2', 20, '01T18:00:00'),
        order('ann', 'o3', 30, '02T10:00:00'),
      ],
    ],
    expect: {
      ordersCount: 3,
      purchaseDays: 2,
      revenueTotal: 60,
      revenueNet: 60,
      averageOrderValue: 20,
      firstOrderAt: at('01T09:00:00.000'),
      lastOrderAt: at('02T10:00:00.000'),
    },
  },
  {
    name: 'anonymous browsing, then identify → one customer with the whole history',
    user: 'bob',
    batches: [
      [
        { type: 'page', anonymousId: 'anon-b', name: 'Home', timestamp: at('01T08:00:00') },
        {
          type: 'track',
          anonymousId: 'anon-b',
          event: 'Product Viewed',
          properties: { product_id: 'p1' },
          timestamp: at('01T08:01:00'),
        },
      ],
      [
        {
          type: 'identify',
          userId: 'bob',
          anonymousId: 'anon-b',
          traits: { email: 'Bob@Example.COM', phone: '+44 20 7946 0958' },
          timestamp: at('01T08:05:00'),
        },
      ],
    ],
    expect: {
      email: 'bob@example.com',
      phone: '+442079460958',
      anonymousIds: ['anon-b'],
      firstSeen: at('01T08:00:00.000'),
      counters: { page: 1, 'Product Viewed': 1, identify: 1 },
    },
  },
  {
    name: 'known user on a second device, anonymous history then identify → merged into the known customer',
    user: 'cat',
    batches: [
      [order('cat', 'c1', 50, '01T10:00:00')],
      [
        {
          type: 'track',
          anonymousId: 'dev-2',
          event: 'Product Added',
          properties: { product_id: 'p9' },
          timestamp: at('02T10:00:00'),
        },
      ],
      [
        {
          type: 'identify',
          userId: 'cat',
          anonymousId: 'dev-2',
          traits: { plan: 'gold' },
          timestamp: at('02T10:05:00'),
        },
      ],
    ],
    expect: {
      ordersCount: 1,
      anonymousIds: ['dev-2'],
      counters: { 'Order Completed': 1, 'Product Added': 1, identify: 1 },
      lastSeen: at('02T10:05:00.000'),
    },
  },
  {
    name: 'alias joins an earlier anonymous profile to the user',
    user: 'dan',
    batches: [
      [{ type: 'track', anonymousId: 'anon-d', event: 'Signed Up', timestamp: at('01T10:00:00') }],
      [order('dan', 'd1', 5, '01T11:00:00')],
      [{ type: 'alias', previousId: 'anon-d', userId: 'dan', timestamp: at('01T11:01:00') }],
    ],
    expect: { ordersCount: 1, anonymousIds: ['anon-d'], counters: { 'Signed Up': 1, alias: 1, 'Order Completed': 1 } },
  },
  {
    name: 'traits: later wins per trait, even when the older identify arrives last',
    user: 'eve',
    batches: [
      [{ type: 'identify', userId: 'eve', traits: { plan: 'gold', city: 'Oslo' }, timestamp: at('05T10:00:00') }],
      [{ type: 'identify', userId: 'eve', traits: { plan: 'free', age: 30 }, timestamp: at('01T10:00:00') }],
    ],
    expect: { traits: { plan: 'gold', city: 'Oslo', age: 30 } },
  },
  {
    name: 'partial refund, then cancellation of what is left, of a second order',
    user: 'fay',
    batches: [
      [order('fay', 'f1', 100, '01T10:00:00'), order('fay', 'f2', 40, '02T10:00:00')],
      [
        track('fay', 'Order Refunded', { orderId: 'f1', total: 30 }, '03T10:00:00'),
        track('fay', 'Order Cancelled', { orderId: 'f2' }, '03T11:00:00'),
      ],
    ],
    expect: { ordersCount: 1, revenueTotal: 140, revenueNet: 70, purchaseDays: 1 },
  },
  {
    name: 'a cancelled order takes its purchase day away only when no other order of that day is left',
    user: 'eli',
    batches: [
      [
        order('eli', 'e1', 10, '01T10:00:00'),
        order('eli', 'e2', 20, '01T15:00:00'),
        order('eli', 'e3', 30, '02T10:00:00'),
      ],
      [
        track('eli', 'Order Cancelled', { orderId: 'e1' }, '03T10:00:00'),
        track('eli', 'Order Cancelled', { orderId: 'e3' }, '03T11:00:00'),
      ],
    ],
    expect: { ordersCount: 1, revenueNet: 20, purchaseDays: 1 },
  },
  {
    name: 'refund without an amount is a full refund; refunds never exceed the order',
    user: 'gus',
    batches: [
      [order('gus', 'g1', 25, '01T10:00:00')],
      [
        track('gus', 'Order Refunded', { orderId: 'g1', total: 10 }, '02T10:00:00'),
        track('gus', 'Order Refunded', { orderId: 'g1' }, '03T10:00:00'),
        track('gus', 'Order Refunded', { orderId: 'g1', total: 99 }, '04T10:00:00'),
      ],
    ],
    expect: { ordersCount: 1, revenueTotal: 25, revenueNet: 0 },
  },
  {
    name: 'a cancellation that overtakes its order cancels it when it arrives',
    user: 'ida',
    batches: [
      [track('ida', 'Order Cancelled', { orderId: 'i9' }, '02T10:00:00')],
      [order('ida', 'i9', 50, '01T10:00:00')],
    ],
    expect: { ordersCount: 0, revenueTotal: 50, revenueNet: 0, purchaseDays: 0 },
  },
  {
    name: 'a partial refund before its order, then a full refund: the order is refunded exactly once',
    user: 'jon',
    batches: [
      [track('jon', 'Order Refunded', { orderId: 'j9', total: 5 }, '02T10:00:00')],
      [order('jon', 'j9', 20, '01T10:00:00')],
      [track('jon', 'Order Refunded', { orderId: 'j9' }, '03T10:00:00')],
    ],
    expect: { ordersCount: 1, revenueTotal: 20, revenueNet: 0 },
  },
  {
    name: 'a returns invoice whose order never comes subtracts its own amount',
    user: 'kay',
    batches: [
      [
        order('kay', 'k1', 30, '01T10:00:00'),
        track('kay', 'Order Refunded', { orderId: 'C-k1', total: 12 }, '02T10:00:00'),
      ],
    ],
    expect: { ordersCount: 1, revenueTotal: 30, revenueNet: 18 },
  },
  {
    name: 'the same order under another messageId is counted once',
    user: 'hal',
    batches: [
      [order('hal', 'h1', 12, '01T10:00:00')],
      [{ ...order('hal', 'h1', 12, '01T10:00:00'), messageId: 'another' }],
    ],
    expect: { ordersCount: 1, revenueTotal: 12, purchaseDays: 1, counters: { 'Order Completed': 2 } },
  },
];

describe(`ingestion scenarios (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  for (const s of scenarios) {
    it(s.name, async () => {
      for (const batch of s.batches) {
        const result = await ingest(t.db, t.workspaceId, batch);
        assert.deepEqual(result.rejected, [], 'no rejections');
      }
      const { customer, counters } = await customerOf(t, s.user);
      const { traits, anonymousIds, counters: expectedCounters, email, phone, ...aggregates } = s.expect;
      for (const [k, v] of Object.entries(aggregates))
        assert.deepEqual((customer.aggregates as Record<string, unknown>)[k], v, k);
      if (email) assert.equal(customer.email, email);
      if (phone) assert.equal(customer.phone, phone);
      if (traits) for (const [k, v] of Object.entries(traits)) assert.deepEqual(customer.traits[k], v, `trait ${k}`);
      if (anonymousIds) assert.deepEqual(customer.anonymousIds, anonymousIds);
      if (expectedCounters)
        assert.deepEqual(Object.fromEntries(counters.map((c) => [c.name, c.count])), expectedCounters);
    });
  }
});

describe(`ingestion safety (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('a replayed batch changes nothing', async () => {
    const batch = [
      order('ivy', 'i1', 10, '01T10:00:00'),
      { type: 'identify', userId: 'ivy', traits: { a: 1 }, messageId: 'ivy-id', timestamp: at('01T10:00:00') },
    ];
    const first = await ingest(t.db, t.workspaceId, batch);
    const before = await customerOf(t, 'ivy');
    const again = await ingest(t.db, t.workspaceId, batch);
    assert.deepEqual([first.accepted, again.accepted, again.duplicates], [2, 0, 2]);
    assert.deepEqual(await customerOf(t, 'ivy'), before);
  });

  it('a batch with bad events keeps the good ones and names each bad one by index and field', async () => {
    const result = await ingest(t.db, t.workspaceId, [
      { type: 'track', userId: 'jo', event: 'Page Liked', timestamp: at('01T10:00:00') },
      { type: 'track', event: 'No Identity' },
      { type: 'track', userId: 'jo', event: 'Order Completed', properties: { total: 5 } },
      { type: 'identify', userId: 'jo', traits: { email: 'not-an-email' } },
      { type: 'track', userId: 'jo', event: 'x', timestamp: 'yesterday-ish' },
      { type: 'launch', userId: 'jo' },
      'not an object',
      { type: 'track', userId: 'jo', event: 'Order Completed', properties: { orderId: 'j1', total: 'ten' } },
      { type: 'track', userId: 'jo', event: 'Order Completed', properties: { orderId: 'j2', total: -50 } },
    ]);
    assert.equal(result.accepted, 1);
    assert.deepEqual(
      result.rejected.map((r) => [r.index, r.field]),
      [
        [1, 'userId'],
        [2, 'properties.orderId'],
        [3, 'traits.email'],
        [4, 'timestamp'],
        [5, 'type'],
        [6, ''],
        [7, 'properties.total'],
        [8, 'properties.total'],
      ],
    );
    for (const r of result.rejected) assert.ok(r.reason.length > 5, `reason given for ${r.index}`);
  });

  it('a value PostgreSQL cannot store refuses only its own message; a cut emoji is stored as U+FFFD', async () => {
    const result = await ingest(t.db, t.workspaceId, [
      {
        type: 'page',
        userId: 'lou',
        name: 'Sale \ud83d',
        properties: { title: 'Sale \ud83d' },
        timestamp: at('01T10:00:00'),
      },
      { type: 'track', userId: 'lou', event: 'Note', properties: { text: 'a\u0000b' }, timestamp: at('01T10:01:00') },
      { type: 'track', userId: 'lou', event: 'Far future', timestamp: '+010000-01-01T00:00:00Z' },
      {
        type: 'track',
        userId: 'lou',
        event: 'Order Completed',
        properties: { orderId: 'l1', total: 1e17 },
        timestamp: at('01T10:02:00'),
      },
      { type: 'identify', userId: 'lou', traits: { nickname: 'K\udc00' }, timestamp: at('01T10:03:00') },
    ]);
    assert.deepEqual(
      result.rejected.map((r) => [r.index, r.field]),
      [
        [1, 'properties.text'],
        [2, 'timestamp'],
        [3, 'properties.total'],
      ],
    );
    assert.equal(result.accepted, 2);
    const [page] = await t.db.query<{ name: string; properties: { title: string } }>(
      "SELECT name, properties FROM events WHERE workspace_id = $1 AND user_id = 'lou' AND type = 'page'",
      [t.workspaceId],
    );
    assert.deepEqual([page!.name, page!.properties.title], ['Sale \ufffd', 'Sale \ufffd']);
    assert.equal((await customerOf(t, 'lou')).customer.traits.nickname, 'K\ufffd');
  });

  it('corrects client clock skew as Segment does: receivedAt − (sentAt − timestamp)', async () => {
    const receivedAt = new Date('2026-03-10T12:00:00Z');
    // The client's clock is 1 hour fast: it says it sent at 13:00 an event it timestamped 12:55.
    await ingest(
      t.db,
      t.workspaceId,
      [
        {
          type: 'track',
          userId: 'kim',
          event: 'Skewed',
          timestamp: '2026-03-10T12:55:00Z',
          sentAt: '2026-03-10T13:00:00Z',
        },
      ],
      { receivedAt },
    );
    const { customer } = await customerOf(t, 'kim');
    assert.equal(customer.aggregates.firstSeen, '2026-03-10T11:55:00.000Z');
  });

  it('an erased customer is not brought back by a replay', async () => {
    const batch = [order('liz', 'l1', 10, '01T10:00:00')];
    await ingest(t.db, t.workspaceId, batch);
    const { customer } = await customerOf(t, 'liz');
    assert.equal((await eraseCustomer(t.db, t.workspaceId, customer.id)).erased, true);
    const replay = await ingest(t.db, t.workspaceId, batch);
    assert.equal(replay.accepted, 0);
    assert.match(replay.rejected[0]!.reason, /erased/);
    const { customers } = await searchCustomers(t.db, t.workspaceId, { q: 'liz', limit: 5 });
    assert.equal(customers.length, 0);
    const rows = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM orders WHERE workspace_id = $1 AND order_id = 'l1'",
      [t.workspaceId],
    );
    assert.equal(rows[0]!.n, 0);
  });

  it('events and aggregates commit together or not at all', async () => {
    // A trigger makes the aggregate update fail after the events insert: nothing of the batch may remain.
    await t.db.query(`CREATE FUNCTION fail_on_mia() RETURNS trigger AS $$ BEGIN
      IF NEW.user_id = 'mia' AND NEW.orders_count > 0 THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await t.db.query(
      'CREATE TRIGGER fail_on_mia BEFORE INSERT OR UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION fail_on_mia()',
    );
    try {
      await assert.rejects(
        ingest(t.db, t.workspaceId, [
          { type: 'identify', userId: 'mia', timestamp: at('01T09:00:00') },
          order('mia', 'm1', 10, '01T10:00:00'),
        ]),
        /boom/,
      );
    } finally {
      await t.db.query('DROP TRIGGER fail_on_mia ON customers');
    }
    const events = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE workspace_id = $1 AND user_id = 'mia'",
      [t.workspaceId],
    );
    const customers = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM customers WHERE workspace_id = $1 AND user_id = 'mia'",
      [t.workspaceId],
    );
    assert.deepEqual([events[0]!.n, customers[0]!.n], [0, 0]);
  });
});
