// The journeys API over HTTP: keys, bad definitions refused with their paths, create → activate → an event through
// /v1/track → run and message intent, versions, per-step counts, a customer's runs, settings, and the errors.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { tickJourneys } from '../../src/journeys/index.ts';
import { serve, type Served } from './server.ts';

const CART = {
  trigger: { type: 'event', event: 'Product Added', key: 'cartId' },
  goal: { event: 'Order Completed', sameKey: true },
  start: 'hour',
  steps: [
    { id: 'hour', type: 'delay', duration: 'PT1H', next: 'remind' },
    { id: 'remind', type: 'send', template: 'cart-reminder', channel: { fixed: 'email' } },
  ],
};

describe(`journeys API (${backend})`, () => {
  let s: Served;
  let now = new Date('2026-06-01T12:00:00Z');
  const ok = async (method: string, path: string, body?: unknown, status = 200) => {
    const res = await s.call(method, path, { key: s.adminKey, body });
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body;
  };

  before(async () => (s = await serve({ clock: () => now })));
  after(async () => s.close());

  it('admin keys only', async () => {
    assert.equal((await s.call('GET', '/api/v1/journeys')).status, 401);
    assert.equal((await s.call('GET', '/api/v1/journeys', { key: s.writeKey })).status, 403);
  });

  it('control group settings: defaults, a change, and refusals that say the allowed range', async () => {
    assert.deepEqual(await ok('GET', '/api/v1/settings/journeys'), { share: 0.05, periodMonths: 3, timezone: 'UTC' });
    assert.deepEqual(await ok('PUT', '/api/v1/settings/journeys', { share: 0.1, timezone: 'Europe/Warsaw' }), {
      share: 0.1,
      periodMonths: 3,
      timezone: 'Europe/Warsaw',
    });
    const bad = await s.call('PUT', '/api/v1/settings/journeys', { key: s.adminKey, body: { periodMonths: 12 } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /3 to 6/);
    // The tests below follow one customer: with no control group, whether they are held out is not left to chance.
    assert.equal((await ok('PUT', '/api/v1/settings/journeys', { share: 0 })).share, 0);
  });

  it('refuses a bad definition with the path of each error, on create and on validate', async () => {
    const bad = { ...CART, steps: [{ ...CART.steps[0], duration: 'an hour' }, CART.steps[1]] };
    for (const path of ['/api/v1/journeys', '/api/v1/journeys/validate']) {
      const res = await s.call('POST', path, { key: s.adminKey, body: { name: 'Cart', definition: bad } });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_definition');
      assert.equal(res.body.errors[0].path, '$.steps[0].duration');
      assert.match(res.body.message, /^\$\.steps\[0\]\.duration: /);
    }
  });

  it('validate warns of what would refuse activation here; activation is refused with 409 and each problem by path until it is fixed', async () => {
    const { ok: valid, warnings } = await ok('POST', '/api/v1/journeys/validate', { definition: CART });
    assert.equal(valid, true);
    assert.deepEqual(
      warnings.map((w: { path: string }) => w.path),
      ['$.steps[1].template', '$.steps[1].channel.fixed'],
    );
    assert.match(warnings[0].message, /There is no template "cart-reminder"/);
    assert.match(
      warnings[1].message,
      /No e-mail provider is configured: configure one with PUT \/api\/v1\/channels\/email/,
    );

    const created = await ok('POST', '/api/v1/journeys', { name: 'Abandoned cart', definition: CART }, 201);
    assert.deepEqual(
      [created.id, created.status, created.version, created.activeVersion],
      ['abandoned-cart', 'draft', 1, null],
    );
    const refused = await s.call('POST', '/api/v1/journeys/abandoned-cart/activate', { key: s.adminKey });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'not_ready');
    assert.deepEqual(refused.body.errors, warnings);
    assert.match(
      refused.body.message,
      /^Journey "abandoned-cart" cannot go live until these 2 problems are fixed: \$\.steps\[1\]\.template: There is no template/,
    );

    await ok(
      'POST',
      '/api/v1/templates',
      {
        id: 'cart-reminder',
        name: 'Cart reminder',
        defaultLocale: 'en',
        content: { en: { email: { subject: 'Your cart', html: '<p>It waits.</p>' } } },
      },
      201,
    );
    await ok('PUT', '/api/v1/channels/email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: 9, secure: false, from: 'Shop <shop@example.com>' },
    });
    assert.deepEqual(await ok('POST', '/api/v1/journeys/validate', { definition: CART }), { ok: true, warnings: [] });
  });

  it('activate → Product Added through /v1/track → an hour later the reminder intent', async () => {
    const active = await ok('POST', '/api/v1/journeys/abandoned-cart/activate');
    assert.deepEqual([active.status, active.activeVersion], ['active', 1]);
    const tracked = await s.call('POST', '/v1/track', {
      key: s.writeKey,
      body: { userId: 'ann', event: 'Product Added', properties: { cartId: 'c1' }, timestamp: now.toISOString() },
    });
    assert.equal(tracked.status, 200);
    await tickJourneys(s.t.db, now);
    now = new Date(now.getTime() + 61 * 60_000);
    await tickJourneys(s.t.db, now);
    const { intents } = await ok('GET', '/api/v1/message-intents?customer=ann');
    assert.deepEqual(
      intents.map((i: { template: string; messageKey: string }) => i.template),
      ['cart-reminder'],
    );
    assert.equal(intents[0].context.key, 'c1');
    const stats = await ok('GET', '/api/v1/journeys/abandoned-cart/stats');
    assert.deepEqual(stats, {
      entered: 1,
      active: 0,
      completed: 1,
      exited: 0,
      failed: 0,
      steps: [
        { stepId: 'hour', waiting: 0, passed: 1 },
        { stepId: 'remind', waiting: 0, passed: 1 },
      ],
    });
    const { runs } = await ok('GET', '/api/v1/journeys/abandoned-cart/runs?customer=ann');
    assert.deepEqual(
      runs.map((r: { status: string; history: { stepId: string; outcome: string }[] }) => [
        r.status,
        r.history.map((h) => `${h.stepId}:${h.outcome}`),
      ]),
      [['completed', ['hour:passed', 'remind:queued']]],
    );
    const list = await ok('GET', '/api/v1/journeys');
    assert.deepEqual(
      list.journeys.map((j: { id: string; status: string; triggerType: string; totalRuns: number }) => [
        j.id,
        j.status,
        j.triggerType,
        j.totalRuns,
      ]),
      [['abandoned-cart', 'active', 'event', 1]],
    );
  });

  it('editing the active journey makes version 2; pause and archive; an archived journey cannot change', async () => {
    const v2 = await ok('PUT', '/api/v1/journeys/abandoned-cart', {
      definition: { ...CART, steps: [{ ...CART.steps[0], duration: 'PT2H' }, CART.steps[1]] },
    });
    assert.deepEqual([v2.version, v2.activeVersion, v2.versions.length], [2, 2, 2]);
    assert.equal((await ok('POST', '/api/v1/journeys/abandoned-cart/pause')).status, 'paused');
    assert.equal((await s.call('POST', '/api/v1/journeys/abandoned-cart/pause', { key: s.adminKey })).status, 409);
    assert.equal((await ok('POST', '/api/v1/journeys/abandoned-cart/archive')).status, 'archived');
    const res = await s.call('PUT', '/api/v1/journeys/abandoned-cart', { key: s.adminKey, body: { name: 'x' } });
    assert.equal(res.status, 409);
    assert.match(res.body.message, /archived/);
  });

  it('404s name what is missing; a taken id is a 409', async () => {
    assert.equal((await s.call('GET', '/api/v1/journeys/nope', { key: s.adminKey })).status, 404);
    assert.equal((await s.call('POST', '/api/v1/journeys/nope/activate', { key: s.adminKey })).status, 404);
    const r = await s.call('GET', '/api/v1/journeys/abandoned-cart/runs?customer=nobody', { key: s.adminKey });
    assert.equal(r.status, 404);
    assert.match(r.body.message, /nobody/);
    const taken = await s.call('POST', '/api/v1/journeys', {
      key: s.adminKey,
      body: { id: 'abandoned-cart', name: 'x', definition: CART },
    });
    assert.equal(taken.status, 409);
  });
});
