// The journey gallery and catalog APIs over HTTP: every recipe creates a valid draft journey whose templates (and
// segments) exist, ready to activate once e-mail is configured; creating twice renames instead of clashing; the
// catalog lists event names with counts, property and trait keys with samples, and refuses bad input naming the field.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from './server.ts';

describe(`journey gallery and catalog API (${backend})`, () => {
  let s: Served;
  const now = new Date('2026-06-01T12:00:00Z');
  const ok = async (method: string, path: string, body?: unknown, status = 200) => {
    const res = await s.call(method, path, { key: s.adminKey, body });
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body;
  };

  before(async () => (s = await serve({ clock: () => now })));
  after(async () => s.close());

  it('admin keys only', async () => {
    assert.equal((await s.call('GET', '/api/v1/journeys/gallery')).status, 401);
    assert.equal((await s.call('POST', '/api/v1/journeys/gallery/abandoned-cart', { key: s.writeKey })).status, 403);
    assert.equal((await s.call('GET', '/api/v1/catalog/events', { key: s.writeKey })).status, 403);
  });

  it('lists the recipes, each with what it needs and its templates', async () => {
    const { recipes } = await ok('GET', '/api/v1/journeys/gallery');
    assert.deepEqual(
      recipes.map((r: { id: string }) => r.id),
      [
        'abandoned-cart',
        'browse-abandonment',
        'welcome-series',
        'post-purchase',
        'replenishment',
        'win-back',
        'birthday',
        'payment-reminder',
      ],
    );
    for (const r of recipes) {
      assert.ok(r.name && r.description && r.needs && r.templates.length >= 1, r.id);
      assert.ok(
        r.templates.every((t: { subject: string }) => t.subject),
        r.id,
      );
    }
  });

  it('an unknown recipe is 404 naming the recipe and listing the known ones', async () => {
    const res = await s.call('POST', '/api/v1/journeys/gallery/loyalty-points', { key: s.adminKey });
    assert.equal(res.status, 404);
    assert.match(res.body.message, /^recipe: no recipe "loyalty-points".*abandoned-cart/);
  });

  const first: Record<
    string,
    { journey: string; templates: Record<string, string>; segments: Record<string, string> }
  > = {};
  it('every recipe creates a draft journey whose templates and segments exist; it cannot go live without e-mail', async () => {
    const { recipes } = await ok('GET', '/api/v1/journeys/gallery');
    for (const r of recipes) {
      const made = await ok('POST', `/api/v1/journeys/gallery/${r.id}`, undefined, 201);
      first[r.id] = made;
      const journey = await ok('GET', `/api/v1/journeys/${made.journey}`);
      assert.equal(journey.status, 'draft', r.id);
      assert.equal(journey.name, r.name);
      for (const id of Object.values(made.templates)) assert.equal((await ok('GET', `/api/v1/templates/${id}`)).id, id);
      for (const id of Object.values(made.segments)) assert.equal((await ok('GET', `/api/v1/segments/${id}`)).id, id);
      const { warnings } = await ok('POST', '/api/v1/journeys/validate', { definition: journey.definition });
      assert.ok(
        warnings.length > 0 &&
          warnings.every((w: { message: string }) => /No e-mail provider is configured/.test(w.message)),
        `${r.id}: ${JSON.stringify(warnings)}`,
      );
    }
    assert.deepEqual(first['abandoned-cart']!.templates, {
      'cart-reminder': 'cart-reminder',
      'cart-coupon': 'cart-coupon',
    });
    assert.deepEqual(first['win-back']!.segments, { 'high-churn-risk': 'high-churn-risk' });
  });

  it("a recipe's templates come in English, Polish and Russian; the default variant is the workspace's language", async () => {
    const cart = await ok('GET', `/api/v1/templates/${first['abandoned-cart']!.templates['cart-reminder']}`);
    assert.deepEqual([Object.keys(cart.content).sort(), cart.defaultLocale], [['en', 'pl', 'ru'], 'en']);
    await ok('PATCH', '/api/v1/workspace', { defaultLocale: 'pl' });
    const made = await ok('POST', '/api/v1/journeys/gallery/birthday', undefined, 201);
    const birthday = await ok('GET', `/api/v1/templates/${made.templates.birthday}`);
    assert.deepEqual([Object.keys(birthday.content).sort(), birthday.defaultLocale], [['en', 'pl', 'ru'], 'pl']);
    assert.match(birthday.content.pl.email.subject, /^Wszystkiego najlepszego/);
    assert.match(birthday.content.ru.email.subject, /^С днём рождения/);
    await ok('PATCH', '/api/v1/workspace', { defaultLocale: 'en' });
  });

  it('once e-mail is configured every gallery journey activates', async () => {
    await ok('PUT', '/api/v1/channels/email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: 9, secure: false, from: 'Shop <shop@example.com>' },
    });
    for (const [recipe, made] of Object.entries(first)) {
      const res = await s.call('POST', `/api/v1/journeys/${made.journey}/activate`, { key: s.adminKey });
      assert.equal(res.status, 200, `${recipe}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.status, 'active');
    }
  });

  it('creating a recipe twice gives new ids to its journey, templates and segments, and leaves the first alone', async () => {
    const again = await ok('POST', '/api/v1/journeys/gallery/abandoned-cart', undefined, 201);
    assert.deepEqual(again.templates, { 'cart-reminder': 'cart-reminder-2', 'cart-coupon': 'cart-coupon-2' });
    assert.equal(again.journey, 'abandoned-cart-2');
    const journey = await ok('GET', '/api/v1/journeys/abandoned-cart-2');
    assert.deepEqual(
      journey.definition.steps
        .filter((st: { type: string }) => st.type === 'send')
        .map((st: { template: string }) => st.template),
      ['cart-reminder-2', 'cart-coupon-2'],
    );
    const winBack = await ok('POST', '/api/v1/journeys/gallery/win-back', undefined, 201);
    assert.deepEqual(winBack.segments, { 'high-churn-risk': 'high-churn-risk-2' });
    assert.equal(
      (await ok('GET', `/api/v1/journeys/${winBack.journey}`)).definition.trigger.segment,
      'high-churn-risk-2',
    );
    assert.equal((await ok('GET', '/api/v1/journeys/abandoned-cart')).status, 'active');
  });

  it('catalog: event names with counts, property keys and trait keys with samples', async () => {
    const at = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
    const batch = [
      { type: 'identify', userId: 'ann', traits: { email: 'ann@example.com', plan: 'gold' }, timestamp: at(10) },
      { type: 'identify', userId: 'bob', traits: { email: 'bob@example.com', plan: 'free' }, timestamp: at(10) },
      {
        type: 'track',
        userId: 'ann',
        event: 'Product Added',
        properties: { cartId: 'c1', product: { sku: 'A1' } },
        timestamp: at(5),
      },
      {
        type: 'track',
        userId: 'bob',
        event: 'Product Added',
        properties: { cartId: 'c2', price: 10 },
        timestamp: at(4),
      },
      { type: 'track', userId: 'ann', event: 'Order Completed', properties: { orderId: 'o1' }, timestamp: at(3) },
    ];
    assert.equal((await s.call('POST', '/v1/batch', { key: s.writeKey, body: { batch } })).status, 200);
    const { events } = await ok('GET', '/api/v1/catalog/events');
    assert.deepEqual(events, [
      { name: 'Product Added', count: 2 },
      { name: 'Order Completed', count: 1 },
    ]);
    const { properties } = await ok('GET', '/api/v1/catalog/events/properties?event=Product%20Added');
    assert.deepEqual(properties[0], { key: 'cartId', seen: 2, samples: ['c2', 'c1'] });
    assert.deepEqual(properties.map((p: { key: string }) => p.key).sort(), ['cartId', 'price', 'product.sku']);
    const { traits } = await ok('GET', '/api/v1/catalog/traits');
    const plan = traits.find((t: { key: string }) => t.key === 'plan');
    assert.deepEqual([plan.seen, [...plan.samples].sort()], [2, ['free', 'gold']]);
  });

  it('catalog refuses bad input with 400 naming the field', async () => {
    const missing = await s.call('GET', '/api/v1/catalog/events/properties', { key: s.adminKey });
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /event/);
    const tooMany = await s.call('GET', '/api/v1/catalog/events?limit=5000', { key: s.adminKey });
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.message, /limit/);
  });
});
