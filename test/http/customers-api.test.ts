// The customers API over HTTP: search, one profile, the paginated timeline, export, erasure and the product catalogue.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import { anotherWorkspace, serve, type Served } from './server.ts';

// One database for the file; each part runs its own app on its own workspace in it.
let shared: TestDb;
before(async () => (shared = await freshDb()));
after(async () => shared.close());

const NOW = new Date('2026-03-20T12:00:00.000Z');
const at = (day: string, time = '10:00:00') => `2026-03-${day}T${time}.000Z`;
const cursor = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');

const order = (userId: string, orderId: string, total: number, day: string, products: object[] = []) => ({
  type: 'track',
  userId,
  event: 'Order Completed',
  messageId: `m-${orderId}`,
  timestamp: at(day),
  properties: { orderId, total, currency: 'EUR', products },
});

/**
 * The shop's history, sent one message at a time: ann signs up, browses anonymously on another device, signs in there
 * (the anonymous profile is merged into hers), orders twice; bob (who also uses a tablet) and cat are other customers.
 */
const history: Record<string, unknown>[] = [
  {
    type: 'identify',
    userId: 'ann',
    messageId: 'ann-id',
    timestamp: at('01', '09:30:00'),
    traits: { email: 'Ann.Smith@Example.com', phone: '+442079460958', plan: 'gold', city: 'London' },
  },
  { type: 'page', anonymousId: 'anon-ann', name: 'Home', messageId: 'ann-page', timestamp: at('01', '09:00:00') },
  {
    type: 'track',
    userId: 'ann',
    anonymousId: 'anon-ann',
    event: 'Signed In',
    messageId: 'ann-signin',
    timestamp: at('01', '09:35:00'),
  },
  order('ann', 'a1', 40, '02', [
    { product_id: 'sku-1', name: 'Water filter', price: 15, quantity: 2 },
    { product_id: 'sku-2', price: 10, quantity: 1 },
  ]),
  order('ann', 'a2', 60, '05'),
  {
    type: 'track',
    userId: 'ann',
    event: 'Product Viewed',
    messageId: 'ann-view',
    properties: { product_id: 'sku-3' },
    timestamp: at('06'),
  },
  {
    type: 'identify',
    userId: 'bob',
    anonymousId: 'bob-tablet',
    messageId: 'bob-id',
    traits: { email: 'bob@example.com', plan: 'silver' },
    timestamp: at('03'),
  },
  {
    type: 'identify',
    userId: 'cat',
    messageId: 'cat-id',
    traits: { plan: 'gold', phone: '+14155550123' },
    timestamp: at('04'),
  },
];
const annHistory = history.filter((m) => m.userId === 'ann' || m.anonymousId === 'anon-ann');

describe(`customers API (${backend})`, () => {
  let s: Served;
  const ids: Record<string, string> = {};
  let annAnonymousProfile: string;
  const admin = (method: string, path: string, body?: unknown) => s.call(method, path, { key: s.adminKey, body });
  const search = async (params: Record<string, string>) => {
    const res = await admin('GET', `/api/v1/customers?${new URLSearchParams(params)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as {
      customers: { id: string; userId: string; anonymousIds: string[] }[];
      nextCursor: string | null;
    };
  };

  before(async () => {
    s = await serve({ clock: () => NOW }, await anotherWorkspace(shared));
    for (const message of history) {
      const res = await s.call('POST', '/v1/batch', { key: s.writeKey, body: { batch: [message] } });
      assert.deepEqual(res.body, { success: true, accepted: 1, duplicates: 0, rejected: [] });
      if (message.messageId === 'ann-page') annAnonymousProfile = (await search({ q: 'anon-ann' })).customers[0]!.id;
    }
    for (const user of ['ann', 'bob', 'cat']) ids[user] = (await search({ q: user })).customers[0]!.id;
  });
  after(async () => s.close());

  const searches: [string, Record<string, string>, string[]][] = [
    ['user id', { q: 'ann' }, ['ann']],
    ['e-mail as stored', { q: 'ann.smith@example.com' }, ['ann']],
    ['e-mail in another case, with spaces around', { q: '  ANN.Smith@EXAMPLE.com ' }, ['ann']],
    ['phone in E.164', { q: '+442079460958' }, ['ann']],
    ['phone written with spaces', { q: '+44 20 7946 0958' }, ['ann']],
    ['phone written with dashes and brackets', { q: '+44 (20) 7946-0958' }, ['ann']],
    ['US phone written the US way', { q: '+1 (415) 555-0123' }, ['cat']],
    ['anonymous id', { q: 'anon-ann' }, ['ann']],
    ['trait plan:gold (newest first)', { trait: 'plan:gold' }, ['cat', 'ann']],
    ['trait plan:silver', { trait: 'plan:silver' }, ['bob']],
    ['trait city:London', { trait: 'city:London' }, ['ann']],
    ['trait with no match', { trait: 'plan:platinum' }, []],
    ['user id that nobody has', { q: 'zed' }, []],
    ['a user id differing only in case is another user', { q: 'ANN' }, []],
    ['nothing: the newest customers', {}, ['cat', 'bob', 'ann']],
  ];
  for (const [name, params, users] of searches) {
    it(`search by ${name} → ${users.join(', ') || 'nobody'}`, async () => {
      const { customers } = await search(params);
      assert.deepEqual(
        customers.map((c) => c.userId),
        users,
      );
    });
  }

  it("the list gives each customer's anonymous ids, as the profile does (ann's merged device, bob's tablet, none for cat)", async () => {
    const { customers } = await search({});
    assert.deepEqual(
      customers.map((c) => [c.userId, c.anonymousIds]),
      [
        ['cat', []],
        ['bob', ['bob-tablet']],
        ['ann', ['anon-ann']],
      ],
    );
    const one = await admin('GET', `/api/v1/customers/${ids.bob}`);
    assert.deepEqual(one.body.customer.anonymousIds, ['bob-tablet']);
  });

  it('search results are paginated with a cursor', async () => {
    const first = await search({ limit: '2' });
    assert.deepEqual(
      first.customers.map((c) => c.userId),
      ['cat', 'bob'],
    );
    assert.ok(first.nextCursor);
    const second = await search({ limit: '2', cursor: first.nextCursor });
    assert.deepEqual(
      second.customers.map((c) => c.userId),
      ['ann'],
    );
    assert.equal(second.nextCursor, null);
  });

  it('a trait search that is not key:value → 400 naming the parameter', async () => {
    const res = await admin('GET', '/api/v1/customers?trait=gold');
    assert.equal(res.status, 400);
    assert.match(res.body.message, /^trait: use key:value/);
  });

  it('GET one customer: profile, aggregates and per-event counters', async () => {
    const res = await admin('GET', `/api/v1/customers/${ids.ann}`);
    assert.equal(res.status, 200);
    const { customer, counters } = res.body;
    assert.deepEqual(
      {
        id: customer.id,
        userId: customer.userId,
        email: customer.email,
        phone: customer.phone,
        anonymousIds: customer.anonymousIds,
        traits: customer.traits,
      },
      {
        id: ids.ann,
        userId: 'ann',
        email: 'ann.smith@example.com',
        phone: '+442079460958',
        anonymousIds: ['anon-ann'],
        traits: { email: 'ann.smith@example.com', phone: '+442079460958', plan: 'gold', city: 'London' },
      },
    );
    assert.deepEqual(customer.aggregates, {
      firstSeen: at('01', '09:00:00'),
      lastSeen: at('06'),
      firstOrderAt: at('02'),
      lastOrderAt: at('05'),
      ordersCount: 2,
      purchaseDays: 2,
      revenueTotal: 100,
      revenueNet: 100,
      averageOrderValue: 50,
    });
    assert.deepEqual(
      counters.map((c: any) => [c.name, c.count, c.lastAt]),
      [
        ['Product Viewed', 1, at('06')],
        ['Order Completed', 2, at('05')],
        ['Signed In', 1, at('01', '09:35:00')],
        ['identify', 1, at('01', '09:30:00')],
        ['page', 1, at('01', '09:00:00')],
      ],
    );
  });

  it('the id of the anonymous profile merged into ann still leads to ann', async () => {
    assert.notEqual(annAnonymousProfile, ids.ann);
    const res = await admin('GET', `/api/v1/customers/${annAnonymousProfile}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.customer.id, ids.ann);
  });

  for (const id of ['987654321', 'not-a-number', '99999999999999999999999999']) {
    it(`unknown id ${id} → 404 saying how to find ids`, async () => {
      for (const suffix of ['', '/events', '/export']) {
        const res = await admin('GET', `/api/v1/customers/${id}${suffix}`);
        assert.equal(res.status, 404, `${suffix}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error, 'not_found');
        assert.match(res.body.message, new RegExp(`No customer ${id} in this workspace.*GET /api/v1/customers\\?q=`));
      }
      assert.equal((await admin('DELETE', `/api/v1/customers/${id}`)).status, 404);
    });
  }

  describe('timeline', () => {
    // Seven events; the 3rd and 4th newest happen at the same second, so the first page ends inside a tie.
    const events = [
      ['t1', at('10', '08:00:00')],
      ['t2', at('10', '09:00:00')],
      ['t3', at('10', '10:00:00')],
      ['t4a', at('10', '11:00:00')],
      ['t4b', at('10', '11:00:00')],
      ['t6', at('10', '12:00:00')],
      ['t7', at('10', '13:00:00')],
    ] as const;
    let tim: string;
    before(async () => {
      const batch = events.map(([id, ts]) => ({
        type: 'track',
        userId: 'tim',
        event: `Step ${id}`,
        messageId: id,
        timestamp: ts,
      }));
      assert.equal(
        (await s.call('POST', '/v1/batch', { key: s.writeKey, body: { batch: batch.reverse() } })).body.accepted,
        7,
      );
      tim = (await search({ q: 'tim' })).customers[0]!.id;
    });

    it('limit=3 gives 3 pages, newest first, each event exactly once, then no cursor', async () => {
      const pages: string[][] = [];
      let next: string | null = null;
      do {
        const query: string = next ? `limit=3&cursor=${next}` : 'limit=3';
        const res = await admin('GET', `/api/v1/customers/${tim}/events?${query}`);
        assert.equal(res.status, 200);
        pages.push(res.body.events.map((e: { messageId: string }) => e.messageId));
        next = res.body.nextCursor;
        assert.ok(pages.length <= 4, 'the cursor ends');
      } while (next);
      assert.deepEqual(pages, [['t7', 't6', 't4b'], ['t4a', 't3', 't2'], ['t1']]);
    });

    it('timeline events carry what happened and when', async () => {
      const res = await admin('GET', `/api/v1/customers/${tim}/events?limit=1`);
      assert.deepEqual(res.body.events[0], {
        id: 't7',
        messageId: 't7',
        customerId: tim,
        userId: 'tim',
        anonymousId: null,
        type: 'track',
        name: 'Step t7',
        properties: {},
        timestamp: at('10', '13:00:00'),
        receivedAt: NOW.toISOString(),
      });
    });

    const badCursors: [string, string][] = [
      ['not base64 JSON', 'zzz'],
      ['JSON but not a list', cursor({ after: 3 })],
      ['an empty list', cursor([])],
      ['a list whose time is not a time', cursor(['yesterday', 't3'])],
      ['a list of numbers', cursor([1, 2])],
      ['a search cursor', cursor(['12'])],
    ];
    for (const [name, bad] of badCursors) {
      it(`a bad timeline cursor (${name}) → 400 invalid_cursor`, async () => {
        const res = await admin('GET', `/api/v1/customers/${tim}/events?cursor=${bad}`);
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.error, 'invalid_cursor');
        assert.match(res.body.message, /nextCursor/);
      });
    }

    for (const [name, bad] of [
      ['not base64 JSON', 'zzz'],
      ['a word', cursor(['abc'])],
      ['an empty list', cursor([])],
      ['a timeline cursor', cursor([at('10'), 't3'])],
    ]) {
      it(`a bad search cursor (${name}) → 400 invalid_cursor`, async () => {
        const res = await admin('GET', `/api/v1/customers?cursor=${bad}`);
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.error, 'invalid_cursor');
      });
    }
  });

  it('export holds the profile, events, orders and order lines', async () => {
    const res = await admin('GET', `/api/v1/customers/${ids.ann}/export`);
    assert.equal(res.status, 200);
    assert.match(
      res.headers.get('content-disposition') ?? '',
      new RegExp(`attachment; filename="customer-${ids.ann}.json"`),
    );
    const doc = res.body;
    assert.equal(doc.customer.email, 'ann.smith@example.com');
    assert.equal(doc.customer.aggregates.revenueTotal, 100);
    assert.deepEqual(
      doc.events.map((e: { messageId: string }) => e.messageId),
      ['ann-page', 'ann-id', 'ann-signin', 'm-a1', 'm-a2', 'ann-view'],
    );
    assert.equal(doc.events[1].traits.plan, 'gold', 'events carry their traits');
    assert.deepEqual(
      doc.orders.map((o: any) => [o.order_id, o.status, o.total, o.refunded, o.currency]),
      [
        ['a1', 'completed', 40, 0, 'EUR'],
        ['a2', 'completed', 60, 0, 'EUR'],
      ],
    );
    assert.deepEqual(
      doc.orderLines.map((l: any) => [l.order_id, l.line_no, l.product_id, l.name, l.price, l.quantity]),
      [
        ['a1', 1, 'sku-1', 'Water filter', 15, 2],
        ['a1', 2, 'sku-2', null, 10, 1],
      ],
    );
    assert.deepEqual(doc.identities, [
      { kind: 'anonymous', value: 'anon-ann' },
      { kind: 'user', value: 'ann' },
    ]);
    assert.equal(doc.counters.length, 5);
  });

  it('DELETE erases: profile, events and orders are gone, and replaying the events does not bring her back', async () => {
    const res = await admin('DELETE', `/api/v1/customers/${ids.ann}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { erased: true, eventsDeleted: 6 });

    assert.equal((await admin('GET', `/api/v1/customers/${ids.ann}`)).status, 404);
    assert.equal(
      (await admin('GET', `/api/v1/customers/${annAnonymousProfile}`)).status,
      404,
      'nor through the merged id',
    );
    for (const q of ['ann', 'ann.smith@example.com', '+442079460958', 'anon-ann'])
      assert.deepEqual((await search({ q })).customers, [], `not found by ${q}`);
    const left = await s.t.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM events WHERE workspace_id = $1 AND (user_id = 'ann' OR anonymous_id = 'anon-ann'))
            + (SELECT count(*) FROM orders WHERE workspace_id = $1 AND order_id IN ('a1', 'a2'))
            + (SELECT count(*) FROM order_lines WHERE workspace_id = $1 AND order_id IN ('a1', 'a2'))
            + (SELECT count(*) FROM identities WHERE workspace_id = $1 AND value IN ('ann', 'anon-ann')) AS n`,
      [s.t.workspaceId],
    );
    assert.equal(Number(left[0]!.n), 0, 'no row about her is left');
    const tombstones = await s.t.db.query<{ identity_hash: string }>(
      'SELECT identity_hash FROM erasures WHERE workspace_id = $1',
      [s.t.workspaceId],
    );
    assert.equal(tombstones.length, 2, 'one tombstone per id she was known by (user id, anonymous id)');
    for (const t of tombstones) assert.match(t.identity_hash, /^[0-9a-f]{64}$/, 'a hash, no PII');

    const replay = await s.call('POST', '/v1/batch', { key: s.writeKey, body: { batch: annHistory } });
    assert.equal(replay.status, 200);
    assert.equal(replay.body.accepted, 0);
    assert.deepEqual(
      replay.body.rejected.map((r: { index: number }) => r.index),
      annHistory.map((_, i) => i),
    );
    for (const r of replay.body.rejected) assert.match(r.reason, /erased/);
    const single = await s.call('POST', '/v1/track', {
      key: s.writeKey,
      body: { userId: 'ann', event: 'Came Back', messageId: 'ann-new' },
    });
    assert.equal(single.status, 400);
    assert.match(single.body.message, /erased/);
    assert.deepEqual((await search({ q: 'ann' })).customers, [], 'still nobody');
    assert.deepEqual(
      (await search({})).customers.map((c) => c.userId),
      ['tim', 'cat', 'bob'],
      'the others are untouched',
    );
    assert.equal((await admin('DELETE', `/api/v1/customers/${ids.ann}`)).status, 404, 'erasing twice → 404');
  });

  it('PUT /api/v1/products upserts: a second call updates the price and keeps the name', async () => {
    const first = await admin('PUT', '/api/v1/products', {
      products: [
        {
          id: 'sku-1',
          name: 'Water filter',
          price: 15,
          category: 'Filters',
          url: 'https://shop.example/p/sku-1',
          inStock: true,
        },
        { id: 'sku-2', name: 'Cartridge', price: 10 },
      ],
    });
    assert.deepEqual([first.status, first.body], [200, { upserted: 2 }]);
    const second = await admin('PUT', '/api/v1/products', { products: [{ id: 'sku-1', price: 12.5, inStock: false }] });
    assert.deepEqual([second.status, second.body], [200, { upserted: 1 }]);
    const rows = await s.t.db.query<Record<string, unknown>>(
      'SELECT product_id, name, price::float8 AS price, category, url, in_stock FROM products WHERE workspace_id = $1 ORDER BY product_id',
      [s.t.workspaceId],
    );
    assert.deepEqual(rows, [
      {
        product_id: 'sku-1',
        name: 'Water filter',
        price: 12.5,
        category: 'Filters',
        url: 'https://shop.example/p/sku-1',
        in_stock: false,
      },
      { product_id: 'sku-2', name: 'Cartridge', price: 10, category: null, url: null, in_stock: null },
    ]);
  });

  const badProducts: [string, unknown, string][] = [
    ['a product without id', { products: [{ name: 'x' }] }, 'products.0.id'],
    ['a negative price', { products: [{ id: 'p', price: -1 }] }, 'products.0.price'],
    ['an url that is none', { products: [{ id: 'p', url: 'not a url' }] }, 'products.0.url'],
    ['no list', { products: 'sku-1' }, 'products'],
  ];
  for (const [name, body, field] of badProducts) {
    it(`PUT /api/v1/products with ${name} → 400 naming ${field}`, async () => {
      const res = await admin('PUT', '/api/v1/products', body);
      assert.equal(res.status, 400);
      assert.equal(res.body.issues[0].field, field);
    });
  }
});

describe(`customers API: user ids that look like numbers (${backend})`, () => {
  let s: Served;
  before(async () => (s = await serve({}, await anotherWorkspace(shared))));
  after(async () => s.close());

  it('search by a user id made of more digits than a bigint holds (e.g. a 22-digit id from another system)', async () => {
    const sent = await s.call('POST', '/v1/identify', {
      key: s.writeKey,
      body: { userId: '1234567890123456789012', messageId: 'long-id' },
    });
    assert.equal(sent.status, 200);
    const res = await s.call('GET', '/api/v1/customers?q=1234567890123456789012', { key: s.adminKey });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.customers.map((c: { userId: string }) => c.userId),
      ['1234567890123456789012'],
    );
  });
});
