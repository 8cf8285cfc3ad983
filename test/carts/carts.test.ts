// Carts kept at ingest from Segment's e-commerce events: out of order within and across batches, replays, the order
// that closes a cart (by naming it, or naming none), the cart and product a message is about, identity merges,
// erasure, the customers API and the template preview.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { customerCarts, messageCommerce } from '../../src/carts/store.ts';
import { upsertProducts } from '../../src/customers/products.ts';
import { eraseCustomer } from '../../src/customers/customers.ts';
import { anotherWorkspace, serve } from '../http/server.ts';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

let n = 0;
/** A track message with its own id, at a minute after T0. */
const track = (
  who: { userId?: string; anonymousId?: string },
  event: string,
  minute: number,
  properties: Record<string, unknown>,
) => ({ type: 'track', ...who, event, properties, timestamp: at(minute), messageId: `m-${++n}` });

const ann = { userId: 'ann' };
const kettle = { cart_id: 'c1', product_id: 'kettle', name: 'Kettle', price: 30, currency: 'EUR' };
const mug = { cart_id: 'c1', product_id: 'mug', name: 'Mug', price: 7.5 };

describe(`carts at ingest (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  async function shop() {
    const ws = (await createWorkspace(t.db, 'shop')).id;
    const send = async (...messages: object[]) => {
      const r = await ingest(t.db, ws, messages, { receivedAt: new Date(T0 + 3_600_000) });
      assert.deepEqual(r.rejected, []);
      return r;
    };
    const idOf = async (userId: string) =>
      (
        await t.db.query<{ id: string }>('SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = $2', [
          ws,
          userId,
        ])
      )[0]!.id;
    /** Each cart of the customer as "id status: 2 × kettle, 1 × mug = 67.5 EUR". */
    const carts = async (userId: string) =>
      (await customerCarts(t.db, ws, await idOf(userId))).map(
        (c) =>
          `${c.id ?? '(no id)'} ${c.status}: ${c.items.map((i) => `${i.quantity} × ${i.productId}`).join(', ')} = ${c.total}${c.currency ? ` ${c.currency}` : ''}`,
      );
    return { ws, send, idOf, carts };
  }

  const story = () => [
    track(ann, 'Product Added', 0, kettle),
    track(ann, 'Product Added', 1, { ...mug, quantity: 3 }),
    track(ann, 'Product Removed', 2, { cart_id: 'c1', product_id: 'mug', quantity: 1 }),
    track(ann, 'Product Added', 3, { ...kettle, quantity: 1 }),
    track(ann, 'Cart Viewed', 4, {
      cart_id: 'c1',
      products: [
        { product_id: 'kettle', price: 30, quantity: 2 },
        { product_id: 'mug', price: 7.5, quantity: 2 },
        { product_id: 'lamp', price: 45, quantity: 1 },
      ],
    }),
    track(ann, 'Product Removed', 5, { cart_id: 'c1', product_id: 'lamp' }),
  ];
  const expected = ['c1 open: 2 × kettle, 2 × mug = 75 EUR'];

  it('spec-style events in order: the cart as the shop shows it', async () => {
    const s = await shop();
    await s.send(...story());
    assert.deepEqual(await s.carts('ann'), expected);
  });

  it('the same events reversed in one batch, or one per batch newest first: the same cart; a replay changes nothing', async () => {
    const events = story();
    const a = await shop();
    await a.send(...[...events].reverse());
    assert.deepEqual(await a.carts('ann'), expected);
    const b = await shop();
    for (const e of [...events].reverse()) await b.send(e);
    assert.deepEqual(await b.carts('ann'), expected);
    const replay = await b.send(...events);
    assert.deepEqual([replay.accepted, replay.duplicates], [0, events.length]);
    assert.deepEqual(await b.carts('ann'), expected);
    const [{ count }] = await t.db.query<{ count: string }>(
      'SELECT count(*)::text FROM cart_changes WHERE workspace_id = $1',
      [b.ws],
    );
    assert.equal(
      count,
      String(events.reduce((k, e) => k + (e.event === 'Cart Viewed' ? 4 : 1), 0)),
      'each change stored once',
    );
  });

  describe('the order that closes a cart', () => {
    const cases: [string, (minute: number) => object, string[]][] = [
      [
        'names it (cart_id)',
        (m) => track(ann, 'Order Completed', m, { order_id: 'o1', cart_id: 'c1', total: 30 }),
        ['c2 open: 1 × mug = 7.5', 'c1 ordered:  = 0 EUR'],
      ],
      [
        'names it (cartId)',
        (m) => track(ann, 'Order Completed', m, { orderId: 'o1', cartId: 'c1', total: 30 }),
        ['c2 open: 1 × mug = 7.5', 'c1 ordered:  = 0 EUR'],
      ],
      [
        'names another cart: this one stays open',
        (m) => track(ann, 'Order Completed', m, { orderId: 'o1', cartId: 'c9', total: 30 }),
        ['c2 open: 1 × mug = 7.5', 'c1 open: 1 × kettle = 30 EUR'],
      ],
      [
        'names no cart: every cart of the customer as of the order',
        (m) => track(ann, 'Order Completed', m, { orderId: 'o1', total: 30 }),
        ['c2 ordered:  = 0', 'c1 ordered:  = 0 EUR'],
      ],
      [
        "another customer's order naming the cart (the shop's cart ids are its own)",
        (m) => track({ userId: 'bob' }, 'Order Completed', m, { orderId: 'o1', cart_id: 'c1', total: 30 }),
        ['c2 open: 1 × mug = 7.5', 'c1 ordered:  = 0 EUR'],
      ],
    ];
    for (const [name, order, carts] of cases) {
      it(`${name}; the same when the order arrives first`, async () => {
        const events = () => [
          track(ann, 'Product Added', 0, kettle),
          track(ann, 'Product Added', 1, { ...mug, cart_id: 'c2' }),
        ];
        const s = await shop();
        await s.send(...events());
        await s.send(order(10));
        assert.deepEqual(await s.carts('ann'), carts);
        const early = await shop();
        await early.send(order(10));
        await early.send(...events());
        assert.deepEqual(await early.carts('ann'), carts);
      });
    }
    it('a product added after the order opens the cart again with that product only', async () => {
      const s = await shop();
      await s.send(
        track(ann, 'Product Added', 0, kettle),
        track(ann, 'Order Completed', 10, { orderId: 'o1', total: 30 }),
        track(ann, 'Product Added', 20, mug),
      );
      assert.deepEqual(await s.carts('ann'), ['c1 open: 1 × mug = 7.5 EUR']);
    });
  });

  it("the cart's currency and link come from the latest events naming them, whatever the arrival order", async () => {
    const events = () => [
      track(ann, 'Product Added', 0, { ...kettle, currency: 'PLN', cart_url: 'https://shop.test/cart?v=1' }),
      track(ann, 'Product Added', 1, { ...mug, currency: 'EUR' }),
      track(ann, 'Cart Viewed', 2, { cart_id: 'c1', products: [{ product_id: 'mug', price: 7.5 }] }),
    ];
    for (const order of [events(), events().reverse()]) {
      const s = await shop();
      for (const e of order) await s.send(e);
      const [cart] = await customerCarts(t.db, s.ws, await s.idOf('ann'));
      assert.deepEqual([cart!.currency, cart!.url, cart!.total], ['EUR', 'https://shop.test/cart?v=1', 7.5]);
    }
    const page = await shop();
    await page.send({
      ...track(ann, 'Cart Viewed', 0, { cart_id: 'c1', products: [] }),
      context: { page: { url: 'https://shop.test/cart' } },
    });
    assert.equal((await customerCarts(t.db, page.ws, await page.idOf('ann')))[0]!.url, 'https://shop.test/cart');
  });

  it("an anonymous cart becomes the customer's when they sign in; their carts without an id become one", async () => {
    const s = await shop();
    const anon = { anonymousId: 'device-1' };
    await s.send(track(ann, 'Product Added', 0, { product_id: 'kettle', price: 30 }));
    await s.send(
      track(anon, 'Product Added', 1, kettle),
      track(anon, 'Product Added', 2, { product_id: 'mug', price: 7.5 }),
    );
    await s.send({ type: 'identify', userId: 'ann', anonymousId: 'device-1', timestamp: at(3), messageId: 'login' });
    assert.deepEqual(await s.carts('ann'), [
      '(no id) open: 1 × kettle, 1 × mug = 37.5',
      'c1 open: 1 × kettle = 30 EUR',
    ]);
    const [{ count }] = await t.db.query<{ count: string }>(
      'SELECT count(*)::text FROM carts WHERE workspace_id = $1',
      [s.ws],
    );
    assert.equal(count, '2', 'the anonymous profile keeps no cart');
  });

  it("which cart and product a message is about: the run's key, else the cart the trigger names, else the latest", async () => {
    const s = await shop();
    await s.send(
      track(ann, 'Product Added', 0, kettle),
      track(ann, 'Product Added', 1, { ...mug, cart_id: 'c2' }),
      track(ann, 'Product Added', 2, { product_id: 'lamp', price: 45 }),
      track(ann, 'Product Added', 3, { ...mug, cart_id: 'c3' }),
      track({ userId: 'bob' }, 'Product Viewed', 0, { product_id: 'lamp' }),
    );
    await upsertProducts(t.db, s.ws, [{ id: 'lamp', name: 'Desk lamp', imageUrl: 'https://shop.test/lamp.png' }]);
    const annId = await s.idOf('ann');
    const bobId = await s.idOf('bob');
    const cases: [
      string,
      string,
      string | null,
      { event?: string; properties?: Record<string, unknown> } | null,
      string | null,
      string | null,
    ][] = [
      // name, customer, run key, trigger, the cart chosen, the product
      [
        "the run's key names a cart",
        annId,
        'c1',
        { event: 'Product Added', properties: { cart_id: 'c2', product_id: 'mug' } },
        'c1',
        'mug',
      ],
      [
        'no key: the cart the triggering event names (cartId)',
        annId,
        '',
        { event: 'Segment Entered', properties: { cartId: 'c2' } },
        'c2',
        null,
      ],
      [
        "no key, a cart event naming no cart: the customer's cart without an id",
        annId,
        null,
        { event: 'Product Added', properties: { product_id: 'lamp' } },
        '(no id)',
        'lamp Desk lamp null https://shop.test/lamp.png',
      ],
      ['a key that is no cart of theirs (an order id): their latest cart', annId, 'o-77', null, 'c3', null],
      [
        'no cart at all',
        bobId,
        '',
        { event: 'Product Viewed', properties: { product_id: 'lamp' } },
        null,
        'lamp Desk lamp null https://shop.test/lamp.png',
      ],
      [
        'a Product event naming the product by name only',
        bobId,
        '',
        { event: 'Product Clicked', properties: { name: 'Kite', price: 9 } },
        null,
        'null Kite 9 null',
      ],
      [
        'an event that is about no product (its id, its name)',
        bobId,
        '',
        { event: 'Invoice Issued', properties: { id: 'inv-1', name: 'June' } },
        null,
        null,
      ],
      [
        'any event naming a SKU',
        bobId,
        '',
        { event: 'Back In Stock', properties: { sku: 'K-2' } },
        null,
        'null null null null',
      ],
    ];
    const found = await messageCommerce(
      t.db,
      cases.map(([, customerId, key, trigger]) => ({ ws: s.ws, customerId, key, trigger })),
    );
    assert.deepEqual(
      found.map((f, i) => [
        cases[i]![0],
        f.cart ? (f.cart.id ?? '(no id)') : null,
        f.product &&
          (f.product.productId === 'mug'
            ? 'mug'
            : `${f.product.productId} ${f.product.name} ${f.product.price} ${f.product.imageUrl}`),
      ]),
      cases.map(([name, , , , cart, product]) => [name, cart, product]),
    );
  });

  it('batches sent at once (parallel requests), one of them the sign-in that merges the device into ann: the same cart', async () => {
    const s = await shop();
    const device = { anonymousId: 'device-9' };
    const events = story().map((e, i) => ({ ...e, ...(i % 2 ? device : ann) }));
    await s.send(track(ann, 'Product Added', -1, { cart_id: 'c9', product_id: 'tea', price: 4 }));
    const batches = [
      [events[5]!, events[0]!],
      [events[1]!, events[4]!],
      [{ type: 'identify', userId: 'ann', anonymousId: 'device-9', timestamp: at(3), messageId: 'login' }],
      [events[3]!, events[2]!],
    ];
    await Promise.all(batches.map((b) => s.send(...b)));
    assert.deepEqual(await s.carts('ann'), expected.concat(['c9 open: 1 × tea = 4']));
  });

  it('erasure deletes the carts with their changes', async () => {
    const s = await shop();
    await s.send(...story());
    assert.equal((await eraseCustomer(t.db, s.ws, await s.idOf('ann'))).erased, true);
    const left = await t.db.query(
      'SELECT 1 FROM carts WHERE workspace_id = $1 UNION ALL SELECT 1 FROM cart_changes WHERE workspace_id = $1',
      [s.ws],
    );
    assert.equal(left.length, 0);
  });

  it('the customers API shows the open carts with their lines; the export every cart', async () => {
    const s = await serve({ clock: () => new Date(T0 + 3_600_000) }, await anotherWorkspace(t));
    try {
      const batch = [
        ...story(),
        track(ann, 'Product Added', 6, { cart_id: 'c0', product_id: 'mug', price: 7.5 }),
        track(ann, 'Order Completed', 7, { orderId: 'o1', cart_id: 'c0', total: 7.5 }),
      ];
      assert.equal(
        (await s.call('POST', '/v1/batch', { key: s.writeKey, body: { batch } })).body.accepted,
        batch.length,
      );
      const found = await s.call('GET', '/api/v1/customers?q=ann', { key: s.adminKey });
      const id = found.body.customers[0].id;
      const profile = await s.call('GET', `/api/v1/customers/${id}`, { key: s.adminKey });
      assert.deepEqual(
        profile.body.openCarts.map((c: any) => [
          c.id,
          c.status,
          c.total,
          c.currency,
          c.items.map((i: any) => [i.productId, i.name, i.price, i.quantity, i.total]),
        ]),
        [
          [
            'c1',
            'open',
            75,
            'EUR',
            [
              ['kettle', 'Kettle', 30, 2, 60],
              ['mug', 'Mug', 7.5, 2, 15],
            ],
          ],
        ],
      );
      const doc = await s.call('GET', `/api/v1/customers/${id}/export`, { key: s.adminKey });
      assert.deepEqual(
        doc.body.carts.map((c: any) => [c.id, c.status, c.orderId]),
        [
          ['c0', 'ordered', 'o1'],
          ['c1', 'open', null],
        ],
      );
      // A template preview for ann prints her cart: the one the trigger names, else her latest.
      const text =
        '{% for i in cart.items %}{{ i.quantity }} × {{ i.name }}, {% endfor %}{{ cart.total | money }} ({{ cart.status }})';
      assert.equal(
        (
          await s.call('POST', '/api/v1/templates', {
            key: s.adminKey,
            body: { id: 'cart', name: 'Cart', defaultLocale: 'en', content: { en: { sms: { text } } } },
          })
        ).status,
        201,
      );
      const preview = async (trigger?: object) =>
        (
          await s.call('POST', '/api/v1/templates/cart/preview', {
            key: s.adminKey,
            body: { customer: 'ann', channel: 'sms', trigger },
          })
        ).body.sms?.text;
      assert.equal(
        await preview({ event: 'Product Added', properties: { cart_id: 'c1' } }),
        '2 × Kettle, 2 × Mug, €75.00 (open)',
      );
      assert.equal(await preview(), '$0.00 (ordered)', 'her latest cart: the one she ordered');
    } finally {
      await s.close();
    }
  });
});
