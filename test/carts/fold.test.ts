// Carts from Segment's e-commerce events (pure): what each event does to the lines, and the cart folded in event time
// whatever order the events arrived in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cartFact } from '../../src/carts/events.ts';
import { foldCart, type CartClose, type StoredChange } from '../../src/carts/fold.ts';
import type { ProductFields } from '../../src/carts/product.ts';

type Step = [minute: number, event: string, properties: Record<string, unknown>, context?: Record<string, unknown>];

const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 12, minute));

/** The stored changes of the events (as ingest stores them), one message id per event. */
function changesOf(steps: Step[]): StoredChange[] {
  return steps.flatMap(([minute, event, props, context], n) => {
    const fact = cartFact(event, props, context ?? null);
    if (!fact) return [];
    return fact.changes.map((c, lineNo) => ({
      at: at(minute),
      receivedAt: at(59),
      position: n,
      messageId: `m${String(n).padStart(2, '0')}`,
      lineNo,
      kind: c.kind,
      lineKey: c.lineKey,
      quantity: c.quantity,
      product: c.product ?? {
        productId: null,
        sku: null,
        name: null,
        variant: null,
        category: null,
        price: null,
        imageUrl: null,
        url: null,
      },
    }));
  });
}

function cart(
  steps: Step[],
  closedBy: CartClose | null = null,
  catalogue: Record<string, Partial<ProductFields>> = {},
) {
  return foldCart(
    { cartId: 'c1', updatedAt: at(59), currency: null, url: null, changes: changesOf(steps), closedBy },
    (id) => catalogue[id],
  );
}

/** "2 × kettle @ 30 = 60" per line. */
const lines = (c: ReturnType<typeof cart>) =>
  c.items.map((i) => `${i.quantity} × ${i.productId ?? i.sku ?? i.name} @ ${i.price} = ${i.total}`);

const kettle = {
  cart_id: 'c1',
  product_id: 'kettle',
  name: 'Kettle',
  price: 30,
  image_url: 'https://shop.test/k.png',
  url: 'https://shop.test/kettle',
};
const mug = { cart_id: 'c1', product_id: 'mug', name: 'Mug', price: 7.5 };

describe('cart lines from spec-style events', () => {
  const cases: [string, Step[], string[], number][] = [
    [
      'Product Added twice: the units add up',
      [
        [0, 'Product Added', kettle],
        [1, 'Product Added', { ...kettle, quantity: 2 }],
      ],
      ['3 × kettle @ 30 = 90'],
      90,
    ],
    [
      'Product Removed with a quantity takes units away',
      [
        [0, 'Product Added', { ...mug, quantity: 3 }],
        [1, 'Product Removed', { cart_id: 'c1', product_id: 'mug', quantity: 2 }],
      ],
      ['1 × mug @ 7.5 = 7.5'],
      7.5,
    ],
    [
      'Product Removed without a quantity takes the line away',
      [
        [0, 'Product Added', kettle],
        [1, 'Product Added', mug],
        [2, 'Product Removed', { cart_id: 'c1', product_id: 'kettle' }],
      ],
      ['1 × mug @ 7.5 = 7.5'],
      7.5,
    ],
    [
      'Cart Viewed lists the whole cart: what it leaves out is gone, what comes after counts',
      [
        [0, 'Product Added', kettle],
        [1, 'Product Added', mug],
        [2, 'Cart Viewed', { cart_id: 'c1', products: [{ product_id: 'mug', price: 7.5, quantity: 2 }] }],
        [3, 'Product Added', kettle],
      ],
      ['2 × mug @ 7.5 = 15', '1 × kettle @ 30 = 30'],
      45,
    ],
    [
      'Checkout Started without products[] says nothing about the lines',
      [
        [0, 'Product Added', kettle],
        [1, 'Checkout Started', { cart_id: 'c1', order_id: 'o1' }],
      ],
      ['1 × kettle @ 30 = 30'],
      30,
    ],
    [
      'Checkout Started with an empty products[] empties it',
      [
        [0, 'Product Added', kettle],
        [1, 'Checkout Started', { cart_id: 'c1', products: [] }],
      ],
      [],
      0,
    ],
    [
      'camelCase spellings (productId, cartId) and several products in products[]',
      [
        [
          0,
          'Product Added',
          {
            cartId: 'c1',
            products: [
              { productId: 'a', price: '2.50', quantity: '2' },
              { productId: 'b', price: 1 },
            ],
          },
        ],
      ],
      ['2 × a @ 2.5 = 5', '1 × b @ 1 = 1'],
      6,
    ],
    [
      'a variant is its own line',
      [
        [0, 'Product Added', { ...kettle, variant: 'red' }],
        [1, 'Product Added', { ...kettle, variant: 'blue' }],
      ],
      ['1 × kettle @ 30 = 30', '1 × kettle @ 30 = 30'],
      60,
    ],
    [
      'a product naming neither id, SKU nor name is not kept',
      [[0, 'Product Added', { cart_id: 'c1', price: 3 }]],
      [],
      0,
    ],
    [
      'added and removed at the same instant: in the order they arrived',
      [
        [0, 'Product Added', kettle],
        [0, 'Product Removed', { cart_id: 'c1', product_id: 'kettle' }],
        [0, 'Product Added', mug],
      ],
      ['1 × mug @ 7.5 = 7.5'],
      7.5,
    ],
    [
      'a price the shop did not send: the line has no total, the cart counts the others',
      [
        [0, 'Product Added', { cart_id: 'c1', sku: 'gift' }],
        [1, 'Product Added', mug],
      ],
      ['1 × gift @ null = null', '1 × mug @ 7.5 = 7.5'],
      7.5,
    ],
  ];
  for (const [name, steps, expected, total] of cases) {
    it(name, () => {
      const c = cart(steps);
      assert.deepEqual(lines(c), expected);
      assert.equal(c.total, total);
      assert.equal(c.status, expected.length ? 'open' : 'empty');
    });
  }
});

describe('events of a cart arriving out of order', () => {
  const story: Step[] = [
    [0, 'Product Added', kettle],
    [1, 'Product Added', { ...mug, quantity: 2 }],
    [2, 'Product Removed', { cart_id: 'c1', product_id: 'mug', quantity: 1 }],
    [
      3,
      'Cart Viewed',
      {
        cart_id: 'c1',
        products: [
          { product_id: 'kettle', quantity: 1 },
          { product_id: 'mug', quantity: 1 },
        ],
      },
    ],
    [4, 'Product Added', { ...kettle, price: 28 }],
    [5, 'Product Removed', { cart_id: 'c1', product_id: 'mug' }],
  ];
  const inOrder = lines(cart(story));
  it('in event order: 2 kettles at the latest price, no mug', () =>
    assert.deepEqual(inOrder, ['2 × kettle @ 28 = 56']));
  // Every rotation and the reversal of the same events: stored in another order, read the same.
  const orders = [...story.keys()].map((k) => [...story.slice(k), ...story.slice(0, k)]).concat([[...story].reverse()]);
  for (const [k, shuffled] of orders.entries()) {
    it(`arrival order ${k + 1}: the same cart`, () => {
      // message ids follow arrival, so ties could only be broken by them; times decide here
      assert.deepEqual(
        lines(
          foldCart({
            cartId: 'c1',
            updatedAt: at(5),
            currency: null,
            url: null,
            changes: changesOf(shuffled),
            closedBy: null,
          }),
        ),
        inOrder,
      );
    });
  }
});

describe('an order closes the cart as of its time', () => {
  const added: Step[] = [
    [0, 'Product Added', kettle],
    [10, 'Product Added', mug],
  ];
  it('everything added before the order is bought: the cart is ordered', () => {
    const c = cart(added, { at: at(20), orderId: 'o1' });
    assert.deepEqual([c.status, c.items.length, c.orderId, c.orderedAt], ['ordered', 0, 'o1', at(20).toISOString()]);
  });
  it('an add after the order opens it again with only that line', () => {
    const c = cart([...added, [30, 'Product Added', kettle]], { at: at(20), orderId: 'o1' });
    assert.deepEqual([c.status, lines(c)], ['open', ['1 × kettle @ 30 = 30']]);
  });
  it("an add at the order's own instant was bought with it", () =>
    assert.equal(cart([[20, 'Product Added', kettle]], { at: at(20), orderId: 'o1' }).status, 'ordered'));
});

describe('what a line shows', () => {
  it('each field from the latest event that has it, then from the catalogue', () => {
    const c = cart(
      [
        [0, 'Product Added', kettle],
        [1, 'Product Added', { cart_id: 'c1', product_id: 'kettle', name: 'Kettle 2 l' }],
        [2, 'Product Added', { cart_id: 'c1', product_id: 'lamp' }],
        [
          3,
          'Cart Viewed',
          { cart_id: 'c1', products: [{ product_id: 'kettle', quantity: 2 }, { product_id: 'lamp' }] },
        ],
      ],
      null,
      {
        lamp: { name: 'Desk lamp', price: 45, imageUrl: 'https://shop.test/l.png', url: 'https://shop.test/lamp' },
        kettle: { name: 'Catalogue kettle', price: 99 },
      },
    );
    assert.deepEqual(
      c.items.map((i) => [i.productId, i.name, i.price, i.quantity, i.total, i.imageUrl, i.url]),
      [
        ['kettle', 'Kettle 2 l', 30, 2, 60, 'https://shop.test/k.png', 'https://shop.test/kettle'],
        ['lamp', 'Desk lamp', 45, 1, 45, 'https://shop.test/l.png', 'https://shop.test/lamp'],
      ],
    );
    assert.deepEqual([c.total, c.quantity], [105, 3]);
  });
  it("the cart's currency and link: cart_url, else the page a Cart Viewed came from", () => {
    assert.deepEqual(cartFact('Product Added', { ...kettle, currency: 'eur', cart_url: 'https://shop.test/cart/c1' }), {
      cartId: 'c1',
      currency: 'EUR',
      url: 'https://shop.test/cart/c1',
      changes: [
        {
          kind: 'add',
          lineKey: 'kettle',
          quantity: 1,
          product: cartFact('Product Added', kettle)!.changes[0]!.product,
        },
      ],
    });
    assert.equal(
      cartFact('Cart Viewed', { cart_id: 'c1', products: [] }, { page: { url: 'https://shop.test/cart' } })?.url,
      'https://shop.test/cart',
    );
    assert.equal(
      cartFact('Product Added', kettle, { page: { url: 'https://shop.test/kettle' } })?.url,
      null,
      'a product page is not the cart',
    );
  });
  it('money is rounded to cents', () =>
    assert.equal(cart([[0, 'Product Added', { cart_id: 'c1', sku: 's', price: 0.1, quantity: 3 }]]).total, 0.3));
  it("no cart id: the customer's own cart ('')", () =>
    assert.equal(cartFact('Product Added', { product_id: 'p' })?.cartId, ''));
  it('events that are not about carts mean nothing here', () => assert.equal(cartFact('Product Viewed', kettle), null));
});
