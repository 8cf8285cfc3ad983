// Abuse is throttled, counted in the database so that every API process holds to the same counts: failed
// authentications per client address (then 429 with Retry-After, before any key is looked up), and under a public key
// per client address, so that nobody outside can spend the site's quota. X-Forwarded-For counts only when the operator
// says which proxies to trust (RETAIN_TRUST_PROXY).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import { anotherWorkspace, serve, type Served } from './server.ts';
import { insertKey } from '../../src/workspaces/key-store.ts';
import { defaultPerAddress } from '../../src/http/rate-limit.ts';
import { trustProxyOf } from '../../src/config.ts';

let shared: TestDb;
before(async () => (shared = await freshDb()));
after(async () => shared.close());

const from = (address: string) => ({ 'x-forwarded-for': address });

describe(`failed authentication is throttled per client address (${backend})`, () => {
  let s: Served;
  let second: Served;
  // a virtual clock: the counts live in one calendar minute until the test moves it
  let now = new Date('2026-06-01T10:00:20Z');
  before(async () => {
    const ws = await anotherWorkspace(shared);
    const opts = { clock: () => now, authFailuresPerMinute: 3, trustProxy: true };
    s = await serve(opts, ws);
    second = await serve(opts, ws); // another API process on the same database
  });
  after(async () => {
    await s.close();
    await second.close();
  });

  const track = (app: Served, key: string | undefined, address: string) =>
    app.call('POST', '/v1/track', { key, headers: from(address), body: { userId: 'u1', event: 'Viewed' } });

  it('3 failures from one address → 401 each; the 4th → 429 with Retry-After; then even a good key from there is refused', async () => {
    const statuses = [];
    for (const key of ['rk_pub_guess1', undefined, 'rk_server_guess3'])
      statuses.push((await track(s, key, '203.0.113.7')).status);
    assert.deepEqual(statuses, [401, 401, 401]);
    const fourth = await track(s, 'rk_pub_guess4', '203.0.113.7');
    assert.equal(fourth.status, 429);
    assert.equal(fourth.headers.get('retry-after'), '40', 'the rest of the minute');
    assert.match(fourth.body.message, /3 failed authentications a minute from your address; retry in 40 s/);
    // a key that works, never seen by this process: the blocked address does not get to try it
    const fresh = await insertKey(shared.db, s.t.workspaceId, 'public');
    assert.equal((await track(s, fresh, '203.0.113.7')).status, 429);
    assert.equal((await track(second, fresh, '203.0.113.7')).status, 429, 'in the other process too');
  });

  it('another address is not affected: its bad key is a 401, its good key works', async () => {
    assert.equal((await track(s, 'rk_pub_typo', '198.51.100.9')).status, 401);
    assert.equal((await track(s, s.publicKey, '198.51.100.9')).status, 200);
  });

  it('the failures of one address add up across API processes', async () => {
    assert.deepEqual(
      [
        (await track(s, 'x', '192.0.2.1')).status,
        (await track(second, 'y', '192.0.2.1')).status,
        (await track(s, 'z', '192.0.2.1')).status,
      ],
      [401, 401, 401],
    );
    assert.equal((await track(second, 'w', '192.0.2.1')).status, 429);
  });

  it('the next minute the address may try again', async () => {
    now = new Date('2026-06-01T10:01:05Z');
    assert.equal((await track(s, 'rk_pub_guess5', '203.0.113.7')).status, 401);
    assert.equal((await track(s, s.publicKey, '203.0.113.7')).status, 200);
  });
});

describe(`without RETAIN_TRUST_PROXY a forged X-Forwarded-For does not dodge the count (${backend})`, () => {
  let s: Served;
  const now = new Date('2026-06-01T11:00:00Z');
  before(async () => (s = await serve({ clock: () => now, authFailuresPerMinute: 2 }, await anotherWorkspace(shared))));
  after(async () => s.close());

  it('failures "from" three forged addresses all count for the one connected: the 3rd is a 429', async () => {
    const statuses = [];
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3'])
      statuses.push(
        (await s.call('GET', '/api/v1/me', { key: `rk_admin_guess-${address}`, headers: from(address) })).status,
      );
    assert.deepEqual(statuses, [401, 401, 429]);
  });
});

describe(`under a public key, one client address gets a share of the key's minute (${backend})`, () => {
  let s: Served;
  const now = new Date('2026-06-01T12:00:00Z');
  before(
    async () =>
      (s = await serve(
        { clock: () => now, rateLimitPerMinute: 10, rateLimitPerAddress: 3, trustProxy: true },
        await anotherWorkspace(shared),
      )),
  );
  after(async () => s.close());

  const send = (key: string, address: string) =>
    s.call('POST', '/v1/track', {
      key,
      headers: from(address),
      body: { anonymousId: `v-${address}`, event: 'Viewed' },
    });
  const statuses = async (key: string, address: string, n: number) => {
    const out = [];
    for (let i = 0; i < n; i++) out.push((await send(key, address)).status);
    return out;
  };

  it("one address: 3 requests, then 429 (its refused requests do not spend the key's minute); the others go on until the key's 10", async () => {
    assert.deepEqual(await statuses(s.publicKey, '203.0.113.50', 8), [200, 200, 200, 429, 429, 429, 429, 429]);
    const refused = await send(s.publicKey, '203.0.113.50');
    assert.match(refused.body.message, /3 requests a minute from your address with this public key/);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.deepEqual(await statuses(s.publicKey, '203.0.113.51', 3), [200, 200, 200]);
    assert.deepEqual(await statuses(s.publicKey, '203.0.113.52', 3), [200, 200, 200]);
    // 9 of the key's 10 are spent: the 10th passes, the 11th meets the key's own limit
    const last = [await send(s.publicKey, '203.0.113.53'), await send(s.publicKey, '203.0.113.53')];
    assert.deepEqual(
      last.map((r) => r.status),
      [200, 429],
    );
    assert.match(last[1]!.body.message, /10 requests a minute with this key/);
  });

  it('the server key (secret, one backend at one address) has no per-address share', async () => {
    assert.deepEqual(await statuses(s.serverKey, '203.0.113.50', 6), [200, 200, 200, 200, 200, 200]);
  });
});

describe('throttling settings', () => {
  it("a client address gets 5% of the key's minute unless the operator says otherwise (600 of 12,000)", () => {
    assert.deepEqual([defaultPerAddress(12_000), defaultPerAddress(10), defaultPerAddress(0)], [600, 1, 0]);
  });

  const proxies: [string | undefined, boolean | number | string][] = [
    [undefined, false],
    ['', false],
    ['false', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['10.0.0.0/8,127.0.0.1', '10.0.0.0/8,127.0.0.1'],
  ];
  for (const [value, trust] of proxies)
    it(`RETAIN_TRUST_PROXY=${JSON.stringify(value)} → ${JSON.stringify(trust)}`, () =>
      assert.deepEqual(trustProxyOf(value), trust));
});
