// The demo shop: the pure generator (deterministic, three markets, a year of history up to the clock) and the fill
// through ingest on both backends: counts in the database equal the generated ones, a second run (a day later) stores
// nothing, a workspace with customers of its own is refused; then `retain demo` and POST /api/v1/demo.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { generateDemoShop, DEMO_CUSTOMERS } from '../../src/demo/generate.ts';
import { fillDemoShop } from '../../src/demo/fill.ts';
import { runDemoCommand } from '../../src/cli/demo.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { anotherWorkspace, serve } from '../http/server.ts';

const NOW = new Date('2026-06-15T12:00:00Z');
const DAY = 86_400_000;
const SIZE = 120;

const prop = (m: Record<string, unknown>, k: string) => (m.properties as Record<string, unknown>)[k];
const named = (shop: ReturnType<typeof generateDemoShop>, event: string) =>
  shop.messages.filter((m) => m.event === event);

describe('the demo shop generator (pure)', () => {
  const shop = generateDemoShop({ now: NOW });

  it('is the same shop for the same clock and seed, with ids that do not depend on the clock', () => {
    assert.deepEqual(generateDemoShop({ now: NOW }), shop);
    const later = generateDemoShop({ now: new Date(NOW.getTime() + 3 * DAY) });
    assert.deepEqual(later.messages.map((m) => m.messageId).sort(), shop.messages.map((m) => m.messageId).sort());
    assert.notDeepEqual(
      later.messages.map((m) => m.timestamp),
      shop.messages.map((m) => m.timestamp),
    );
    assert.notDeepEqual(generateDemoShop({ now: NOW, seed: 7 }).messages.slice(0, 50), shop.messages.slice(0, 50));
  });

  it(`holds ${DEMO_CUSTOMERS} customers in Polish, Russian and English, with their locales and time zones`, () => {
    const identifies = shop.messages.filter((m) => m.type === 'identify');
    assert.equal(identifies.length, DEMO_CUSTOMERS);
    assert.equal(new Set(identifies.map((m) => m.userId)).size, DEMO_CUSTOMERS);
    const zones = new Map<string, number>();
    for (const m of identifies) {
      const c = m.context as { locale: string; timezone: string };
      zones.set(`${c.locale} ${c.timezone}`, (zones.get(`${c.locale} ${c.timezone}`) ?? 0) + 1);
    }
    assert.deepEqual([...zones.keys()].sort(), [
      'en-GB Europe/London',
      'en-US America/New_York',
      'pl-PL Europe/Warsaw',
      'ru-RU Europe/Moscow',
    ]);
    for (const n of zones.values()) assert.ok(n >= DEMO_CUSTOMERS * 0.1, `every market has customers: ${[...zones]}`);
    const names = identifies.map(
      (m) => `${(m.traits as Record<string, string>).first_name} ${(m.traits as Record<string, string>).last_name}`,
    );
    assert.ok(
      names.some((n) => /[А-Яа-яЁё]/.test(n)),
      'Cyrillic names',
    );
    assert.ok(
      names.some((n) => /[ąćęłńóśźżŁŚŻ]/.test(n)),
      'Polish letters',
    );
    for (const m of identifies)
      assert.match((m.traits as { email: string }).email, /^[a-z]+\.[a-z]+\.\d+@example\.(com|org|net)$/);
  });

  it('spreads a year of visits, carts, orders and returns, never after the clock', () => {
    const times = shop.messages.map((m) => Date.parse(m.timestamp as string));
    assert.ok(Math.max(...times) <= NOW.getTime());
    assert.ok(Math.min(...times) >= NOW.getTime() - 366 * DAY);
    assert.ok(Math.min(...times) <= NOW.getTime() - 300 * DAY, 'history reaches back most of a year');
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      'oldest first',
    );
    assert.equal(new Set(shop.messages.map((m) => m.messageId)).size, shop.messages.length);
    const orders = named(shop, 'Order Completed');
    assert.equal(orders.length, shop.counts.orders);
    assert.equal(named(shop, 'Order Refunded').length, shop.counts.refunds);
    assert.ok(
      shop.counts.orders > DEMO_CUSTOMERS &&
        shop.counts.refunds > 0 &&
        shop.counts.abandonedCarts > 0 &&
        shop.counts.consents > 0,
    );
    for (const o of orders) {
      const lines = prop(o, 'products') as { price: number; quantity: number }[];
      assert.equal(prop(o, 'total'), Math.round(lines.reduce((s, l) => s + l.price * l.quantity, 0) * 100) / 100);
    }
    assert.ok(shop.consents.some((c) => !c.granted) && shop.consents.every((c) => c.at.getTime() <= NOW.getTime()));
  });
});

describe(`filling a workspace with the demo shop (${backend})`, () => {
  let t: TestDb;
  const shop = generateDemoShop({ now: NOW, customers: SIZE });
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('stores every customer, order, return, cart and consent the generator made, through ingest', async () => {
    const r = await fillDemoShop(t.db, t.workspaceId, { now: NOW, customers: SIZE });
    assert.deepEqual(r.shop, { ...shop.counts, products: shop.products.length, events: shop.messages.length });
    assert.deepEqual(r.stored, { events: shop.messages.length, duplicates: 0, consents: shop.counts.consents });
    const [c] = await t.db.query<{ n: number; orders: number; net: string; ru: number; ny: number }>(
      `SELECT count(*)::int AS n, sum(orders_count)::int AS orders, sum(revenue_net)::text AS net,
              count(*) FILTER (WHERE locale = 'ru-RU' AND timezone = 'Europe/Moscow')::int AS ru,
              count(*) FILTER (WHERE timezone = 'America/New_York')::int AS ny
         FROM customers WHERE workspace_id = $1`,
      [t.workspaceId],
    );
    const sold = named(shop, 'Order Completed').reduce((s, m) => s + Math.round((prop(m, 'total') as number) * 100), 0);
    const returned = named(shop, 'Order Refunded').reduce(
      (s, m) => s + Math.round((prop(m, 'total') as number) * 100),
      0,
    );
    assert.equal(c!.n, SIZE);
    assert.equal(c!.orders, shop.counts.orders);
    assert.equal(Number(c!.net), (sold - returned) / 100);
    assert.ok(c!.ru > 0 && c!.ny > 0);
    const [o] = await t.db.query<{ n: number; refunded: number }>(
      'SELECT count(*)::int AS n, count(*) FILTER (WHERE refunded > 0)::int AS refunded FROM orders WHERE workspace_id = $1',
      [t.workspaceId],
    );
    assert.deepEqual([o!.n, o!.refunded], [shop.counts.orders, shop.counts.refunds]);
    const [carts] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM carts WHERE workspace_id = $1', [
      t.workspaceId,
    ]);
    assert.equal(carts!.n, shop.counts.orders + shop.counts.abandonedCarts);
    const [consents] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM consents WHERE workspace_id = $1 AND source = 'demo'",
      [t.workspaceId],
    );
    assert.equal(consents!.n, shop.counts.consents);
  });

  it('a second run, days later, stores nothing and changes no count', async () => {
    const before = await t.db.query(
      'SELECT id, orders_count, revenue_net::text, last_seen FROM customers WHERE workspace_id = $1 ORDER BY id',
      [t.workspaceId],
    );
    const r = await fillDemoShop(t.db, t.workspaceId, { now: new Date(NOW.getTime() + 2 * DAY), customers: SIZE });
    assert.deepEqual(r.stored, { events: 0, duplicates: shop.messages.length, consents: 0 });
    assert.deepEqual(
      await t.db.query(
        'SELECT id, orders_count, revenue_net::text, last_seen FROM customers WHERE workspace_id = $1 ORDER BY id',
        [t.workspaceId],
      ),
      before,
    );
    const [n] = await t.db.query<{ events: number; consents: number }>(
      'SELECT (SELECT count(*) FROM events WHERE workspace_id = $1)::int AS events, (SELECT count(*) FROM consents WHERE workspace_id = $1)::int AS consents',
      [t.workspaceId],
    );
    assert.equal(n!.consents, shop.counts.consents);
    assert.ok(n!.events >= shop.messages.length);
  });

  it('refuses a workspace that holds customers of its own, storing nothing', async () => {
    const ws = await createWorkspace(t.db, 'a real shop');
    await ingest(t.db, ws.id, [{ type: 'identify', userId: 'u-1', traits: { email: 'ann@example.com' } }]);
    await assert.rejects(fillDemoShop(t.db, ws.id, { now: NOW, customers: 50 }), /holds customers of its own/);
    const [n] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers WHERE workspace_id = $1', [
      ws.id,
    ]);
    assert.equal(n!.n, 1);
  });

  it('`retain demo` picks the workspace (here: the only empty one is not it; named, it is) and says so', async () => {
    const lines: string[] = [];
    const out = (l: string) => lines.push(l);
    // Two workspaces hold customers now ("test" with the demo, "a real shop"): without --workspace that is ambiguous.
    await assert.rejects(
      runDemoCommand(t.db, ['demo', '--customers', '50'], { out, now: () => NOW }),
      /2 workspaces hold customers/,
    );
    const empty = await createWorkspace(t.db, 'Demo');
    assert.equal(
      await runDemoCommand(t.db, ['demo', '--workspace', 'Demo', '--customers', '50'], { out, now: () => NOW }),
      0,
    );
    assert.match(
      lines.at(-1)!,
      /^demo shop: 50 customers, 29 products, \d+ orders, \d+ returns, \d+ carts left behind, \d+ consent records, \d+ events \(stored now: \d+ events/,
    );
    const [n] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers WHERE workspace_id = $1', [
      empty.id,
    ]);
    assert.equal(n!.n, 50);
    await assert.rejects(
      runDemoCommand(t.db, ['demo', '--customers', '10']),
      /--customers 10: a whole number from 50 to 5000/,
    );
  });
});

describe(`POST /api/v1/demo (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it("fills the admin key's workspace; the server key may not; a second call adds nothing", async () => {
    const s = await serve({ clock: () => NOW }, await anotherWorkspace(t, 'shop'));
    try {
      assert.equal((await s.call('POST', '/api/v1/demo', { key: s.serverKey, body: { customers: 50 } })).status, 403);
      const first = await s.call('POST', '/api/v1/demo', { key: s.adminKey, body: { customers: 50 } });
      assert.equal(first.status, 200);
      assert.equal(first.body.shop.customers, 50);
      assert.equal(first.body.stored.events, first.body.shop.events);
      const overview = await s.call('GET', '/api/v1/stats/overview', { key: s.adminKey });
      assert.deepEqual([overview.body.customers, overview.body.orders], [50, first.body.shop.orders]);
      const again = await s.call('POST', '/api/v1/demo', { key: s.adminKey, body: { customers: 50 } });
      assert.deepEqual(again.body.stored, { events: 0, duplicates: first.body.shop.events, consents: 0 });
      assert.equal((await s.call('POST', '/api/v1/demo', { key: s.adminKey, body: { customers: 10 } })).status, 400);
    } finally {
      await s.close();
    }
  });
});
