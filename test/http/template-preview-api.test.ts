// Live preview over HTTP: a draft (the README's cart templates, the layouts) previewed for a customer with an open cart
// (its lines and total in the cart's currency), for a built-in sample event and its cart, in every locale, with the
// recent real events of a name; money in the customer's currency and language (a Polish customer's order in złoty, a
// Russian one's in roubles); bad input named (unknown customer 404, malformed content 422 at its path).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { readmeTemplate } from '../helpers/readme.ts';
import { serve, type Served } from './server.ts';

const NBSP = '\u00a0';

describe(`template preview API: drafts, samples, locales, layouts (${backend})`, () => {
  let s: Served;
  const now = new Date('2026-05-02T10:00:00Z');
  const call = (method: string, path: string, body?: unknown) => s.call(method, path, { key: s.adminKey, body });
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, path, body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const draft = (id: string) => {
    const t = readmeTemplate(id);
    return { defaultLocale: t.defaultLocale, content: t.content };
  };

  before(async () => {
    s = await serve({ clock: () => now });
    assert.equal(
      (await s.call('PUT', '/api/v1/settings/currency', { key: s.adminKey, body: { base: 'PLN' } })).status,
      200,
    );
    const sender = await s.call('PUT', '/api/v1/settings/messaging', {
      key: s.adminKey,
      body: { senderName: 'Shop', senderIdentification: 'Shop Ltd, 1 Main St, Springfield' },
    });
    assert.equal(sender.status, 200, JSON.stringify(sender.body));
    const batch = [
      {
        type: 'identify',
        userId: 'ann',
        traits: { first_name: 'Ann', email: 'ann@example.com', locale: 'en-US' },
        timestamp: '2026-05-01T08:00:00Z',
      },
      {
        type: 'identify',
        userId: 'bo',
        traits: { first_name: 'Bo', locale: 'en-US' },
        timestamp: '2026-05-01T08:00:00Z',
      },
      {
        type: 'track',
        userId: 'ann',
        event: 'Product Added',
        timestamp: '2026-05-01T09:00:00Z',
        properties: {
          cart_id: 'c-ann',
          product_id: 'kettle',
          name: 'Kettle',
          price: 30,
          quantity: 1,
          currency: 'USD',
          cart_url: 'https://shop.test/cart',
        },
      },
      {
        type: 'track',
        userId: 'ann',
        event: 'Product Added',
        timestamp: '2026-05-01T09:05:00Z',
        properties: { cart_id: 'c-ann', product_id: 'mug', name: 'Mug', price: 7.5, quantity: 2, currency: 'USD' },
      },
    ];
    const res = await s.call('POST', '/v1/batch', { key: s.writeKey, body: { batch } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });
  after(() => s.close());

  it("renders the README's cart templates as drafts for a customer with an open cart: lines and total in the cart's currency", async () => {
    const coupon = await ok('POST', '/api/v1/templates/preview', {
      template: draft('cart-coupon'),
      customer: 'ann',
      channel: 'email',
      params: { coupon: 'CART10' },
    });
    assert.equal(coupon.email.subject, 'A coupon for your cart, Ann');
    assert.match(
      coupon.email.text,
      /Your cart still holds 3 item\(s\), \$45\.00 in all\. Use the code CART10 at checkout\./,
    );
    assert.equal(coupon.locality.currency, 'USD');
    const reminder = await ok('POST', '/api/v1/templates/preview', {
      template: draft('cart-reminder'),
      customer: 'ann',
      channel: 'email',
    });
    assert.match(reminder.email.text, /1 × Kettle \$30\.00\s+2 × Mug \$15\.00\s+Total: \$45\.00/);
  });

  it("a sample event brings its cart when the customer has none (its money in the workspace's currency), and keeps the real cart (and its currency) when they have one", async () => {
    const cart = (await ok('GET', '/api/v1/templates/layouts')).layouts.find((l: { id: string }) => l.id === 'cart');
    const template = { defaultLocale: 'en', content: cart.content };
    const cases: [string | undefined, RegExp][] = [
      [
        undefined,
        new RegExp(`Kettle\\s+1\\s+PLN${NBSP}34\\.90\\s+Mug\\s+2\\s+PLN${NBSP}17\\.00\\s+Total\\s+PLN${NBSP}51\\.90`),
      ],
      [
        'bo',
        new RegExp(`Kettle\\s+1\\s+PLN${NBSP}34\\.90\\s+Mug\\s+2\\s+PLN${NBSP}17\\.00\\s+Total\\s+PLN${NBSP}51\\.90`),
      ],
      ['ann', /Kettle\s+1\s+\$30\.00\s+Mug\s+2\s+\$15\.00\s+Total\s+\$45\.00/],
    ];
    for (const [customer, text] of cases) {
      const p = await ok('POST', '/api/v1/templates/preview', {
        template,
        channel: 'email',
        sample: 'product_added',
        ...(customer ? { customer } : {}),
      });
      assert.match(p.email.text, text, String(customer));
    }
    const order = {
      defaultLocale: 'en',
      content: {
        en: { sms: { text: '{{ trigger.name }}: {{ event.products | size }} products, {{ event.total | money }}' } },
      },
    };
    const p = await ok('POST', '/api/v1/templates/preview', {
      template: order,
      channel: 'sms',
      customer: 'bo',
      sample: 'order_completed',
    });
    assert.equal(p.sms.text, `Order Completed: 2 products, PLN${NBSP}51.90`);
    const { samples } = await ok('GET', '/api/v1/templates/preview/samples');
    assert.deepEqual(
      samples.map((x: { id: string; event: string }) => [x.id, x.event]),
      [
        ['product_added', 'Product Added'],
        ['order_completed', 'Order Completed'],
        ['signed_up', 'Signed Up'],
      ],
    );
  });

  it('a Polish customer sees złoty and a Russian one roubles, each in their language: their own order, and a sample in their currency', async () => {
    const batch = [
      {
        type: 'identify',
        userId: 'ola',
        traits: { first_name: 'Ola' },
        context: { locale: 'pl-PL' },
        timestamp: '2026-05-01T08:00:00Z',
      },
      {
        type: 'identify',
        userId: 'ivan',
        traits: { first_name: 'Ivan' },
        context: { locale: 'ru-RU' },
        timestamp: '2026-05-01T08:00:00Z',
      },
      {
        type: 'track',
        userId: 'ola',
        event: 'Order Completed',
        timestamp: '2026-05-01T09:00:00Z',
        properties: { order_id: 'pl-1', total: 123.45, currency: 'PLN' },
      },
      {
        type: 'track',
        userId: 'ivan',
        event: 'Order Completed',
        timestamp: '2026-05-01T09:00:00Z',
        properties: { order_id: 'ru-1', total: 1234.5, currency: 'RUB' },
      },
    ];
    assert.equal((await s.call('POST', '/v1/batch', { key: s.writeKey, body: { batch } })).status, 200);
    const template = {
      defaultLocale: 'en',
      content: {
        en: { sms: { text: 'Your order: {{ event.total | money }}' } },
        pl: { sms: { text: 'Twoje zamówienie: {{ event.total | money }}' } },
        ru: { sms: { text: 'Ваш заказ: {{ event.total | money }}' } },
      },
    };
    const preview = async (customer: string, how: object) =>
      (await ok('POST', '/api/v1/templates/preview', { template, channel: 'sms', customer, ...how })).sms.text;
    assert.equal(await preview('ola', { trigger: { event: 'Order Completed' } }), `Twoje zamówienie: 123,45${NBSP}zł`);
    assert.equal(await preview('ivan', { trigger: { event: 'Order Completed' } }), `Ваш заказ: 1${NBSP}234,50${NBSP}₽`);
    assert.equal(await preview('ola', { sample: 'order_completed' }), `Twoje zamówienie: 51,90${NBSP}zł`);
    assert.equal(
      await preview('ivan', { sample: 'order_completed' }),
      `Ваш заказ: 51,90${NBSP}₽`,
      "his orders' currency, not the workspace's PLN",
    );
  });

  it('previews every locale of a draft, each in its own variant', async () => {
    const template = {
      defaultLocale: 'en',
      content: {
        en: { email: { subject: 'Your cart: {{ cart.total | money }}', html: '<p>Hi {{ customer.first_name }}</p>' } },
        pl: {
          email: { subject: 'Twój koszyk: {{ cart.total | money }}', html: '<p>Cześć {{ customer.first_name }}</p>' },
        },
        de: {
          email: { subject: 'Ihr Warenkorb: {{ cart.total | money }}', html: '<p>Hallo {{ customer.first_name }}</p>' },
        },
      },
    };
    const subjects = [];
    for (const locale of Object.keys(template.content)) {
      const p = await ok('POST', '/api/v1/templates/preview', { template, customer: 'ann', channel: 'email', locale });
      assert.equal(p.locale, locale);
      subjects.push(p.email.subject);
    }
    assert.deepEqual(subjects, ['Your cart: $45.00', `Twój koszyk: 45,00${NBSP}USD`, `Ihr Warenkorb: 45,00${NBSP}$`]);
  });

  it('every layout renders with the legal footer: the sender, the unsubscribe and preference links', async () => {
    const { layouts } = await ok('GET', '/api/v1/templates/layouts');
    assert.deepEqual(
      layouts.map((l: { id: string }) => l.id),
      ['basic', 'cart', 'product-grid', 'coupon'],
    );
    for (const layout of layouts) {
      const p = await ok('POST', '/api/v1/templates/preview', {
        template: { defaultLocale: 'en', content: layout.content },
        customer: 'bo',
        channel: 'email',
        sample: 'product_added',
        params: { coupon: 'SAVE5' },
      });
      for (const part of [
        'Shop Ltd, 1 Main St, Springfield',
        'https://preview.invalid/unsubscribe',
        'https://preview.invalid/preferences',
        'Hello Bo',
      ]) {
        assert.ok(p.email.html.includes(part), `${layout.id}: ${part}`);
      }
      if (layout.id === 'coupon') assert.match(p.email.text, /SAVE5/);
      if (layout.id === 'product-grid')
        assert.match(
          p.email.html,
          new RegExp(
            `Kettle<br /><strong>PLN${NBSP}34\\.90</strong></td><td[^>]*>.*Mug<br /><strong>PLN${NBSP}8\\.50</strong></td></tr>`,
            's',
          ),
        );
    }
  });

  it('lists the recent real events of a name, of a customer or of the workspace', async () => {
    const mine = await ok('GET', '/api/v1/templates/preview/events?name=Product%20Added&customer=ann');
    assert.deepEqual(
      mine.events.map((e: { properties: { name: string } }) => e.properties.name),
      ['Mug', 'Kettle'],
    );
    assert.deepEqual((await ok('GET', '/api/v1/templates/preview/events?name=Product%20Added&customer=bo')).events, []);
    assert.equal((await ok('GET', '/api/v1/templates/preview/events?name=Product%20Added&limit=1')).events.length, 1);
    const res = await call('GET', '/api/v1/templates/preview/events?name=Product%20Added&customer=nobody');
    assert.deepEqual(
      [res.status, res.body.message],
      [404, 'customer: no customer "nobody" (by customer id or user id) in this workspace.'],
    );
  });

  it('bad input is named: an unknown customer is a 404, malformed content a 422 at its path, an unknown sample a 400', async () => {
    const unknown = await call('POST', '/api/v1/templates/preview', {
      template: draft('cart-coupon'),
      customer: 'nobody',
      channel: 'email',
    });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.message, /No customer "nobody"/);
    const malformed = await call('POST', '/api/v1/templates/preview', {
      template: { defaultLocale: 'en', content: { en: { email: { subject: 5, html: '<p>x</p>' } } } },
      channel: 'email',
    });
    assert.equal(malformed.status, 422, JSON.stringify(malformed.body));
    assert.equal(malformed.body.errors[0].path, '$.en.email.subject');
    const typo = await call('POST', '/api/v1/templates/preview', {
      template: { defaultLocale: 'en', content: { en: { sms: { text: '{{ customer.firt_name }}' } } } },
      channel: 'sms',
    });
    assert.equal(typo.status, 422);
    assert.match(
      typo.body.errors[0].message,
      /Unknown variable "customer.firt_name".*did you mean "customer.first_name"/,
    );
    const sample = await call('POST', '/api/v1/templates/preview', {
      template: draft('cart-coupon'),
      channel: 'email',
      sample: 'birthday',
    });
    assert.deepEqual([sample.status, sample.body.issues?.[0]?.field], [400, 'sample']);
  });
});
