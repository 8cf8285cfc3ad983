// The customer's loyalty card on a real server: the admin API gives the card number and its signed link; the page
// /c/card shows the balance (with plurals) and tier in the customer's language, and the QR code the qrcode library
// makes from the card number; a tampered or foreign link is refused. The card number's check digit catches a typo.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';
import { cardNumber, customerOfCard } from '../../src/loyalty/index.ts';
import { cardQrSvg } from '../../src/consent/index.ts';

describe(`loyalty card page (${backend})`, () => {
  let s: Served;
  const call = (method: string, path: string, body?: unknown) => s.call(method, path, { key: s.adminKey, body });
  before(async () => {
    s = await serve();
    assert.equal(
      (await call('PUT', '/api/v1/loyalty/program', { enabled: true, tiers: [{ name: 'Silver', threshold: 24 }] }))
        .status,
      200,
    );
  });
  after(async () => s.close());

  const customers: [string, string, number, string[]][] = [
    // user, locale, order total (= points), what the page says
    [
      'ola',
      'pl-PL',
      25,
      [
        '<html lang="pl"',
        'Twoja karta lojalnościowa',
        '25 punktów do wydania',
        'Poziom: Silver',
        'Pokaż ten kod przy kasie.',
        'Numer karty ',
      ],
    ],
    ['ivan', 'ru', 22, ['<html lang="ru"', 'Ваша карта лояльности', '22 балла можно потратить', 'Пока без уровня']],
    ['amy', 'en-GB', 1, ['<html lang="en"', 'Your loyalty card', '1 point to spend', 'No tier yet']],
  ];
  for (const [user, locale, total, says] of customers) {
    it(`${user} (${locale}): the card page in their language, with the QR code of their card number`, async () => {
      assert.equal(
        (await s.call('POST', '/v1/identify', { key: s.writeKey, body: { userId: user, context: { locale } } })).status,
        200,
      );
      const order = {
        type: 'track',
        userId: user,
        event: 'Order Completed',
        properties: { order_id: `${user}-1`, total, currency: 'USD' },
      };
      assert.equal((await s.call('POST', '/v1/batch', { key: s.serverKey, body: { batch: [order] } })).status, 200);
      const card = await call('GET', `/api/v1/customers/${user}/loyalty/card`);
      assert.equal(card.status, 200, JSON.stringify(card.body));
      const { customerId } = (await call('GET', `/api/v1/customers/${user}/loyalty`)).body as { customerId: string };
      assert.equal(card.body.number, cardNumber(customerId));
      assert.equal(customerOfCard(card.body.number), customerId);
      const url = new URL(card.body.url);
      assert.equal(url.pathname, '/c/card');
      const shown = await s.call('GET', `${url.pathname}${url.search}`);
      assert.equal(shown.status, 200);
      const html = String(shown.body);
      for (const words of says) assert.ok(html.includes(words), `${user}: "${words}" in ${html.slice(0, 600)}`);
      const qr = await cardQrSvg(card.body.number);
      assert.match(qr, /^<svg[\s\S]*<\/svg>\s*$/);
      assert.ok(html.includes(qr), 'the page holds the QR code of this card number');
      assert.notEqual(
        await cardQrSvg(cardNumber(String(Number(customerId) + 1))),
        qr,
        'another number makes another code',
      );
    });
  }

  it("templates print customer.loyalty.card_url: the link that opens the customer's own card", async () => {
    const r = await call('POST', '/api/v1/templates/preview', {
      template: {
        defaultLocale: 'en',
        content: { en: { sms: { text: 'Your card: {{ customer.loyalty.card_url }}' } } },
      },
      customer: 'ivan',
      channel: 'sms',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const link = new URL(/^Your card: (\S+)$/.exec(r.body.sms.text)![1]!);
    assert.equal(link.pathname, '/c/card');
    const shown = String((await s.call('GET', `${link.pathname}${link.search}`)).body);
    assert.ok(
      shown.includes('Ваша карта лояльности') && shown.includes('22 балла можно потратить'),
      shown.slice(0, 600),
    );
  });

  it('a link with a changed signature or a changed customer is refused, and shows no card', async () => {
    const { url } = (await call('GET', '/api/v1/customers/ola/loyalty/card')).body as { url: string };
    const token = new URL(url).searchParams.get('t')!;
    const [body, signature] = token.split('.') as [string, string];
    const flipped = `${body}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const otherCustomer = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), c: '999999' })).toString('base64url')}.${signature}`;
    const cases: [string, string][] = [
      ['a changed signature', flipped],
      ['another customer inside', otherCustomer],
      ['garbage', 'abc'],
      ['nothing', ''],
    ];
    for (const [what, t] of cases) {
      const r = await s.call('GET', `/c/card?t=${encodeURIComponent(t)}`);
      assert.equal(r.status, 400, what);
      assert.ok(!String(r.body).includes('<svg'), `${what}: no card shown`);
    }
  });

  it('a card number with a mistyped digit or swapped neighbours names no customer', () => {
    const good = cardNumber('42');
    const typo = `${good.slice(0, 9)}${(Number(good[9]) + 1) % 10}${good.slice(10)}`;
    const swapped = `${good.slice(0, 8)}${good[9]}${good[8]}${good.slice(10)}`;
    assert.equal(customerOfCard(good), '42');
    for (const bad of [typo, ...(swapped !== good ? [swapped] : []), 'abc', '123'])
      assert.equal(customerOfCard(bad), null, bad);
  });
});
