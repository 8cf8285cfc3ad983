// The loyalty API on a real server: the programme starts off and `{"enabled": true}` turns it on with its defaults;
// bad input names the field; rewards CRUD; redeem by userId or reward, 409 and replays; adjust; a customer's loyalty.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';

describe(`loyalty API (${backend})`, () => {
  let s: Served;
  const call = (method: string, path: string, body?: unknown) => s.call(method, path, { key: s.adminKey, body });
  before(async () => (s = await serve()));
  after(async () => s.close());

  it('the programme starts switched off; {"enabled": true} alone turns it on with the defaults; other settings stay when one changes', async () => {
    const off = await call('GET', '/api/v1/loyalty/program');
    assert.equal(off.status, 200);
    assert.equal(off.body.enabled, false);
    const on = await call('PUT', '/api/v1/loyalty/program', { enabled: true });
    assert.equal(on.status, 200);
    assert.deepEqual(
      {
        enabled: on.body.enabled,
        pointsPerUnit: on.body.pointsPerUnit,
        rounding: on.body.rounding,
        pendingDays: on.body.pendingDays,
        expiryMonths: on.body.expiryMonths,
        tiers: on.body.tiers,
      },
      { enabled: true, pointsPerUnit: 1, rounding: 'down', pendingDays: 0, expiryMonths: null, tiers: [] },
    );
    const changed = await call('PUT', '/api/v1/loyalty/program', { expiryMonths: 12 });
    assert.equal(changed.body.enabled, true);
    assert.equal(changed.body.expiryMonths, 12);
  });

  const bad: [string, string, unknown, string][] = [
    ['a negative pending period', '/api/v1/loyalty/program', { pendingDays: -1 }, 'pendingDays'],
    ['an unknown setting', '/api/v1/loyalty/program', { pointsPerEuro: 2 }, ''],
    [
      'a campaign that ends before it starts',
      '/api/v1/loyalty/program',
      { campaigns: [{ name: 'x', from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z', multiplier: 2 }] },
      'campaigns.0.to',
    ],
    ['a currency that is not one', '/api/v1/loyalty/program', { currencyRates: { EURO: 1 } }, 'currencyRates.EURO'],
    ['redeem without points or reward', '/api/v1/loyalty/redeem', { customer: 'ann', idempotencyKey: 'k' }, 'points'],
    ['redeem 0 points', '/api/v1/loyalty/redeem', { customer: 'ann', points: 0, idempotencyKey: 'k' }, 'points'],
    ['redeem without a key', '/api/v1/loyalty/redeem', { customer: 'ann', points: 5 }, 'idempotencyKey'],
    [
      'adjust without a reason',
      '/api/v1/loyalty/adjust',
      { customer: 'ann', points: 5, idempotencyKey: 'k' },
      'reason',
    ],
  ];
  for (const [what, path, body, field] of bad) {
    it(`bad input names the field: ${what}`, async () => {
      const r = await call(path.endsWith('program') ? 'PUT' : 'POST', path, body);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      if (field)
        assert.ok(
          r.body.issues.some((i: { field: string }) => i.field === field),
          JSON.stringify(r.body),
        );
    });
  }

  it("rewards CRUD, redemption by userId and by reward, 409 when short, replay answers the same, adjust, and the customer's loyalty", async () => {
    await call('PUT', '/api/v1/loyalty/program', { enabled: true });
    const ingest = await s.call('POST', '/v1/batch', {
      key: s.serverKey,
      body: {
        batch: [
          {
            type: 'track',
            userId: 'ann',
            event: 'Order Completed',
            properties: { order_id: 'A1', total: 250, currency: 'USD' },
          },
        ],
      },
    });
    assert.equal(ingest.status, 200, JSON.stringify(ingest.body));
    const reward = await call('PUT', '/api/v1/loyalty/rewards/mug', { name: 'Mug', kind: 'gift', cost: 200 });
    assert.equal(reward.status, 200, JSON.stringify(reward.body));
    assert.equal(
      (await call('PUT', '/api/v1/loyalty/rewards/bad', { name: 'x', kind: 'gift', cost: 5, couponPool: 'p1' })).body
        .issues[0].field,
      'couponPool',
    );
    assert.deepEqual(
      (await call('GET', '/api/v1/loyalty/rewards')).body.rewards.map((r: { id: string }) => r.id),
      ['mug'],
    );

    const first = await call('POST', '/api/v1/loyalty/redeem', {
      customer: 'ann',
      reward: 'mug',
      idempotencyKey: 'pos-1',
    });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual([first.body.points, first.body.available, first.body.reward.id], [200, 50, 'mug']);
    const replay = await call('POST', '/api/v1/loyalty/redeem', {
      customer: 'ann',
      reward: 'mug',
      idempotencyKey: 'pos-1',
    });
    assert.deepEqual(replay.body, first.body);
    const short = await call('POST', '/api/v1/loyalty/redeem', {
      customer: 'ann',
      points: 51,
      idempotencyKey: 'pos-2',
    });
    assert.equal(short.status, 409);
    assert.equal(short.body.details.field, 'points');
    assert.equal(
      (await call('POST', '/api/v1/loyalty/redeem', { customer: 'nobody', points: 1, idempotencyKey: 'pos-3' })).body
        .details.field,
      'customer',
    );

    const adj = await call('POST', '/api/v1/loyalty/adjust', {
      customer: 'ann',
      points: -20,
      reason: 'damaged mug returned',
      idempotencyKey: 'adj-1',
    });
    assert.equal(adj.status, 200, JSON.stringify(adj.body));
    const view = await call('GET', '/api/v1/customers/ann/loyalty');
    assert.equal(view.status, 200);
    assert.deepEqual([view.body.available, view.body.pending, view.body.tier], [30, 0, null]);
    assert.deepEqual(
      view.body.ledger.map((r: { kind: string; points: number }) => `${r.kind} ${r.points}`),
      ['adjust -20', 'redeem -200', 'earn 250'],
    );
    const liability = await call('GET', '/api/v1/loyalty/liability');
    assert.deepEqual([liability.body.points, liability.body.value], [30, 0.3]);
    assert.equal((await call('DELETE', '/api/v1/loyalty/rewards/mug')).status, 200);
  });

  it("templates print customer.loyalty.points, tier, points_expiring (an order 10 days ago, points kept a month) and the tier's free shipping", async () => {
    await call('PUT', '/api/v1/loyalty/program', {
      enabled: true,
      expiryMonths: 1,
      tiers: [{ name: 'Gold', threshold: 100, freeShipping: true }],
    });
    await s.call('POST', '/v1/batch', {
      key: s.serverKey,
      body: {
        batch: [
          {
            type: 'track',
            userId: 'liz',
            event: 'Order Completed',
            timestamp: new Date(Date.now() - 10 * 86_400_000).toISOString(),
            properties: { order_id: 'L1', total: 120 },
          },
        ],
      },
    });
    const text =
      '{{ customer.loyalty.points }} points, {{ customer.loyalty.tier }}, {{ customer.loyalty.points_expiring }} expiring{% if customer.loyalty.free_shipping %}, free shipping{% endif %}';
    const r = await call('POST', '/api/v1/templates/preview', {
      template: { defaultLocale: 'en', content: { en: { sms: { text } } } },
      customer: 'liz',
      channel: 'sms',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.sms.text, '120 points, Gold, 120 expiring, free shipping');
    const nobody = await call('POST', '/api/v1/templates/preview', {
      template: {
        defaultLocale: 'en',
        content: {
          en: { sms: { text: '{{ customer.loyalty.points }} {{ customer.loyalty.tier | default: "no tier" }}' } },
        },
      },
      channel: 'sms',
    });
    assert.equal(nobody.body.sms.text, '0 no tier');
  });

  it('the OpenAPI document describes the loyalty routes and their fields', async () => {
    const doc = await s.call('GET', '/docs/json');
    assert.equal(doc.status, 200);
    const redeem = doc.body.paths['/api/v1/loyalty/redeem'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(
      ['customer', 'points', 'reward', 'idempotencyKey'].filter((f) => redeem.properties[f]),
      ['customer', 'points', 'reward', 'idempotencyKey'],
    );
    const program = doc.body.paths['/api/v1/loyalty/program'].put.requestBody.content['application/json'].schema;
    assert.deepEqual(program.properties.rounding.enum, ['down', 'nearest', 'up']);
    assert.ok(doc.body.paths['/api/v1/customers/{id}/loyalty'].get);
  });
});
