// The coupon pools API over HTTP: create, read, change, list with stock; codes by pattern and by import (bad and
// repeated lines refused by line, the good kept); bad input named by field; 404, 409; the codes table by status.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';

const POOL = {
  id: 'spring',
  name: 'Spring sale',
  value: { kind: 'amount', amount: 20, currency: 'pln' },
  validity: { days: 30 },
  lowStock: 5,
};

describe(`coupon pools API (${backend})`, () => {
  let s: Served;
  const call = (method: string, path: string, body?: unknown) => s.call(method, path, { key: s.adminKey, body });
  before(async () => {
    s = await serve();
  });
  after(async () => s.close());

  it('creates a pool, adds codes by pattern and by import, and shows the stock', async () => {
    const created = await call('POST', '/api/v1/coupons/pools', POOL);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.value, { kind: 'amount', amount: 20, currency: 'PLN' });
    assert.deepEqual(created.body.stock, {
      available: 0,
      assigned: 0,
      redeemed: 0,
      expired: 0,
      total: 0,
      lowStock: true,
    });
    const drawn = await call('POST', '/api/v1/coupons/pools/spring/generate', {
      pattern: 'spring-####-????',
      count: 50,
    });
    assert.deepEqual([drawn.status, drawn.body], [201, { added: 50 }]);
    for (const status of ['available', 'assigned', 'redeemed', 'expired']) {
      const some = await call('GET', `/api/v1/coupons/pools/spring/codes?status=${status}`);
      assert.deepEqual([status, some.status, some.body.codes.length], [status, 200, status === 'available' ? 50 : 0]);
    }
    const codes = await call('GET', '/api/v1/coupons/pools/spring/codes?limit=500');
    assert.equal(codes.body.codes.length, 50);
    assert.ok(
      codes.body.codes.every(
        (c: { code: string; status: string }) => /^SPRING-[2-9]{4}-[A-Z]{4}$/.test(c.code) && c.status === 'available',
      ),
    );
    const taken = codes.body.codes[0].code;
    const imported = await call('POST', '/api/v1/coupons/pools/spring/import', {
      format: 'csv',
      text: `code\nSUMMER-1\n${taken}\nsummer-1\nno way\nSUMMER-2\n`,
    });
    assert.equal(imported.status, 200);
    assert.deepEqual(imported.body, {
      added: 2,
      refused: [
        { line: 3, code: taken, reason: 'this code exists already in this workspace' },
        { line: 4, code: 'summer-1', reason: 'the same code as line 2' },
        { line: 5, code: 'no way', reason: '3 to 64 letters, digits, "-" or "_", beginning with a letter or digit' },
      ],
    });
    const pool = await call('GET', '/api/v1/coupons/pools/spring');
    assert.deepEqual(pool.body.stock, {
      available: 52,
      assigned: 0,
      redeemed: 0,
      expired: 0,
      total: 52,
      lowStock: false,
    });
    const list = await call('GET', '/api/v1/coupons/pools');
    assert.deepEqual(
      list.body.pools.map((p: { id: string; stock: { total: number } }) => `${p.id} ${p.stock.total}`),
      ['spring 52'],
    );
  });

  it('changes a pool: a value map by RFM segment', async () => {
    await call('POST', '/api/v1/coupons/pools', { ...POOL, id: 'vip' });
    const changed = await call('PUT', '/api/v1/coupons/pools/vip', {
      ...POOL,
      name: 'VIP',
      value: { kind: 'percent', amount: 10 },
      valueMap: { by: 'rfm_segment', map: { Champions: 25 }, default: 10 },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(
      [changed.body.name, changed.body.valueMap],
      ['VIP', { by: 'rfm_segment', map: { Champions: 25 }, default: 10 }],
    );
  });

  const bad: { what: string; method: string; path: string; body: unknown; status: number; field: string }[] = [
    {
      what: 'no name',
      method: 'POST',
      path: '/api/v1/coupons/pools',
      body: { ...POOL, id: 'a1', name: '' },
      status: 400,
      field: 'name',
    },
    {
      what: 'an unknown currency',
      method: 'POST',
      path: '/api/v1/coupons/pools',
      body: { ...POOL, id: 'a2', value: { kind: 'amount', amount: 5, currency: 'XYZ' } },
      status: 400,
      field: 'value.currency',
    },
    {
      what: 'a percentage over 100',
      method: 'POST',
      path: '/api/v1/coupons/pools',
      body: { ...POOL, id: 'a3', value: { kind: 'percent', amount: 120 } },
      status: 400,
      field: 'value.amount',
    },
    {
      what: 'a value map by an unknown field',
      method: 'POST',
      path: '/api/v1/coupons/pools',
      body: { ...POOL, id: 'a4', valueMap: { by: 'plan', map: {} } },
      status: 400,
      field: 'valueMap.by',
    },
    {
      what: 'a value map on free shipping',
      method: 'POST',
      path: '/api/v1/coupons/pools',
      body: { ...POOL, id: 'a5', value: { kind: 'free_shipping' }, valueMap: { by: 'tier', map: { gold: 1 } } },
      status: 400,
      field: 'valueMap',
    },
    {
      what: 'zero days',
      method: 'POST',
      path: '/api/v1/coupons/pools',
      body: { ...POOL, id: 'a6', validity: { days: 0 } },
      status: 400,
      field: 'validity.days',
    },
    { what: 'a taken id', method: 'POST', path: '/api/v1/coupons/pools', body: POOL, status: 409, field: 'id' },
    {
      what: 'a pattern with too few random places',
      method: 'POST',
      path: '/api/v1/coupons/pools/spring/generate',
      body: { pattern: 'SPRING-##', count: 1 },
      status: 400,
      field: 'pattern',
    },
    {
      what: 'more codes than the pattern holds',
      method: 'POST',
      path: '/api/v1/coupons/pools/spring/generate',
      body: { pattern: 'Q-####', count: 3000 },
      status: 400,
      field: 'count',
    },
    {
      what: 'a count of 0',
      method: 'POST',
      path: '/api/v1/coupons/pools/spring/generate',
      body: { pattern: 'Q-####', count: 0 },
      status: 400,
      field: 'count',
    },
    {
      what: 'an import format',
      method: 'POST',
      path: '/api/v1/coupons/pools/spring/import',
      body: { format: 'xml', text: 'x' },
      status: 400,
      field: 'format',
    },
  ];
  for (const b of bad) {
    it(`refuses ${b.what}, naming ${b.field}`, async () => {
      const r = await call(b.method, b.path, b.body);
      assert.equal(r.status, b.status, JSON.stringify(r.body));
      const field = r.body.details?.field ?? r.body.issues?.[0]?.field;
      assert.equal(field, b.field, JSON.stringify(r.body));
    });
  }

  it('404 for a pool that does not exist; delete works while no code was given out', async () => {
    assert.equal((await call('GET', '/api/v1/coupons/pools/nope')).status, 404);
    assert.equal(
      (await call('POST', '/api/v1/coupons/pools/nope/generate', { pattern: 'Q-####', count: 1 })).status,
      404,
    );
    await call('POST', '/api/v1/coupons/pools', { ...POOL, id: 'gone' });
    assert.equal((await call('DELETE', '/api/v1/coupons/pools/gone')).status, 204);
    assert.equal((await call('GET', '/api/v1/coupons/pools/gone')).status, 404);
  });

  it('a pool with codes given out cannot be deleted (409)', async () => {
    await call('POST', '/api/v1/coupons/pools', { ...POOL, id: 'used' });
    await call('POST', '/api/v1/coupons/pools/used/import', { format: 'json', text: '["USED-1"]' });
    await s.t.db.query(`UPDATE coupon_codes SET customer_id = 1, assigned_at = now() WHERE code = 'USED-1'`);
    const r = await call('DELETE', '/api/v1/coupons/pools/used');
    assert.deepEqual([r.status, r.body.error], [409, 'pool_in_use']);
  });

  it('the admin key only; described in OpenAPI', async () => {
    assert.equal((await s.call('GET', '/api/v1/coupons/pools', { key: s.serverKey })).status, 403);
    const doc = await s.call('GET', '/docs/json');
    assert.ok(doc.body.paths['/api/v1/coupons/pools/{id}/generate'], 'generate is documented');
  });
});
