// Authentication and tenancy over HTTP: who may call what, how keys are presented and stored, and workspace isolation.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { anotherWorkspace, serve, basic, type Served } from './server.ts';

// One database for the file; each part runs its own app on its own workspace in it.
let shared: TestDb;
before(async () => (shared = await freshDb()));
after(async () => shared.close());

const identify = (userId: string, traits: object = {}) => ({
  userId,
  traits,
  messageId: `id-${userId}`,
  timestamp: '2026-03-01T10:00:00Z',
});

describe(`authentication (${backend})`, () => {
  let s: Served;
  before(async () => (s = await serve({}, await anotherWorkspace(shared))));
  after(async () => s.close());

  type Who =
    | 'none'
    | 'unknown'
    | 'garbled'
    | 'write'
    | 'admin'
    | 'write-basic'
    | 'admin-basic'
    | 'write-basic-password'
    | 'bearer-lowercase';
  const authOf = (who: Who): string | undefined =>
    ({
      none: undefined,
      unknown: 'Bearer rk_write_not-a-real-key-at-all',
      garbled: 'Token something',
      write: `Bearer ${s.writeKey}`,
      admin: `Bearer ${s.adminKey}`,
      'write-basic': basic(s.writeKey),
      'admin-basic': basic(s.adminKey),
      'write-basic-password': basic(s.writeKey, 'ignored'),
      'bearer-lowercase': `bearer ${s.writeKey}`,
    })[who];

  const routes = {
    track: ['POST', '/v1/track', { userId: 'u1', event: 'Auth Checked' }],
    batch: ['POST', '/v1/batch', { batch: [{ type: 'track', userId: 'u1', event: 'Auth Checked' }] }],
    search: ['GET', '/api/v1/customers?q=u1', undefined],
    me: ['GET', '/api/v1/me', undefined],
    stats: ['GET', '/api/v1/stats/overview', undefined],
    products: ['PUT', '/api/v1/products', { products: [{ id: 'sku-1' }] }],
    erase: ['DELETE', '/api/v1/customers/999999', undefined],
  } as const;

  const cases: [Who, keyof typeof routes, number, string?][] = [
    ['none', 'track', 401, 'unauthorized'],
    ['none', 'batch', 401, 'unauthorized'],
    ['none', 'search', 401, 'unauthorized'],
    ['unknown', 'track', 401, 'unauthorized'],
    ['unknown', 'me', 401, 'unauthorized'],
    ['garbled', 'track', 401, 'unauthorized'],
    ['write', 'search', 403, 'forbidden'],
    ['write', 'me', 403, 'forbidden'],
    ['write', 'stats', 403, 'forbidden'],
    ['write', 'products', 403, 'forbidden'],
    ['write', 'erase', 403, 'forbidden'],
    ['write-basic', 'search', 403, 'forbidden'],
    ['write', 'track', 200],
    ['write', 'batch', 200],
    ['write-basic', 'track', 200],
    ['write-basic', 'batch', 200],
    ['write-basic-password', 'batch', 200],
    ['bearer-lowercase', 'track', 200],
    ['admin', 'track', 200],
    ['admin', 'batch', 200],
    ['admin', 'search', 200],
    ['admin', 'me', 200],
    ['admin', 'stats', 200],
    ['admin', 'products', 200],
    ['admin', 'erase', 404, 'not_found'],
    ['admin-basic', 'me', 200],
    ['admin-basic', 'batch', 200],
  ];

  for (const [who, route, status, error] of cases) {
    const [method, path] = routes[route];
    it(`${who} key on ${method} ${path} → ${status}${error ? ` ${error}` : ''}`, async () => {
      const auth = authOf(who);
      const res = await s.call(method, path, { auth, body: routes[route][2] });
      assert.equal(res.status, status, JSON.stringify(res.body));
      if (error) {
        assert.equal(res.body.error, error);
        assert.ok(typeof res.body.message === 'string' && res.body.message.length > 10, 'a message says what to do');
      }
    });
  }

  // The key is checked before the body is read: a caller without a valid key learns nothing about the API and cannot
  // make the server parse or decompress bodies, and requests with a bad body still count against the key's rate limit.
  const unauthenticatedBodies: [string, Who, string, object][] = [
    ['an invalid message', 'none', '/v1/track', { body: { userId: 'u1' } }],
    ['malformed JSON', 'none', '/v1/batch', { body: '{"batch": [', headers: { 'content-type': 'application/json' } }],
    [
      'a garbage gzip body',
      'unknown',
      '/v1/batch',
      { body: Buffer.from('not gzip'), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } },
    ],
    ['an invalid product list', 'unknown', '/api/v1/products', { body: { products: 'all' } }],
  ];
  for (const [name, who, path, opts] of unauthenticatedBodies) {
    it(`${who} key with ${name} on ${path} → 401, not a validation answer`, async () => {
      const res = await s.call(path.startsWith('/api') ? 'PUT' : 'POST', path, { auth: authOf(who), ...opts });
      assert.equal(res.status, 401, JSON.stringify(res.body));
      assert.equal(res.body.error, 'unauthorized');
    });
  }

  it('write key with an invalid product list on an admin route → 403', async () => {
    const res = await s.call('PUT', '/api/v1/products', { key: s.writeKey, body: { products: 'all' } });
    assert.equal(res.status, 403);
  });

  it('a refused request stores nothing', async () => {
    await s.call('POST', '/v1/track', { auth: authOf('unknown'), body: { userId: 'intruder', event: 'Sneaky' } });
    await s.call('POST', '/v1/track', { body: { userId: 'intruder', event: 'Sneaky' } });
    const rows = await s.t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE user_id = 'intruder'");
    assert.equal(rows[0]!.n, 0);
  });

  it('/api/v1/me tells which workspace and kind of key', async () => {
    const res = await s.call('GET', '/api/v1/me', { key: s.adminKey });
    assert.deepEqual(res.body, {
      workspace: { id: s.t.workspaceId, name: 'test', defaultLocale: 'en' },
      keyKind: 'admin',
    });
  });

  it('keys are stored hashed: the raw keys appear nowhere in api_keys', async () => {
    const rows = await s.t.db.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE workspace_id = $1', [
      s.t.workspaceId,
    ]);
    assert.equal(rows.length, 3);
    const dump = JSON.stringify(rows);
    for (const key of [s.publicKey, s.serverKey, s.adminKey]) {
      assert.ok(!dump.includes(key), 'raw key not stored');
      assert.ok(!dump.includes(key.slice(12)), 'not even the secret part of it');
    }
    const sha = (k: string) => createHash('sha256').update(k).digest('hex');
    assert.deepEqual(rows.map((r) => r.key_hash).sort(), [sha(s.publicKey), sha(s.serverKey), sha(s.adminKey)].sort());
  });
});

describe(`workspaces are isolated (${backend})`, () => {
  let s: Served;
  let other: Awaited<ReturnType<typeof createWorkspace>>;
  let annId: string;
  before(async () => {
    s = await serve({}, await anotherWorkspace(shared));
    other = await createWorkspace(s.t.db, 'other shop');
    const sent = await s.call('POST', '/v1/identify', {
      key: s.writeKey,
      body: identify('ann', { email: 'ann@example.com', plan: 'gold' }),
    });
    assert.equal(sent.status, 200);
    const found = await s.call('GET', '/api/v1/customers?q=ann', { key: s.adminKey });
    assert.equal(found.body.customers.length, 1);
    annId = found.body.customers[0].id;
  });
  after(async () => s.close());

  const otherSees: [string, string, string, number][] = [
    ['search by user id', 'GET', '/api/v1/customers?q=ann', 200],
    ['search by e-mail', 'GET', '/api/v1/customers?q=ann@example.com', 200],
    ['search by trait', 'GET', '/api/v1/customers?trait=plan:gold', 200],
    ['list', 'GET', '/api/v1/customers', 200],
  ];
  for (const [name, method, path, status] of otherSees) {
    it(`the other workspace finds nobody: ${name}`, async () => {
      const res = await s.call(method, path, { key: other.adminKey });
      assert.equal(res.status, status);
      assert.deepEqual(res.body.customers, []);
      const own = await s.call(method, path, { key: s.adminKey });
      assert.deepEqual(
        own.body.customers.map((c: { id: string }) => c.id),
        [annId],
        'while the owner does',
      );
    });
  }

  for (const [name, method, suffix] of [
    ['profile', 'GET', ''],
    ['timeline', 'GET', '/events'],
    ['export', 'GET', '/export'],
    ['erase', 'DELETE', ''],
  ] as const) {
    it(`the other workspace gets 404 for the customer's ${name}`, async () => {
      const res = await s.call(method, `/api/v1/customers/${annId}${suffix}`, { key: other.adminKey });
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'not_found');
    });
  }

  it("the other workspace's events with the same ids make its own customer and leave ours alone", async () => {
    const res = await s.call('POST', '/v1/identify', { key: other.writeKey, body: identify('ann', { plan: 'free' }) });
    assert.equal(res.status, 200);
    assert.equal(res.body.accepted, 1, 'same messageId in another workspace is not a duplicate');
    const theirs = await s.call('GET', '/api/v1/customers?q=ann', { key: other.adminKey });
    assert.equal(theirs.body.customers.length, 1);
    assert.notEqual(theirs.body.customers[0].id, annId);
    assert.equal(theirs.body.customers[0].traits.plan, 'free');
    const ours = await s.call('GET', `/api/v1/customers/${annId}`, { key: s.adminKey });
    assert.equal(ours.body.customer.traits.plan, 'gold');
    assert.equal(ours.body.customer.email, 'ann@example.com');
    const me = await s.call('GET', '/api/v1/me', { key: other.adminKey });
    assert.equal(me.body.workspace.id, other.id);
  });
});
