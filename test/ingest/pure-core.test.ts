// The pure core of ingestion, table-driven: normalisation, clock skew, commerce facts, trait merging, phones and e-mails.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { correctedTimestamp, normalizeMessage, isRejection } from '../../src/ingest/normalize.ts';
import { commerceFact } from '../../src/ingest/commerce.ts';
import { applyTraitPatch, mergeTraits } from '../../src/ingest/traits.ts';
import { normalizeEmail, normalizePhone } from '../../src/identity/index.ts';

const receivedAt = new Date('2026-05-01T12:00:00Z');

describe('clock skew (Segment rule)', () => {
  const cases: [string, string | undefined, string | undefined, string][] = [
    ['no time given → received time', undefined, undefined, '2026-05-01T12:00:00.000Z'],
    ['time without sentAt → taken as given', '2026-04-01T08:00:00Z', undefined, '2026-04-01T08:00:00.000Z'],
    [
      'client clock 10 min fast → moved back',
      '2026-05-01T12:05:00Z',
      '2026-05-01T12:10:00Z',
      '2026-05-01T11:55:00.000Z',
    ],
    [
      'client clock 1 h slow → moved forward',
      '2026-05-01T10:59:00Z',
      '2026-05-01T11:00:00Z',
      '2026-05-01T11:59:00.000Z',
    ],
  ];
  for (const [name, ts, sent, expected] of cases) {
    it(name, () => {
      const got = correctedTimestamp(receivedAt, ts ? new Date(ts) : undefined, sent ? new Date(sent) : undefined);
      assert.equal(got.toISOString(), expected);
    });
  }
  it('a batch-level sentAt applies to every message of the batch', () => {
    const e = normalizeMessage({ type: 'track', userId: 'u', event: 'x', timestamp: '2026-05-01T12:05:00Z' }, 0, {
      receivedAt,
      batchSentAt: '2026-05-01T12:10:00Z',
    });
    assert.ok(!isRejection(e));
    assert.equal(e.timestamp.toISOString(), '2026-05-01T11:55:00.000Z');
  });
});

describe('message ids', () => {
  it('a message without messageId gets one from its content: the same payload twice has the same id', () => {
    const m = { type: 'track', userId: 'u', event: 'Viewed', properties: { a: 1 }, timestamp: '2026-05-01T10:00:00Z' };
    const a = normalizeMessage(m, 0, { receivedAt });
    const b = normalizeMessage({ ...m }, 3, { receivedAt: new Date() });
    const c = normalizeMessage({ ...m, properties: { a: 2 } }, 0, { receivedAt });
    assert.ok(!isRejection(a) && !isRejection(b) && !isRejection(c));
    assert.equal(a.messageId, b.messageId);
    assert.notEqual(a.messageId, c.messageId);
  });
  it('a message with no time of its own is stamped on arrival: the same body a day later is a new event, not a replay', () => {
    const m = { type: 'track', userId: 'u', event: 'Logged In' };
    const a = normalizeMessage(m, 0, { receivedAt });
    const again = normalizeMessage({ ...m }, 0, { receivedAt });
    const later = normalizeMessage({ ...m }, 0, { receivedAt: new Date(receivedAt.getTime() + 86_400_000) });
    assert.ok(!isRejection(a) && !isRejection(again) && !isRejection(later));
    assert.equal(a.messageId, again.messageId, 'a retry of the same request at the same instant is still a replay');
    assert.notEqual(a.messageId, later.messageId);
  });
  it('numeric user ids are kept as strings', () => {
    const e = normalizeMessage({ type: 'identify', userId: 42 }, 0, { receivedAt });
    assert.ok(!isRejection(e));
    assert.equal(e.userId, '42');
  });
});

describe('what PostgreSQL can store', () => {
  const cases: [string, Record<string, unknown>, string | null][] = [
    [
      'a NUL in a property value',
      { type: 'track', userId: 'u', event: 'E', properties: { note: 'a\u0000b' } },
      'properties.note',
    ],
    [
      'a NUL in a nested key',
      { type: 'track', userId: 'u', event: 'E', properties: { a: [{ ['k\u0000']: 1 }] } },
      'properties.a.0.k\\u0000',
    ],
    ['a NUL in the event name', { type: 'track', userId: 'u', event: 'E\u0000' }, 'event'],
    ['a NUL in the user id', { type: 'identify', userId: 'u\u0000' }, 'userId'],
    [
      'a NUL in the context',
      { type: 'page', userId: 'u', context: { page: { title: '\u0000' } } },
      'context.page.title',
    ],
    [
      'a time after the year 9999',
      { type: 'track', userId: 'u', event: 'E', timestamp: '+010000-01-01T00:00:00Z' },
      'timestamp',
    ],
    [
      'a time before the year 1',
      { type: 'track', userId: 'u', event: 'E', timestamp: '-000001-01-01T00:00:00Z' },
      'timestamp',
    ],
  ];
  for (const [name, m, field] of cases) {
    it(`refuses ${name}, naming ${field}`, () => {
      const r = normalizeMessage(m, 0, { receivedAt });
      assert.ok(isRejection(r), 'refused');
      assert.equal(r.field, field);
    });
  }
  it('a lone surrogate (an emoji cut in half) becomes U+FFFD; whole emoji and other text stay as they are', () => {
    const e = normalizeMessage(
      { type: 'page', userId: 'u', name: 'Sale \ud83d', properties: { ['t\udc00']: 'ok 😀', list: ['\ud800x'] } },
      0,
      { receivedAt },
    );
    assert.ok(!isRejection(e));
    assert.equal(e.name, 'Sale \ufffd');
    assert.deepEqual(e.properties, { ['t\ufffd']: 'ok 😀', list: ['\ufffdx'] });
  });
});

describe('commerce facts', () => {
  const cases: [string, string, Record<string, unknown>, unknown][] = [
    [
      'order with total',
      'Order Completed',
      { orderId: 'o1', total: '19.99', currency: 'EUR' },
      { kind: 'order', orderId: 'o1', total: 19.99, currency: 'EUR', lines: [], cartId: null },
    ],
    [
      'order total from lines when missing',
      'Order Completed',
      {
        order_id: 'o2',
        products: [
          { product_id: 'p', price: 2.5, quantity: 4 },
          { id: 'q', price: 1 },
        ],
      },
      {
        kind: 'order',
        orderId: 'o2',
        total: 11,
        currency: null,
        lines: [
          { productId: 'p', sku: null, name: null, category: null, price: 2.5, quantity: 4 },
          { productId: 'q', sku: null, name: null, category: null, price: 1, quantity: 1 },
        ],
        cartId: null,
      },
    ],
    [
      'revenue when no total',
      'Order Completed',
      { orderId: 'o3', revenue: 7 },
      { kind: 'order', orderId: 'o3', total: 7, currency: null, lines: [], cartId: null },
    ],
    [
      'the cart it closes, in either spelling',
      'Order Completed',
      { order_id: 'o4', total: 7, cart_id: 'c-9' },
      { kind: 'order', orderId: 'o4', total: 7, currency: null, lines: [], cartId: 'c-9' },
    ],
    [
      'the cart it closes (cartId)',
      'Order Completed',
      { orderId: 'o5', total: 7, cartId: 'c-9' },
      { kind: 'order', orderId: 'o5', total: 7, currency: null, lines: [], cartId: 'c-9' },
    ],
    ['partial refund', 'Order Refunded', { orderId: 'o1', total: -5 }, { kind: 'refund', orderId: 'o1', amount: 5 }],
    ['full refund', 'Order Refunded', { orderId: 'o1' }, { kind: 'refund', orderId: 'o1', amount: null }],
    [
      'refund of the products listed, when no amount is given',
      'Order Refunded',
      {
        orderId: 'o1',
        products: [
          { id: 'p', price: 2.5, quantity: 2 },
          { id: 'q', price: 1.1 },
        ],
      },
      { kind: 'refund', orderId: 'o1', amount: 6.1 },
    ],
    [
      'products without prices and no amount: a full refund',
      'Order Refunded',
      { orderId: 'o1', products: [{ id: 'p' }] },
      { kind: 'refund', orderId: 'o1', amount: null },
    ],
    ['cancellation', 'Order Cancelled', { orderId: 'o1' }, { kind: 'cancel', orderId: 'o1' }],
  ];
  for (const [name, event, props, fact] of cases)
    it(name, () => assert.deepEqual(commerceFact(event, props), { fact }));
  const bad: [string, string, Record<string, unknown>, string][] = [
    ['order without id', 'Order Completed', { total: 5 }, 'properties.orderId'],
    ['non-numeric total', 'Order Completed', { orderId: 'o', total: 'lots' }, 'properties.total'],
    ['products not an array', 'Order Completed', { orderId: 'o', products: {} }, 'properties.products'],
    ['bad line price', 'Order Completed', { orderId: 'o', products: [{ price: 'x' }] }, 'properties.products.0.price'],
    ['a total beyond what revenue can hold', 'Order Completed', { orderId: 'o', total: 1e17 }, 'properties.total'],
    [
      'a quantity beyond what a line can hold',
      'Order Completed',
      { orderId: 'o', products: [{ price: 1, quantity: 1e15 }] },
      'properties.products.0.quantity',
    ],
    [
      'lines that come to more than revenue can hold',
      'Order Completed',
      { orderId: 'o', products: [{ price: 1e12, quantity: 10 }] },
      'properties.products',
    ],
  ];
  for (const [name, event, props, field] of bad) {
    it(`rejects ${name} naming ${field}`, () =>
      assert.equal((commerceFact(event, props) as { field: string }).field, field));
  }
  it('ignores events that are not about orders', () => assert.equal(commerceFact('Product Viewed', {}), null));
});

describe('traits: later wins, per trait', () => {
  it('an older patch does not overwrite a newer value, but adds traits it alone has', () => {
    const s = { traits: { plan: 'gold' }, trait_times: { plan: '2026-05-02T00:00:00.000Z' } };
    assert.equal(applyTraitPatch(s, { plan: 'free', city: 'Riga' }, '2026-05-01T00:00:00.000Z'), true);
    assert.deepEqual(s.traits, { plan: 'gold', city: 'Riga' });
  });
  it('re-applying the same patch changes nothing', () => {
    const s = { traits: {}, trait_times: {} };
    applyTraitPatch(s, { a: 1 }, '2026-05-01T00:00:00.000Z');
    assert.equal(applyTraitPatch(s, { a: 1 }, '2026-05-01T00:00:00.000Z'), false);
  });
  it('merging two profiles takes each trait from whichever set it later', () => {
    const a = { traits: { plan: 'gold', city: 'Oslo' }, trait_times: { plan: '2026-01-02', city: '2026-01-01' } };
    const b = { traits: { plan: 'free', city: 'Rome' }, trait_times: { plan: '2026-01-01', city: '2026-01-03' } };
    assert.deepEqual(mergeTraits(a, b).traits, { plan: 'gold', city: 'Rome' });
  });
});

describe('e-mail and phone normalisation', () => {
  const phones: [string, string | undefined, string | null][] = [
    ['+44 20 7946 0958', undefined, '+442079460958'],
    ['(415) 555-0123', 'US', '+14155550123'],
    ['+7 912 345-67-89', undefined, '+79123456789'],
    ['12', undefined, null],
    ['call me', undefined, null],
  ];
  for (const [raw, country, expected] of phones)
    it(`phone ${raw} → ${expected}`, () => assert.equal(normalizePhone(raw, country), expected));
  it('e-mails are trimmed and lower-cased; non-addresses refused', () => {
    assert.equal(normalizeEmail('  Ann.Lee@Example.COM '), 'ann.lee@example.com');
    assert.equal(normalizeEmail('ann at example'), null);
  });
});
