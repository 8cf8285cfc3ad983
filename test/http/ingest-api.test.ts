// The Segment-compatible tracking API over HTTP: each endpoint, validation answers, bodies (JSON, gzip, limits),
// replays, rate limits, health and the OpenAPI document.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import type { Db } from '../../src/store/db.ts';
import { buildApp } from '../../src/http/app.ts';
import { anotherWorkspace, serve, type Served } from './server.ts';

// One database for the file; each part below runs its own app on its own workspace in it.
let shared: TestDb;
before(async () => (shared = await freshDb()));
after(async () => shared.close());
const own = () => anotherWorkspace(shared);

const NOW = new Date('2026-03-10T12:00:00.000Z');
const clock = () => NOW;

/** The field an error answer names: schema errors list issues, ingest rejections list rejected events. */
const fieldOf = (body: any): string | undefined => body.issues?.[0]?.field ?? body.rejected?.[0]?.field;

async function eventRow(s: Served, messageId: string) {
  const rows = await s.t.db.query<{
    type: string;
    name: string | null;
    user_id: string | null;
    timestamp: Date;
    received_at: Date;
  }>('SELECT type, name, user_id, timestamp, received_at FROM events WHERE workspace_id = $1 AND message_id = $2', [
    s.t.workspaceId,
    messageId,
  ]);
  return rows[0];
}

async function countEvents(s: Served) {
  return (
    await s.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE workspace_id = $1', [
      s.t.workspaceId,
    ])
  )[0]!.n;
}

describe(`tracking endpoints (${backend})`, () => {
  let s: Served;
  before(async () => (s = await serve({ clock }, await own())));
  after(async () => s.close());

  const good: [string, object, { type: string; name: string | null }][] = [
    [
      'identify',
      { userId: 'u-1', traits: { email: 'u1@example.com', plan: 'gold' } },
      { type: 'identify', name: null },
    ],
    [
      'track',
      { userId: 'u-1', event: 'Product Viewed', properties: { product_id: 'sku-1' } },
      { type: 'track', name: 'Product Viewed' },
    ],
    ['page', { anonymousId: 'a-1', name: 'Home', properties: { path: '/' } }, { type: 'page', name: 'Home' }],
    ['screen', { userId: 'u-1', name: 'Basket' }, { type: 'screen', name: 'Basket' }],
    ['group', { userId: 'u-1', groupId: 'g-1', traits: { name: 'Acme' } }, { type: 'group', name: null }],
    ['alias', { previousId: 'a-1', userId: 'u-1' }, { type: 'alias', name: null }],
  ];
  for (const [endpoint, message, stored] of good) {
    it(`POST /v1/${endpoint} accepts a good message and stores it, received now`, async () => {
      const messageId = `m-${endpoint}`;
      const res = await s.call('POST', `/v1/${endpoint}`, { key: s.writeKey, body: { ...message, messageId } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { success: true, accepted: 1, duplicates: 0, rejected: [] });
      const row = await eventRow(s, messageId);
      assert.ok(row, 'stored');
      assert.deepEqual({ type: row.type, name: row.name }, stored);
      assert.equal(new Date(row.received_at).toISOString(), NOW.toISOString());
      assert.equal(
        new Date(row.timestamp).toISOString(),
        NOW.toISOString(),
        'no timestamp given: the time it was received',
      );
    });
  }

  it('the single endpoints fix the type: a track body sent to /v1/page is a page', async () => {
    const res = await s.call('POST', '/v1/page', {
      key: s.writeKey,
      body: { type: 'track', userId: 'u-1', name: 'Pricing', messageId: 'm-typed' },
    });
    assert.equal(res.status, 200);
    assert.equal((await eventRow(s, 'm-typed'))!.type, 'page');
  });

  it('alias joined the anonymous page view to the user', async () => {
    const found = await s.call('GET', '/api/v1/customers?q=a-1', { key: s.adminKey });
    assert.equal(found.body.customers.length, 1);
    assert.equal(found.body.customers[0].userId, 'u-1');
    assert.equal(found.body.customers[0].traits.plan, 'gold');
  });

  const bad: [string, string, object, string][] = [
    ['track without event', 'track', { userId: 'u-2' }, 'event'],
    ['track with an empty event name', 'track', { userId: 'u-2', event: '' }, 'event'],
    ['track without any identity', 'track', { event: 'Lonely' }, 'userId'],
    [
      'track with a timestamp that is no date',
      'track',
      { userId: 'u-2', event: 'x', timestamp: 'last tuesday' },
      'timestamp',
    ],
    [
      'track with properties that are no object',
      'track',
      { userId: 'u-2', event: 'x', properties: 'big' },
      'properties',
    ],
    [
      'Order Completed without an order id',
      'track',
      { userId: 'u-2', event: 'Order Completed', properties: { total: 5 } },
      'properties.orderId',
    ],
    [
      'Order Completed with a total that is no number',
      'track',
      { userId: 'u-2', event: 'Order Completed', properties: { orderId: 'o', total: 'lots' } },
      'properties.total',
    ],
    ['identify with an e-mail that is none', 'identify', { userId: 'u-2', traits: { email: 'nope' } }, 'traits.email'],
    ['identify with a phone that is none', 'identify', { userId: 'u-2', traits: { phone: '12' } }, 'traits.phone'],
    ['group without groupId', 'group', { userId: 'u-2' }, 'groupId'],
    ['alias without previousId', 'alias', { userId: 'u-2' }, 'previousId'],
    ['alias without userId', 'alias', { previousId: 'a-2' }, 'userId'],
    ['page with a name that is no string', 'page', { userId: 'u-2', name: 42 }, 'name'],
  ];
  for (const [name, endpoint, message, field] of bad) {
    it(`a bad single message → 400 naming the field: ${name} → ${field}`, async () => {
      const before = await countEvents(s);
      const res = await s.call('POST', `/v1/${endpoint}`, { key: s.writeKey, body: message });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(fieldOf(res.body), field);
      assert.ok(res.body.message.startsWith(`${field}: `), `message names the field: ${res.body.message}`);
      assert.ok(res.body.message.length > field.length + 5, 'and says what is wrong');
      assert.equal(await countEvents(s), before, 'nothing stored');
    });
  }

  it('/v1/batch keeps the good events and answers index, field and reason for each bad one', async () => {
    const res = await s.call('POST', '/v1/batch', {
      key: s.writeKey,
      body: {
        batch: [
          { type: 'identify', userId: 'b-1', traits: { email: 'B1@Example.com' }, messageId: 'b-good-0' },
          { type: 'track', userId: 'b-1' },
          {
            type: 'track',
            userId: 'b-1',
            event: 'Order Completed',
            properties: { orderId: 'b-o1', total: 30, currency: 'EUR' },
            messageId: 'b-good-2',
          },
          { type: 'teleport', userId: 'b-1' },
          { type: 'identify', userId: 'b-1', traits: { email: 'not mail' } },
          { type: 'page', anonymousId: 'b-anon', name: 'Home', messageId: 'b-good-5' },
          { type: 'track', event: 'Nobody' },
        ],
      },
    });
    assert.equal(res.status, 200, 'a partly bad batch is still answered 200: the good events are kept');
    assert.equal(res.body.success, false);
    assert.equal(res.body.accepted, 3);
    assert.equal(res.body.duplicates, 0);
    assert.deepEqual(
      res.body.rejected.map((r: any) => [r.index, r.field]),
      [
        [1, 'event'],
        [3, 'type'],
        [4, 'traits.email'],
        [6, 'userId'],
      ],
    );
    for (const r of res.body.rejected) assert.ok(r.reason.length > 5, `a reason for ${r.index}: ${r.reason}`);
    for (const id of ['b-good-0', 'b-good-2', 'b-good-5']) assert.ok(await eventRow(s, id), `${id} stored`);
    const b1 = await s.call('GET', '/api/v1/customers?q=b1@example.com', { key: s.adminKey });
    assert.equal(b1.body.customers[0].aggregates.revenueTotal, 30);
  });

  const malformed: [string, object, number, string, RegExp][] = [
    [
      'a body that is not JSON',
      { body: '{"batch": [', headers: { 'content-type': 'application/json' } },
      400,
      'malformed_json',
      /not valid JSON/,
    ],
    [
      'an empty JSON body',
      { body: '', headers: { 'content-type': 'application/json' } },
      400,
      'malformed_json',
      /not valid JSON/,
    ],
    ['a batch that is no array', { body: { batch: 'all of them' } }, 400, 'invalid_request', /^batch: /],
    ['no batch at all', { body: { events: [] } }, 400, 'invalid_request', /^batch: /],
    [
      'a garbage body that says it is gzip',
      { body: randomBytes(64), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } },
      400,
      'malformed_body',
      /gzip/,
    ],
    [
      'a JSON body that says it is gzip but is not',
      { body: '{"batch":[]}', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } },
      400,
      'malformed_body',
      /gzip/,
    ],
  ];
  for (const [name, opts, status, error, message] of malformed) {
    it(`${name} → ${status} ${error}`, async () => {
      const res = await s.call('POST', '/v1/batch', { key: s.writeKey, ...opts });
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error, error);
      assert.match(res.body.message, message);
    });
  }

  it('a gzip-compressed batch (Content-Encoding: gzip) is accepted', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => ({
      type: 'track',
      userId: 'gz-1',
      event: 'Zipped',
      messageId: `gz-${i}`,
      properties: { i },
    }));
    const res = await s.call('POST', '/v1/batch', { key: s.writeKey, body: { batch }, gzip: true });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { success: true, accepted: 20, duplicates: 0, rejected: [] });
    const found = await s.call('GET', '/api/v1/customers?q=gz-1', { key: s.adminKey });
    const one = await s.call('GET', `/api/v1/customers/${found.body.customers[0].id}`, { key: s.adminKey });
    assert.deepEqual(
      one.body.counters.map((c: any) => [c.name, c.count]),
      [['Zipped', 20]],
    );
  });

  // Like Segment's own API, the tracking endpoints read JSON whatever the Content-Type says.
  const labels: [string, string | null, boolean][] = [
    ['text/plain (browser beacons)', 'text/plain;charset=UTF-8', false],
    ['application/x-www-form-urlencoded, gzip (RudderStack Node SDK)', 'application/x-www-form-urlencoded', true],
    ['application/octet-stream', 'application/octet-stream', false],
    ['no Content-Type at all', null, false],
  ];
  for (const [name, type, gzip] of labels) {
    it(`a JSON batch labelled ${name} is read as JSON`, async () => {
      const messageId = `ct-${name}`;
      const json = JSON.stringify({ batch: [{ type: 'track', userId: 'ct-1', event: 'Labelled', messageId }] });
      const res = await s.call('POST', '/v1/batch', {
        key: s.writeKey,
        body: gzip ? gzipSync(json) : Buffer.from(json),
        headers: { ...(type ? { 'content-type': type } : {}), ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.accepted, 1);
      assert.ok(await eventRow(s, messageId));
    });
  }

  it('malformed JSON labelled text/plain is still answered malformed_json', async () => {
    const res = await s.call('POST', '/v1/track', {
      key: s.writeKey,
      body: 'userId=u&event=x',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'malformed_json');
  });

  it('outside the tracking endpoints, text/plain stays text: the admin API wants application/json', async () => {
    const res = await s.call('PUT', '/api/v1/products', {
      key: s.adminKey,
      body: JSON.stringify({ products: [] }),
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_request');
    const octets = await s.call('PUT', '/api/v1/products', {
      key: s.adminKey,
      body: JSON.stringify({ products: [] }),
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(octets.status, 415);
  });

  it('a single message may be gzip-compressed too', async () => {
    const res = await s.call('POST', '/v1/track', {
      key: s.writeKey,
      body: { userId: 'gz-2', event: 'Zipped', messageId: 'gz-single' },
      gzip: true,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(await eventRow(s, 'gz-single'));
  });

  it('replaying the same batch counts duplicates and changes nothing', async () => {
    const batch = [
      {
        type: 'identify',
        userId: 'r-1',
        traits: { email: 'r1@example.com', plan: 'silver' },
        messageId: 'r-id',
        timestamp: '2026-03-01T09:00:00Z',
      },
      {
        type: 'track',
        userId: 'r-1',
        event: 'Order Completed',
        messageId: 'r-o1',
        timestamp: '2026-03-01T10:00:00Z',
        properties: { orderId: 'r-o1', total: 12.5, products: [{ product_id: 'sku-9', price: 12.5, quantity: 1 }] },
      },
      {
        type: 'track',
        userId: 'r-1',
        event: 'Order Completed',
        messageId: 'r-o2',
        timestamp: '2026-03-02T10:00:00Z',
        properties: { orderId: 'r-o2', total: 7.5 },
      },
    ];
    const first = await s.call('POST', '/v1/batch', { key: s.writeKey, body: { batch } });
    assert.deepEqual(first.body, { success: true, accepted: 3, duplicates: 0, rejected: [] });
    const id = (await s.call('GET', '/api/v1/customers?q=r-1', { key: s.adminKey })).body.customers[0].id;
    const before = (await s.call('GET', `/api/v1/customers/${id}`, { key: s.adminKey })).body;
    assert.equal(before.customer.aggregates.ordersCount, 2);
    assert.equal(before.customer.aggregates.revenueTotal, 20);
    const events = await countEvents(s);

    for (const gzip of [false, true]) {
      const again = await s.call('POST', '/v1/batch', { key: s.writeKey, body: { batch }, gzip });
      assert.deepEqual(again.body, { success: true, accepted: 0, duplicates: 3, rejected: [] });
    }
    const single = await s.call('POST', '/v1/track', { key: s.writeKey, body: batch[1] });
    assert.deepEqual(single.body, { success: true, accepted: 0, duplicates: 1, rejected: [] });
    const within = await s.call('POST', '/v1/batch', { key: s.writeKey, body: { batch: [batch[2], batch[2]] } });
    assert.deepEqual(within.body, { success: true, accepted: 0, duplicates: 2, rejected: [] });

    assert.deepEqual((await s.call('GET', `/api/v1/customers/${id}`, { key: s.adminKey })).body, before);
    assert.equal(await countEvents(s), events);
  });

  it('an endpoint for an unknown message type → 404', async () => {
    const res = await s.call('POST', '/v1/launch', { key: s.writeKey, body: {} });
    assert.equal(res.status, 404);
  });
});

describe(`body limit (${backend})`, () => {
  let s: Served;
  before(async () => (s = await serve({ bodyLimitBytes: 2048 }, await own())));
  after(async () => s.close());

  const big = {
    batch: Array.from({ length: 60 }, (_, i) => ({
      type: 'track',
      userId: 'big',
      event: 'Big',
      messageId: `big-${i}`,
    })),
  };

  it('a batch under the limit is accepted', async () => {
    const res = await s.call('POST', '/v1/batch', { key: s.writeKey, body: { batch: big.batch.slice(0, 5) } });
    assert.equal(res.status, 200);
    assert.equal(res.body.accepted, 5);
  });

  it('a body over the limit → 413 telling to split the batch, and nothing is stored', async () => {
    assert.ok(JSON.stringify(big).length > 2048);
    const res = await s.call('POST', '/v1/batch', { key: s.writeKey, body: big });
    assert.equal(res.status, 413);
    assert.equal(res.body.error, 'body_too_large');
    assert.match(res.body.message, /2048 bytes.*split/);
    assert.equal(await countEvents(s), 5);
  });

  it('a gzip body small on the wire but over the limit once decompressed → 413 (no zip bombs)', async () => {
    const zipped = gzipSync(JSON.stringify(big));
    assert.ok(zipped.length < 2048, 'small compressed');
    const res = await s.call('POST', '/v1/batch', {
      key: s.writeKey,
      body: zipped,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    assert.equal(res.status, 413);
    assert.equal(res.body.error, 'body_too_large');
    assert.equal(await countEvents(s), 5);
  });
});

describe(`rate limit (${backend})`, () => {
  let s: Served;
  before(async () => {
    s = await serve({ rateLimitPerMinute: 3 }, await own());
    // The window is a calendar minute: do not start in its last seconds.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5_000) await new Promise((r) => setTimeout(r, left + 100));
  });
  after(async () => s.close());

  it('the 4th request of a key within a minute → 429 with retry-after; other keys and health checks are not affected', async () => {
    const send = (i: number) =>
      s.call('POST', '/v1/track', { key: s.writeKey, body: { userId: 'rl', event: 'Tick', messageId: `rl-${i}` } });
    const statuses = [];
    for (let i = 1; i <= 3; i++) statuses.push((await send(i)).status);
    assert.deepEqual(statuses, [200, 200, 200]);
    const fourth = await send(4);
    assert.equal(fourth.status, 429);
    assert.equal(fourth.body.error, 'rate_limited');
    const retryAfter = Number(fourth.headers.get('retry-after'));
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60,
      `retry-after is seconds: ${fourth.headers.get('retry-after')}`,
    );
    assert.match(fourth.body.message, /3 requests a minute/);
    assert.equal(await eventRow(s, 'rl-4'), undefined, 'the refused event was not stored');
    assert.equal((await send(5)).status, 429, 'still limited');
    assert.equal(
      (await s.call('GET', '/api/v1/me', { key: s.adminKey })).status,
      200,
      'the admin key has its own budget',
    );
    assert.equal((await s.call('GET', '/health')).status, 200);
  });
});

describe(`health, readiness and the API description (${backend})`, () => {
  let s: Served;
  before(async () => (s = await serve({}, await own())));
  after(async () => s.close());

  it('/health answers ok without a key', async () => {
    const res = await s.call('GET', '/health');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('/ready answers ready with the database kind', async () => {
    const res = await s.call('GET', '/ready');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ready', database: backend });
  });

  it('/ready answers 503 when the database does not answer, /health still ok', async () => {
    const down = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const unreachable: Db = {
      kind: backend,
      query: async () => {
        throw down;
      },
      transaction: async () => {
        throw down;
      },
      copyCsv: async () => {
        throw down;
      },
      close: async () => {},
    };
    const app = await buildApp({ db: unreachable, logLevel: 'silent', webDir: null });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const ready = await fetch(`${url}/ready`);
      assert.equal(ready.status, 503);
      assert.deepEqual(await ready.json(), {
        status: 'unavailable',
        message: `database not reachable: ${down.message}`,
      });
      assert.equal((await fetch(`${url}/health`)).status, 200);
    } finally {
      await app.close();
    }
  });

  it('/docs/json is an OpenAPI document of the tracking and customer APIs', async () => {
    const res = await s.call('GET', '/docs/json');
    assert.equal(res.status, 200);
    assert.match(res.body.openapi, /^3\./);
    for (const path of [
      '/v1/batch',
      '/v1/identify',
      '/v1/track',
      '/v1/page',
      '/v1/screen',
      '/v1/group',
      '/v1/alias',
      '/api/v1/customers',
      '/api/v1/customers/{id}',
      '/api/v1/customers/{id}/events',
      '/api/v1/products',
    ]) {
      assert.ok(res.body.paths[path], `documents ${path}`);
    }
    assert.ok(res.body.paths['/v1/batch'].post.requestBody, 'the batch body is described');
    assert.ok(res.body.paths['/api/v1/customers/{id}'].delete, 'erasure is described');
    assert.deepEqual(Object.keys(res.body.components.securitySchemes).sort(), ['basic', 'bearer']);
  });
});
