// The official Segment and RudderStack Node SDKs, pointed at Retain and otherwise unchanged, deliver a customer's whole
// story: anonymous browsing, identify, alias, screen, group, orders and a refund end up as events, traits and aggregates.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from './server.ts';

type Method = 'identify' | 'track' | 'page' | 'screen' | 'group' | 'alias';
type Call = [Method, Record<string, unknown>];

interface Delivery {
  statuses: number[];
  errors: unknown[];
}

interface Sdk {
  name: string;
  /** Sends the calls the way an application would (a new client per phase), flushing each phase completely. */
  send(url: string, writeKey: string, phases: Call[][]): Promise<Delivery>;
}

const sdks: Sdk[] = [
  {
    name: '@segment/analytics-node',
    async send(url, writeKey, phases) {
      const delivery: Delivery = { statuses: [], errors: [] };
      for (const calls of phases) {
        const analytics = new SegmentAnalytics({
          writeKey,
          host: url,
          flushAt: 4,
          flushInterval: 60_000,
          maxRetries: 0,
        });
        analytics.on('http_response', (r) => delivery.statuses.push(r.status));
        analytics.on('error', (err) => delivery.errors.push(err));
        for (const [method, message] of calls) (analytics[method] as (m: unknown) => void)(message);
        await analytics.closeAndFlush({ timeout: 15_000 });
      }
      return delivery;
    },
  },
  ...[true, false].map(
    (gzip): Sdk => ({
      name: `@rudderstack/rudder-sdk-node (gzip ${gzip ? 'on, its default' : 'off'})`,
      async send(url, writeKey, phases) {
        const delivery: Delivery = { statuses: [], errors: [] };
        for (const calls of phases) {
          const analytics = new RudderAnalytics(writeKey, {
            dataPlaneUrl: url,
            flushAt: 4,
            flushInterval: 60_000,
            retryCount: 0,
            logLevel: 'error',
            gzip,
            errorHandler: (err) => delivery.errors.push(err),
          });
          let inFlight = 0;
          const axios = (analytics as any).axiosInstance;
          axios.interceptors.request.use((config: unknown) => (inFlight++, config));
          axios.interceptors.response.use(
            (res: { status: number }) => (inFlight--, delivery.statuses.push(res.status), res),
            (err: { response?: { status: number } }) => (
              inFlight--, delivery.statuses.push(err.response?.status ?? 0), Promise.reject(err)
            ),
          );
          for (const [method, message] of calls) (analytics[method] as (m: unknown) => void)(message);
          // flush() sends at most flushAt messages, and batches started by enqueue may still be in flight when the last
          // flush() resolves: flush until the queue is empty, then wait until every request is answered.
          while ((analytics as any).queue.length > 0) await analytics.flush();
          await analytics.flush();
          for (const until = Date.now() + 15_000; inFlight > 0 && Date.now() < until; )
            await new Promise((r) => setTimeout(r, 10));
        }
        return delivery;
      },
    }),
  ),
];

/** One customer's story, as an application would tell it through an SDK: the shopping, then days later a refund. */
function story(user: string): Call[][] {
  const anon = `${user}-device`;
  const at = (day: string) => new Date(`2026-03-${day}Z`);
  const products = [
    { product_id: 'sku-1', sku: 'SKU-1', name: 'Water filter', price: 10, quantity: 2 },
    { product_id: 'sku-2', name: 'Filter cartridge', price: 10, quantity: 1, category: 'Spares' },
  ];
  return [
    [
      ['page', { anonymousId: anon, name: 'Home', category: 'Shop', properties: { path: '/' } }],
      ['track', { anonymousId: anon, event: 'Product Viewed', properties: { product_id: 'sku-1' } }],
      [
        'identify',
        {
          userId: user,
          traits: { email: `${user.toUpperCase()}@Example.COM`, phone: '+44 20 7946 0958', plan: 'gold' },
        },
      ],
      ['alias', { previousId: anon, userId: user }],
      ['screen', { userId: user, name: 'Basket' }],
      ['group', { userId: user, groupId: 'acme', traits: { name: 'Acme Ltd' } }],
      [
        'track',
        {
          userId: user,
          event: 'Order Completed',
          timestamp: at('01T10:00:00'),
          properties: { orderId: `${user}-o1`, total: 30, currency: 'EUR', products },
        },
      ],
      [
        'track',
        {
          userId: user,
          event: 'Order Completed',
          timestamp: at('03T10:00:00'),
          properties: { order_id: `${user}-o2`, revenue: 20, currency: 'EUR' },
        },
      ],
      // The application sends the first order again (a retry of its own): another messageId, the same order.
      [
        'track',
        {
          userId: user,
          event: 'Order Completed',
          timestamp: at('01T10:00:00'),
          properties: { orderId: `${user}-o1`, total: 30, currency: 'EUR', products },
        },
      ],
    ],
    [
      [
        'track',
        {
          userId: user,
          event: 'Order Refunded',
          timestamp: at('04T10:00:00'),
          properties: { orderId: `${user}-o2`, total: 5 },
        },
      ],
    ],
  ];
}

/** Event times may move by the client's clock skew correction (milliseconds here), never by more. */
function near(actual: string | null, expected: string, what: string) {
  assert.ok(actual, `${what} set`);
  const drift = Math.abs(new Date(actual).getTime() - new Date(expected).getTime());
  assert.ok(drift < 5_000, `${what}: ${actual} is not ${expected}`);
}

describe(`official SDKs against Retain (${backend})`, () => {
  let s: Served;
  before(async () => (s = await serve()));
  after(async () => s.close());

  sdks.forEach((sdk, i) => {
    const user = `sdk${i}-ann`;
    it(`${sdk.name}: identify, track, page, screen, group and alias arrive; the customer has traits and order aggregates`, async () => {
      const phases = story(user);
      const calls = phases.flat();
      const delivery = await sdk.send(s.url, s.writeKey, phases);
      assert.deepEqual(delivery.errors, [], 'the SDK reports no error');
      assert.ok(delivery.statuses.length >= 2, `sent in several batches (${delivery.statuses.length})`);
      assert.deepEqual(
        delivery.statuses,
        delivery.statuses.map(() => 200),
        'every request answered 200',
      );

      const found = await s.call('GET', `/api/v1/customers?q=${user}@example.com`, { key: s.adminKey });
      assert.equal(found.body.customers.length, 1, 'one customer, found by e-mail');
      const id = found.body.customers[0].id;

      const events = await s.t.db.query<{ type: string; name: string | null; message_id: string }>(
        'SELECT type, name, message_id FROM events WHERE workspace_id = $1 AND customer_id = $2 ORDER BY type, name',
        [s.t.workspaceId, id],
      );
      assert.equal(events.length, calls.length, 'every call is one stored event of this customer');
      assert.deepEqual([...new Set(events.map((e) => e.type))].sort(), [
        'alias',
        'group',
        'identify',
        'page',
        'screen',
        'track',
      ]);
      assert.equal(new Set(events.map((e) => e.message_id)).size, calls.length, "the SDK's messageIds are kept");

      const { customer, counters } = (await s.call('GET', `/api/v1/customers/${id}`, { key: s.adminKey })).body;
      assert.equal(customer.userId, user);
      assert.equal(customer.email, `${user}@example.com`);
      assert.equal(customer.phone, '+442079460958');
      assert.equal(customer.traits.plan, 'gold');
      assert.deepEqual(customer.anonymousIds, [`${user}-device`], 'the anonymous browsing was joined by alias');
      const { ordersCount, purchaseDays, revenueTotal, revenueNet, averageOrderValue, firstOrderAt, lastOrderAt } =
        customer.aggregates;
      assert.deepEqual(
        { ordersCount, purchaseDays, revenueTotal, revenueNet, averageOrderValue },
        {
          ordersCount: 2,
          purchaseDays: 2,
          revenueTotal: 50,
          revenueNet: 45,
          averageOrderValue: 25,
        },
      );
      near(firstOrderAt, '2026-03-01T10:00:00Z', 'firstOrderAt (the timestamp the application gave)');
      near(lastOrderAt, '2026-03-03T10:00:00Z', 'lastOrderAt');
      assert.deepEqual(Object.fromEntries(counters.map((c: { name: string; count: number }) => [c.name, c.count])), {
        page: 1,
        'Product Viewed': 1,
        identify: 1,
        alias: 1,
        screen: 1,
        group: 1,
        'Order Completed': 3,
        'Order Refunded': 1,
      });

      const exported = (await s.call('GET', `/api/v1/customers/${id}/export`, { key: s.adminKey })).body;
      assert.deepEqual(
        exported.orders.map((o: any) => [o.order_id, o.total, o.refunded]),
        [
          [`${user}-o1`, 30, 0],
          [`${user}-o2`, 20, 5],
        ],
      );
      assert.deepEqual(
        exported.orderLines.map((l: any) => [l.order_id, l.product_id, l.price, l.quantity]),
        [
          [`${user}-o1`, 'sku-1', 10, 2],
          [`${user}-o1`, 'sku-2', 10, 1],
        ],
      );
    });
  });

  it('each SDK made its own customer: nothing leaked between them', async () => {
    const rows = await s.t.db.query<{ user_id: string }>(
      'SELECT user_id FROM customers WHERE workspace_id = $1 ORDER BY user_id',
      [s.t.workspaceId],
    );
    assert.deepEqual(
      rows.map((r) => r.user_id),
      sdks.map((_, i) => `sdk${i}-ann`).sort(),
    );
  });

  // The Segment SDK sends its batches in parallel, so a refund or a cancellation can overtake its order.
  it('a cancellation or refund that overtakes its order is applied when the order arrives', async () => {
    const send = (message: object) =>
      s.call('POST', '/v1/track', { key: s.writeKey, body: { userId: 'late', ...message } });
    await send({ event: 'Order Cancelled', properties: { orderId: 'late-1' }, timestamp: '2026-03-02T10:00:00Z' });
    await send({
      event: 'Order Completed',
      properties: { orderId: 'late-1', total: 50 },
      timestamp: '2026-03-01T10:00:00Z',
    });
    await send({
      event: 'Order Refunded',
      properties: { orderId: 'late-2', total: 5 },
      timestamp: '2026-03-02T10:00:00Z',
    });
    await send({
      event: 'Order Completed',
      properties: { orderId: 'late-2', total: 20 },
      timestamp: '2026-03-01T10:00:00Z',
    });
    await send({ event: 'Order Refunded', properties: { orderId: 'late-2' }, timestamp: '2026-03-03T10:00:00Z' }); // the rest: 15
    const found = await s.call('GET', '/api/v1/customers?q=late', { key: s.adminKey });
    const { ordersCount, revenueTotal, revenueNet } = found.body.customers[0].aggregates;
    assert.deepEqual({ ordersCount, revenueTotal, revenueNet }, { ordersCount: 1, revenueTotal: 70, revenueNet: 0 });
  });
});
