// The replenishment reminder waits as long as the products ordered usually last: per product, the median days between
// one customer's consecutive purchases of it in the workspace's orders. The shop's history: tea bought again every
// 20–22 days (median 20), soap every 10, coffee bought twice by one customer only (one gap: too few to trust). Then each
// customer orders, and the reminder comes when the first of their products runs out, or after the 30-day fallback.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { journeyWorld } from './world.ts';
import { recipeById } from '../../src/journeys/gallery/index.ts';
import { productsOf, replenishDays } from '../../src/journeys/replenish.ts';

const DAY = 86_400_000;
const start = new Date('2026-03-01T09:00:00Z');
const order = (userId: string, orderId: string, at: Date, products: string[]) => ({
  type: 'track',
  userId,
  event: 'Order Completed',
  timestamp: at.toISOString(),
  properties: {
    orderId,
    total: 10 * products.length,
    products: products.map((p) => ({ product_id: p, price: 10, quantity: 1 })),
  },
});

/** Who bought what, how many days after the start: the history the intervals come from. */
const HISTORY: [user: string, product: string, days: number[]][] = [
  ['h1', 'tea', [0, 20, 40]], // gaps 20, 20
  ['h2', 'tea', [0, 22]], // gap 22
  ['h3', 'tea', [5, 25]], // gap 20 → tea: 20, 20, 22, 20: median 20
  ['h1', 'soap', [0, 10, 20, 30]], // gaps 10, 10, 10 → soap: 10
  ['h2', 'coffee', [0, 14]], // one gap: too few
];

const cases = [
  { user: 'ann', products: ['tea'], remindedAfterDays: 20, why: 'tea usually lasts 20 days' },
  {
    user: 'bob',
    products: ['coffee'],
    remindedAfterDays: 30,
    why: 'one repeat purchase of coffee is too few: the 30-day fallback',
  },
  { user: 'cat', products: ['tea', 'soap'], remindedAfterDays: 10, why: 'the soap runs out first' },
  { user: 'dan', products: ['kettle'], remindedAfterDays: 30, why: 'nobody ever bought a kettle twice: the fallback' },
];

/** A workspace 60 days after the start, with the history's orders and the gallery's replenishment journey active. */
async function shopWithHistory(t: TestDb) {
  const w = await journeyWorld(t, new Date(start.getTime() + 60 * DAY));
  let n = 0;
  await w.send(
    ...HISTORY.flatMap(([user, product, days]) =>
      days.map((d) => order(user, `h-${n++}`, new Date(start.getTime() + d * DAY), [product])),
    ),
  );
  const recipe = recipeById('replenishment')!;
  await w.journey('replenish', {
    ...recipe.definition,
    steps: (recipe.definition.steps as { type: string }[]).map((s) =>
      s.type === 'send' ? { ...s, template: 'restock' } : s,
    ),
  });
  return w;
}

describe(`replenishment by the products' usual interval (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it("the gallery recipe waits by the products' interval: each customer is reminded when the first of their products runs out", async () => {
    const w = await shopWithHistory(t);
    const ordered = w.now;
    await w.send(...cases.map((c) => order(c.user, `o-${c.user}`, ordered, c.products)));
    await w.advance('+35d');
    const got = Object.fromEntries((await w.intents()).map((i) => [i.userId, i.local]));
    for (const c of cases) {
      const expected = new Date(ordered.getTime() + c.remindedAfterDays * DAY)
        .toISOString()
        .slice(0, 16)
        .replace('T', ' ');
      assert.equal(got[c.user], `${expected} UTC`, `${c.user}: ${c.why}`);
    }
  });

  it("a reorder before the reminder ends the run (the recipe's goal)", async () => {
    const w = await shopWithHistory(t);
    await w.send(order('eve', 'e1', w.now, ['soap']));
    await w.advance('+5d');
    await w.send(order('eve', 'e2', w.now, ['kettle']));
    await w.advance('+12d');
    assert.deepEqual(await w.sent(), [], 'the soap run ended at the reorder; the kettle run waits its 30 days');
    await w.advance('+20d');
    assert.deepEqual(await w.sent(), ['eve restock']);
  });
});

describe('replenishment arithmetic (pure)', () => {
  it('reads the products of an order event', () => {
    assert.deepEqual(
      productsOf({ products: [{ product_id: 'tea' }, { productId: 'soap' }, { id: 7 }, { sku: 'x' }] }),
      ['tea', 'soap', '7'],
    );
    assert.deepEqual(productsOf({ product_id: 'kettle' }), ['kettle']);
    assert.deepEqual(productsOf({}), []);
  });
  it('the shortest trusted median decides; too few gaps say nothing', () => {
    const rows = [
      { product: 'tea', medianDays: 20, gaps: 4 },
      { product: 'soap', medianDays: 10, gaps: 3 },
      { product: 'coffee', medianDays: 5, gaps: 1 },
    ];
    assert.equal(replenishDays(rows, 3), 10);
    assert.equal(replenishDays(rows, 4), 20);
    assert.equal(replenishDays(rows, 5), null);
    assert.equal(replenishDays([], 1), null);
  });
});
