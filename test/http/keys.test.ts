// Keys as the ecosystem splits them: a public key for web pages, a secret server key for full ingest, the admin key for
// everything; what each may call; the write keys made before keep working as server keys; the admin lists, makes and
// revokes keys.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import { anotherWorkspace, serve, type Served } from './server.ts';
import { migrate } from '../../src/store/migrate.ts';
import { hashKey } from '../../src/workspaces/keys.ts';
import { findKey } from '../../src/workspaces/workspaces.ts';
import { PUBLIC_BATCH_MAX } from '../../src/http/routes/ingest.ts';

let shared: TestDb;
before(async () => (shared = await freshDb()));
after(async () => shared.close());

describe(`what each key may call (${backend})`, () => {
  let s: Served;
  let hook = '';
  before(async () => {
    s = await serve({}, await anotherWorkspace(shared));
    hook = new URL((await s.call('GET', '/api/v1/settings/hooks', { key: s.adminKey })).body.receipts).search;
  });
  after(async () => s.close());

  const subscription = {
    endpoint: 'https://push.example.net/send/abc',
    keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) },
  };
  const routes: Record<string, [string, string, () => object]> = {
    track: ['POST', '/v1/track', () => ({ userId: 'u1', event: 'Viewed' })],
    page: ['POST', '/v1/page', () => ({ anonymousId: 'a1', name: 'Home' })],
    identify: ['POST', '/v1/identify', () => ({ userId: 'u1', traits: { plan: 'free' } })],
    group: ['POST', '/v1/group', () => ({ userId: 'u1', groupId: 'g1' })],
    batch: ['POST', '/v1/batch', () => ({ batch: [{ type: 'track', userId: 'u1', event: 'Viewed' }] })],
    'push subscribe': ['POST', '/v1/push/subscribe', () => ({ userId: 'u1', subscription })],
    alias: ['POST', '/v1/alias', () => ({ previousId: 'a1', userId: 'u1' })],
    'delivery receipt': ['POST', '/v1/receipts?', () => ({ messageKey: 'nope', channel: 'sms', status: 'delivered' })],
    'inbound SMS': ['POST', '/v1/sms/inbound?', () => ({ from: '+48600100200', text: 'START' })],
    'customer search': ['GET', '/api/v1/customers?q=u1', () => ({})],
    keys: ['GET', '/api/v1/keys', () => ({})],
  };
  // route → the status for the public, server and admin key (404: allowed, and no such message)
  const table: [string, number, number, number][] = [
    ['track', 200, 200, 200],
    ['page', 200, 200, 200],
    ['identify', 200, 200, 200],
    ['group', 200, 200, 200],
    ['batch', 200, 200, 200],
    ['push subscribe', 200, 200, 200],
    ['alias', 403, 200, 200],
    ['delivery receipt', 403, 404, 404],
    ['inbound SMS', 403, 200, 200],
    ['customer search', 403, 403, 200],
    ['keys', 403, 403, 200],
  ];
  for (const [route, ...statuses] of table) {
    (['public', 'server', 'admin'] as const).forEach((kind, i) => {
      const [method, path, body] = routes[route]!;
      it(`${kind} key: ${route} → ${statuses[i]}`, async () => {
        const key = { public: s.publicKey, server: s.serverKey, admin: s.adminKey }[kind];
        const res = await s.call(method, path.endsWith('?') ? path.slice(0, -1) + hook : path, {
          key,
          body: method === 'GET' ? undefined : body(),
        });
        assert.equal(res.status, statuses[i], JSON.stringify(res.body));
        if (res.status === 403)
          assert.match(
            res.body.message,
            kind === 'public' && !path.startsWith('/api')
              ? /public key may only do what a web page does.*server key/
              : /admin key/,
          );
      });
    });
  }

  it(`a batch with the public key holds at most ${PUBLIC_BATCH_MAX} messages (400 by field); the server key sends more`, async () => {
    const batch = Array.from({ length: PUBLIC_BATCH_MAX + 1 }, (_, i) => ({
      type: 'track',
      userId: 'u2',
      event: 'Viewed',
      messageId: `big-${i}`,
    }));
    const res = await s.call('POST', '/v1/batch', { key: s.publicKey, body: { batch } });
    assert.equal(res.status, 400);
    assert.equal(res.body.details.field, 'batch');
    assert.match(res.body.message, /server key/);
    assert.equal(
      (await s.call('POST', '/v1/batch', { key: s.publicKey, body: { batch: batch.slice(1) } })).body.accepted,
      PUBLIC_BATCH_MAX,
    );
    assert.equal(
      (await s.call('POST', '/v1/batch', { key: s.serverKey, body: { batch } })).body.accepted,
      1,
      'the rest are duplicates now',
    );
  });

  it('/api/v1/me names the kind of the admin key', async () => {
    assert.equal((await s.call('GET', '/api/v1/me', { key: s.adminKey })).body.keyKind, 'admin');
  });
});

describe(`the write keys made before keep working, as server keys (${backend})`, () => {
  it('migration 024 turns a stored rk_write_ key into a server key: it still ingests with full power', async () => {
    const ws = await anotherWorkspace(shared, 'old shop');
    // the schema as it was before 024, with a write key of the time
    const oldKey = 'rk_write_' + 'x'.repeat(32);
    await shared.db.query('ALTER TABLE api_keys DROP CONSTRAINT api_keys_kind_check');
    await shared.db.query(
      "ALTER TABLE api_keys ADD CONSTRAINT api_keys_kind_check CHECK (kind IN ('write', 'admin', 'public', 'server'))",
    );
    await shared.db.query("INSERT INTO api_keys (key_hash, workspace_id, kind, prefix) VALUES ($1, $2, 'write', $3)", [
      hashKey(oldKey),
      ws.workspaceId,
      oldKey.slice(0, 12),
    ]);
    await shared.db.query("DELETE FROM schema_migrations WHERE name = '024_key_kinds.sql'");
    assert.deepEqual(await migrate(shared.db), ['024_key_kinds.sql']);
    assert.equal((await findKey(shared.db, oldKey))?.kind, 'server');
    await assert.rejects(
      shared.db.query("UPDATE api_keys SET kind = 'write' WHERE key_hash = $1", [hashKey(oldKey)]),
      /api_keys_kind_check/,
    );

    const s = await serve({}, ws);
    try {
      const basic = `Basic ${Buffer.from(`${oldKey}:`).toString('base64')}`;
      assert.equal(
        (
          await s.call('POST', '/v1/identify', {
            auth: basic,
            body: { userId: 'ann', traits: { email: 'ann@example.com' } },
          })
        ).status,
        200,
      );
      const res = await s.call('POST', '/v1/identify', {
        auth: basic,
        body: { userId: 'ann', traits: { email: 'ann@new.example' } },
      });
      assert.deepEqual([res.status, res.body.warnings], [200, undefined], 'a change of e-mail, as a server key may');
      assert.equal(
        (await s.call('POST', '/v1/alias', { auth: basic, body: { previousId: 'a-9', userId: 'ann' } })).status,
        200,
      );
      const [ann] = await shared.db.query<{ email: string }>(
        "SELECT email FROM customers WHERE workspace_id = $1 AND user_id = 'ann'",
        [ws.workspaceId],
      );
      assert.equal(ann!.email, 'ann@new.example');
    } finally {
      await s.close();
    }
  });
});

describe(`the admin manages the keys (${backend})`, () => {
  let s: Served;
  before(async () => (s = await serve({}, await anotherWorkspace(shared))));
  after(async () => s.close());

  const keys = async () =>
    (await s.call('GET', '/api/v1/keys', { key: s.adminKey })).body.keys as {
      id: string;
      kind: string;
      prefix: string;
      revokedAt: string | null;
    }[];

  it('lists the three keys of a new workspace by kind and first characters, never the keys themselves', async () => {
    const listed = await keys();
    assert.deepEqual(listed.map((k) => k.kind).sort(), ['admin', 'public', 'server']);
    assert.deepEqual(
      listed.map((k) => k.prefix).sort(),
      [s.adminKey, s.publicKey, s.serverKey].map((k) => k.slice(0, 12)).sort(),
    );
    const dump = JSON.stringify(listed);
    for (const key of [s.adminKey, s.publicKey, s.serverKey]) assert.ok(!dump.includes(key.slice(12, 24)));
  });

  it('makes a public key (shown once) that works at once; revoked, it is refused (401)', async () => {
    const made = await s.call('POST', '/api/v1/keys', { key: s.adminKey, body: { kind: 'public' } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.match(made.body.key, /^rk_pub_/);
    assert.equal(made.body.kind, 'public');
    assert.equal(
      (await s.call('POST', '/v1/track', { key: made.body.key, body: { userId: 'u1', event: 'Viewed' } })).status,
      200,
    );
    assert.equal((await s.call('GET', '/api/v1/keys', { key: made.body.key })).status, 403);

    const other = await s.call('POST', '/api/v1/keys', { key: s.adminKey, body: { kind: 'server' } });
    const revoked = await s.call('DELETE', `/api/v1/keys/${other.body.id}`, { key: s.adminKey });
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revokedAt);
    assert.equal(
      (await s.call('POST', '/v1/track', { key: other.body.key, body: { userId: 'u1', event: 'Viewed' } })).status,
      401,
    );
    assert.equal(
      (await keys()).find((k) => k.id === other.body.id)!.revokedAt,
      revoked.body.revokedAt,
      'listed as revoked',
    );
  });

  it('refuses an unknown kind (400), an unknown id (404) and the last admin key in force (409)', async () => {
    assert.equal((await s.call('POST', '/api/v1/keys', { key: s.adminKey, body: { kind: 'write' } })).status, 400);
    assert.equal((await s.call('DELETE', '/api/v1/keys/0000000000000000', { key: s.adminKey })).status, 404);
    const admin = (await keys()).find((k) => k.kind === 'admin')!;
    const last = await s.call('DELETE', `/api/v1/keys/${admin.id}`, { key: s.adminKey });
    assert.equal(last.status, 409);
    assert.match(last.body.message, /make another/);
    // with a second admin key, the first can go
    const second = await s.call('POST', '/api/v1/keys', { key: s.adminKey, body: { kind: 'admin' } });
    assert.equal((await s.call('DELETE', `/api/v1/keys/${admin.id}`, { key: second.body.key })).status, 200);
    assert.equal((await s.call('DELETE', `/api/v1/keys/${second.body.id}`, { key: second.body.key })).status, 409);
  });
});
