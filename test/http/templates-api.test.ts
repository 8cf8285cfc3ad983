// The templates API over HTTP: admin keys only; bad templates refused with the path, line and column of every problem;
// create, read, list, change, delete; previews for a Polish and a Russian customer (their latest cart, money, dates in
// their zones, the variant used), SMS segments and price, a draft; and a test sent through the channel's provider.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from './server.ts';
import { closeProviders } from '../../src/channels/store.ts';

process.env.RETAIN_SECRET_KEY ??= randomBytes(32).toString('base64');

const NBSP = '\u00a0';
const section = (inner: string) => `<mj-section><mj-column>${inner}</mj-column></mj-section>`;
const CART = {
  pl: {
    email: {
      subject: '{{ customer.first_name }}, Twój koszyk: {{ event.total | money }}',
      mjml: `<mjml>\n<mj-body>\n${section('<mj-text>{% for p in event.products %}<p>{{ p.name }}: {{ p.price | money }}</p>{% endfor %}<p>Ostatnie zamówienie: {{ aggregates.last_order_at | local_date: "d MMMM, HH:mm" }}</p></mj-text><mj-button href="{% unsubscribe_url %}">Wypisz</mj-button>')}\n</mj-body>\n</mjml>`,
    },
    sms: { text: '{{ customer.first_name }}, koszyk {{ event.total | money }} czeka. Kod {{ coupon }}' },
  },
  ru: {
    email: {
      subject: '{{ customer.first_name }}, ваша корзина: {{ event.total | money }}',
      html: '<p>Последний заказ: {{ aggregates.last_order_at | local_date: "d MMMM, HH:mm" }}</p>',
    },
  },
  en: { email: { subject: 'Your cart', html: '<p>{{ event.total | money }}</p>' } },
};

/** A stand-in SMS gateway that records what it is sent. */
async function gateway() {
  const seen: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"sms-1"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`,
    seen,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe(`templates API (${backend})`, () => {
  let s: Served;
  const now = new Date('2026-05-02T10:00:00Z');
  const call = (method: string, path: string, body?: unknown) => s.call(method, path, { key: s.adminKey, body });
  const ok = async (method: string, path: string, body?: unknown, status = 200) => {
    const res = await call(method, path, body);
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body;
  };

  before(async () => {
    s = await serve({ clock: () => now });
    await s.t.db.query(`UPDATE workspaces SET settings = jsonb_set(settings, '{messaging}', $2::jsonb) WHERE id = $1`, [
      s.t.workspaceId,
      JSON.stringify({ defaultLocale: 'en' }),
    ]);
    assert.equal(
      (await s.call('PUT', '/api/v1/settings/currency', { key: s.adminKey, body: { base: 'PLN' } })).status,
      200,
    );
    // 30 April 21:30 UTC: 23:30 in Warsaw, already 1 May 00:30 in Moscow
    const batch = [
      {
        type: 'identify',
        userId: 'ola',
        traits: { first_name: 'Ola', email: 'ola@example.com', phone: '+48600100200', locale: 'pl-PL' },
        context: { timezone: 'Europe/Warsaw' },
      },
      {
        type: 'identify',
        userId: 'ivan',
        traits: { first_name: 'Иван', locale: 'ru-RU' },
        context: { timezone: 'Europe/Moscow' },
      },
      ...['ola', 'ivan'].map((userId) => ({
        type: 'track',
        userId,
        event: 'Order Completed',
        properties: { orderId: `o-${userId}`, total: 100 },
        timestamp: '2026-04-30T21:30:00Z',
      })),
      {
        type: 'track',
        userId: 'ola',
        event: 'Cart Abandoned',
        properties: {
          total: 1234.5,
          products: [
            { name: 'Tulipany', price: 39.98 },
            { name: 'Wazon', price: 1194.52 },
          ],
        },
      },
      {
        type: 'track',
        userId: 'ivan',
        event: 'Cart Abandoned',
        properties: { total: 1234.5, currency: 'RUB', products: [{ name: 'Розы', price: 1234.5 }] },
      },
    ];
    const res = await s.call('POST', '/v1/batch', {
      key: s.writeKey,
      body: { batch: batch.map((m) => ({ timestamp: now.toISOString(), ...m })) },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });
  after(async () => {
    await closeProviders();
    await s.close();
  });

  it('admin keys only', async () => {
    assert.equal((await s.call('GET', '/api/v1/templates')).status, 401);
    assert.equal((await s.call('GET', '/api/v1/templates', { key: s.writeKey })).status, 403);
  });

  it('refuses a bad template with every problem’s path, line and column, on create and on validate', async () => {
    const bad = {
      ...CART,
      pl: {
        ...CART.pl,
        email: { ...CART.pl.email, subject: 'Hi {{ customer.first_name' },
        sms: { text: 'Kod:\n{{ coupon | upcas }}' },
      },
    };
    for (const path of ['/api/v1/templates', '/api/v1/templates/validate']) {
      const res = await call('POST', path, { name: 'Cart', defaultLocale: 'en', content: bad });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_template');
      assert.match(
        res.body.message,
        /^\$\.pl\.email\.subject \(line 1, column 4\): The output \{\{ customer.first_name is never closed/,
      );
      assert.deepEqual(
        res.body.errors.map((e: { path: string; line: number; column: number }) => [e.path, e.line, e.column]),
        [
          ['$.pl.email.subject', 1, 4],
          ['$.pl.sms.text', 2, 1],
        ],
      );
    }
    assert.deepEqual(await ok('POST', '/api/v1/templates/validate', { defaultLocale: 'en', content: CART }), {
      ok: true,
    });
  });

  it('names a bad field of the request itself', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/v1/templates', { defaultLocale: 'en', content: CART }, 'name'],
      ['POST', '/api/v1/templates/validate', { content: CART }, 'defaultLocale'],
      [
        'POST',
        '/api/v1/templates/preview',
        { template: { defaultLocale: 'en', content: CART }, channel: 'fax' },
        'channel',
      ],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await call(method, path, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.issues[0].field, field);
    }
  });

  it('create → read → list → change', async () => {
    const created = await ok(
      'POST',
      '/api/v1/templates',
      { name: 'Cart reminder', defaultLocale: 'en', content: CART },
      201,
    );
    assert.deepEqual(
      [created.id, created.name, created.updatedAt],
      ['cart-reminder', 'Cart reminder', now.toISOString()],
    );
    assert.deepEqual((await ok('GET', '/api/v1/templates/cart-reminder')).content, CART);
    const { templates } = await ok('GET', '/api/v1/templates');
    assert.deepEqual(
      templates.map((t: { id: string; locales: string[]; channels: string[] }) => [t.id, t.locales, t.channels]),
      [['cart-reminder', ['en', 'pl', 'ru'], ['email', 'sms']]],
    );
    const renamed = await ok('PUT', '/api/v1/templates/cart-reminder', { name: 'Koszyk' });
    assert.equal(renamed.name, 'Koszyk');
    assert.equal((await call('PUT', '/api/v1/templates/cart-reminder', {})).status, 400);
    const res = await call('PUT', '/api/v1/templates/cart-reminder', { defaultLocale: 'de' });
    assert.deepEqual([res.status, res.body.errors[0].path], [400, '$.defaultLocale']);
  });

  it('previews the e-mail for Ola (pl-PL, Warsaw) and Ivan (ru-RU, Moscow) with their latest carts', async () => {
    const cases: [string, Record<string, unknown>, string, string, string, RegExp][] = [
      [
        'ola',
        {},
        'pl',
        'language',
        `Ola, Twój koszyk: 1234,50${NBSP}zł`,
        new RegExp(
          `^Tulipany: 39,98${NBSP}zł\n\nWazon: 1194,52${NBSP}zł\n\nOstatnie zamówienie: 30 kwietnia, 23:30\n\nWypisz \\(https://preview.invalid/unsubscribe\\)$`,
        ),
      ],
      ['ivan', {}, 'ru', 'language', `Иван, ваша корзина: 1${NBSP}234,50${NBSP}₽`, /^Последний заказ: 1 мая, 00:30$/],
      // asked for in Russian: money and dates as Russians write them, still in Ola's zone and currency
      [
        'ola',
        { locale: 'ru' },
        'ru',
        'customer',
        `Ola, ваша корзина: 1${NBSP}234,50${NBSP}PLN`,
        /^Последний заказ: 30 апреля, 23:30$/,
      ],
      ['ola', { locale: 'de-DE' }, 'en', 'workspace', 'Your cart', new RegExp(`^PLN${NBSP}1,234.50$`)],
    ];
    for (const [customer, extra, locale, source, subject, text] of cases) {
      const p = await ok('POST', '/api/v1/templates/cart-reminder/preview', {
        customer,
        channel: 'email',
        trigger: { event: 'Cart Abandoned' },
        ...extra,
      });
      assert.deepEqual(
        [p.locale, p.localeSource, p.email.subject],
        [locale, source, subject],
        `${customer} ${JSON.stringify(extra)}`,
      );
      assert.match(p.email.text, text);
      assert.equal(p.customer.userId, customer);
    }
  });

  it('previews the SMS with its segments, and the price once the channel has one', async () => {
    const body = {
      customer: 'ola',
      channel: 'sms',
      trigger: { event: 'Cart Abandoned' },
      params: { coupon: 'WIOSNA10' },
    };
    const before = await ok('POST', '/api/v1/templates/cart-reminder/preview', body);
    assert.deepEqual(before.sms, {
      text: `Ola, koszyk 1234,50${NBSP}zł czeka. Kod WIOSNA10`,
      segments: 1,
      encoding: 'UCS-2',
      units: 42,
      nonGsmChars: [NBSP, 'ł'],
    });
    await ok('PUT', '/api/v1/channels/sms', {
      provider: 'sms-http',
      config: { url: 'http://127.0.0.1:9/send', body: { to: '{{to}}', text: '{{text}}' } },
      pricePerMessage: 0.05,
    });
    assert.equal((await ok('POST', '/api/v1/templates/cart-reminder/preview', body)).sms.price, 0.05);
  });

  it('previews a draft that is not saved', async () => {
    const draft = {
      defaultLocale: 'pl',
      content: {
        pl: { push: { title: 'Cześć {{ customer.first_name }}', body: '{{ event.products | size }} produkty' } },
      },
    };
    const p = await ok('POST', '/api/v1/templates/preview', {
      template: draft,
      customer: 'ola',
      channel: 'webpush',
      trigger: { properties: { products: [1, 2] } },
    });
    assert.deepEqual(p.push, { title: 'Cześć Ola', body: '2 produkty' });
    const bad = await call('POST', '/api/v1/templates/preview', {
      template: { defaultLocale: 'pl', content: { pl: { sms: { text: '{{ x' } } } },
      channel: 'sms',
    });
    assert.deepEqual([bad.status, bad.body.errors[0].path], [422, '$.pl.sms.text']);
  });

  it('a preview that cannot render says where and why (422); unknown customers, events and templates are 404s', async () => {
    const res = await call('POST', '/api/v1/templates/cart-reminder/preview', {
      customer: 'ola',
      channel: 'email',
      trigger: { properties: { total: 5 } },
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.error, 'template_error');
    assert.deepEqual(res.body.errors, [
      {
        path: '$.pl.email.mjml',
        line: 3,
        column: 45,
        message: res.body.errors[0].message,
        code: 'unknown_variable',
        values: { variable: 'event.products' },
      },
    ]);
    assert.match(res.body.message, /^\$\.pl\.email\.mjml \(line 3, column 45\): Unknown variable "event.products"/);
    const missing: [string, unknown, RegExp][] = [
      ['/api/v1/templates/cart-reminder/preview', { customer: 'nobody', channel: 'email' }, /No customer "nobody"/],
      [
        '/api/v1/templates/cart-reminder/preview',
        { customer: 'ivan', channel: 'email', trigger: { event: 'Order Refunded' } },
        /has no "Order Refunded" event to preview with: give trigger.properties instead/,
      ],
      ['/api/v1/templates/nope/preview', { channel: 'email' }, /No template "nope"/],
    ];
    for (const [path, body, message] of missing) {
      const r = await call('POST', path, body);
      assert.equal(r.status, 404, JSON.stringify(r.body));
      assert.match(r.body.message, message);
    }
  });

  it('sends a test through the channel’s provider', async () => {
    const sms = await gateway();
    try {
      await ok('PUT', '/api/v1/channels/sms', {
        provider: 'sms-http',
        config: { url: sms.url, body: { to: '{{to}}', text: '{{text}}' } },
        pricePerMessage: 0.05,
      });
      const sent = await ok('POST', '/api/v1/templates/cart-reminder/test', {
        channel: 'sms',
        to: '+48600100200',
        customer: 'ola',
        trigger: { event: 'Cart Abandoned' },
        params: { coupon: 'TEST' },
      });
      assert.deepEqual(
        [sent.sent, sent.locale, sent.message.sms.text],
        [true, 'pl', `Ola, koszyk 1234,50${NBSP}zł czeka. Kod TEST`],
      );
      assert.deepEqual(sms.seen, [{ to: '+48600100200', text: `Ola, koszyk 1234,50${NBSP}zł czeka. Kod TEST` }]);
    } finally {
      await sms.close();
    }
    const cases: [unknown, number, RegExp][] = [
      [{ channel: 'sms', to: '600100200' }, 400, /^to: "600100200" is not a phone number in international form/],
      [{ channel: 'email', to: 'ola.example.com' }, 400, /^to: "ola.example.com" is not an e-mail address/],
      [
        { channel: 'email', to: 'ola@example.com', customer: 'ola', trigger: { event: 'Cart Abandoned' } },
        409,
        /No email provider is set up: configure one with PUT \/api\/v1\/channels\/email/,
      ],
    ];
    for (const [body, status, message] of cases) {
      const r = await call('POST', '/api/v1/templates/cart-reminder/test', body);
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.match(r.body.message, message);
    }
  });

  it('delete, then it is gone', async () => {
    assert.equal((await call('DELETE', '/api/v1/templates/cart-reminder')).status, 204);
    assert.equal((await call('GET', '/api/v1/templates/cart-reminder')).status, 404);
    assert.equal((await call('DELETE', '/api/v1/templates/cart-reminder')).status, 404);
  });
});
