// The currency settings over real HTTP: where the base currency comes from before anyone sets it (the orders' one
// currency, else USD), setting the base and the rates with their dates, and every refusal naming its field and leaving
// the settings as they were.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from './server.ts';
import { ingest } from '../../src/ingest/ingest.ts';

const NOW = new Date('2026-05-10T12:00:00Z');

describe(`currency settings API (${backend})`, () => {
  let s: Served;
  const admin = (method: string, path: string, body?: unknown) => s.call(method, path, { key: s.adminKey, body });
  const settings = async () => {
    const r = await admin('GET', '/api/v1/settings/currency');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const order = (id: string, currency?: string) => ({
    type: 'track',
    userId: 'ann',
    event: 'Order Completed',
    properties: { orderId: id, total: 10, ...(currency ? { currency } : {}) },
    timestamp: '2026-05-01T10:00:00Z',
  });
  const send = async (...messages: object[]) =>
    assert.deepEqual((await ingest(s.t.db, s.t.workspaceId, messages, { receivedAt: NOW })).rejected, []);

  before(async () => {
    s = await serve({ clock: () => NOW });
  });
  after(async () => s.close());

  it('the base before anyone sets it: USD without orders; the one currency of the orders (as sent, any case); USD again once they are in two', async () => {
    assert.deepEqual(await settings(), { base: 'USD', rates: {}, source: 'default' });
    await send(order('o1', 'GBP'), order('o2', ' gbp '), order('o3'));
    assert.deepEqual(
      await settings(),
      { base: 'GBP', rates: {}, source: 'orders' },
      'an order without a currency is in the base',
    );
    await send(order('o4', 'EUR'));
    assert.deepEqual(
      await settings(),
      { base: 'USD', rates: {}, source: 'default' },
      'GBP and EUR: nobody can tell which is the base',
    );
  });

  it('PUT sets the base and the rates (codes in any case), GET reads them back', async () => {
    const body = {
      base: 'eur',
      rates: { pln: { rate: 0.2315, date: '2026-05-01' }, GBP: { rate: 1.17, date: '2026-05-10' } },
    };
    const want = {
      base: 'EUR',
      rates: { GBP: { rate: 1.17, date: '2026-05-10' }, PLN: { rate: 0.2315, date: '2026-05-01' } },
      source: 'settings',
    };
    const r = await admin('PUT', '/api/v1/settings/currency', body);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, want);
    assert.deepEqual(await settings(), want);
  });

  it('each key given replaces its value: new rates keep the base; a new base comes with its rates', async () => {
    let r = await admin('PUT', '/api/v1/settings/currency', { rates: { PLN: { rate: 0.233, date: '2026-05-09' } } });
    assert.deepEqual(r.body, { base: 'EUR', rates: { PLN: { rate: 0.233, date: '2026-05-09' } }, source: 'settings' });
    r = await admin('PUT', '/api/v1/settings/currency', {
      base: 'PLN',
      rates: { EUR: { rate: 4.29, date: '2026-05-09' } },
    });
    assert.deepEqual(r.body, { base: 'PLN', rates: { EUR: { rate: 4.29, date: '2026-05-09' } }, source: 'settings' });
  });

  const bad: [string, unknown, string, RegExp][] = [
    ['not a currency', { base: 'EURO' }, 'invalid_request', /^base: "EURO" is not an ISO 4217 currency code/],
    [
      'three letters that are no currency',
      { base: 'XYZ' },
      'invalid_request',
      /^base: "XYZ" is not an ISO 4217 currency code/,
    ],
    [
      'a rate for no currency',
      { rates: { ZZZ: { rate: 1, date: '2026-05-01' } } },
      'invalid_request',
      /^rates\.ZZZ: "ZZZ" is not an ISO 4217 currency code/,
    ],
    [
      'a rate of 0',
      { rates: { EUR: { rate: 0, date: '2026-05-01' } } },
      'invalid_request',
      /^rates\.EUR\.rate: more than 0/,
    ],
    [
      'a rate as text',
      { rates: { EUR: { rate: '4.29', date: '2026-05-01' } } },
      'invalid_request',
      /^rates\.EUR\.rate: a number/,
    ],
    [
      'a day that does not exist',
      { rates: { EUR: { rate: 4.29, date: '2026-02-30' } } },
      'invalid_request',
      /^rates\.EUR\.date: the day the rate is from, as YYYY-MM-DD/,
    ],
    [
      'a rate without its day',
      { rates: { EUR: { rate: 4.29 } } },
      'invalid_request',
      /^rates\.EUR\.date: the day the rate is from/,
    ],
    [
      'a day in the future',
      { rates: { EUR: { rate: 4.29, date: '2026-06-01' } } },
      'invalid_settings',
      /^rates\.EUR\.date: 2026-06-01 is in the future/,
    ],
    [
      'a rate for the base itself',
      { rates: { PLN: { rate: 1, date: '2026-05-01' } } },
      'invalid_settings',
      /^rates\.PLN: PLN is the base currency: it needs no rate/,
    ],
    [
      'a new base without new rates',
      { base: 'USD' },
      'invalid_settings',
      /^rates: the rates kept are to PLN: send the rates to USD with the new base/,
    ],
    [
      'an unknown setting',
      { currency: 'EUR' },
      'invalid_request',
      /^body: not a setting: currency \(the settings are base and rates\)$/,
    ],
    ['rates as a list', { rates: [{ currency: 'EUR', rate: 4.29 }] }, 'invalid_request', /^rates: /],
  ];
  for (const [what, body, error, message] of bad) {
    it(`refused: ${what}, naming the field; nothing changes`, async () => {
      const r = await admin('PUT', '/api/v1/settings/currency', body);
      assert.deepEqual([r.status, r.body.error], [400, error], JSON.stringify(r.body));
      assert.match(r.body.message, message);
      assert.deepEqual(await settings(), {
        base: 'PLN',
        rates: { EUR: { rate: 4.29, date: '2026-05-09' } },
        source: 'settings',
      });
    });
  }

  it('the admin key is needed', async () => {
    assert.equal((await s.call('GET', '/api/v1/settings/currency')).status, 401);
    assert.equal(
      (await s.call('PUT', '/api/v1/settings/currency', { key: s.writeKey, body: { base: 'EUR' } })).status,
      403,
    );
  });
});
