// The journeys a shop runs, each as a scenario on a virtual clock: who gets which message when, and who gets nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { journeyWorld } from './world.ts';
import { inControlGroup } from '../../src/experiments/buckets.ts';
import { putJourneySettings } from '../../src/journeys/index.ts';

const email = { fixed: 'email' };
const sms = { fixed: 'sms' };

/** One run per cart: a reminder after an hour, a coupon a day later; the order of that cart ends it. */
const abandonedCart = {
  trigger: { type: 'event', event: 'Product Added', key: 'cartId' },
  goal: { event: 'Order Completed', sameKey: true },
  start: 'hour',
  steps: [
    { id: 'hour', type: 'delay', duration: 'PT1H', next: 'reminder' },
    { id: 'reminder', type: 'send', template: 'cart-reminder', channel: email, next: 'day' },
    { id: 'day', type: 'delay', duration: 'PT23H', next: 'coupon' },
    { id: 'coupon', type: 'send', template: 'cart-coupon', channel: email, params: { coupon: 'CART10' } },
  ],
};

describe(`journey scenarios (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('abandoned cart: reminder after 1 h, a coupon after 24 h; an order within the hour stops it; an order later stops the second', async () => {
    const w = await journeyWorld(t, new Date('2026-06-01T12:00:00Z'));
    await w.journey('cart', abandonedCart);
    await w.send(
      { type: 'track', userId: 'ann', event: 'Product Added', properties: { cartId: 'c-ann', sku: 'kettle' } },
      { type: 'track', userId: 'bob', event: 'Product Added', properties: { cartId: 'c-bob' } },
      { type: 'track', userId: 'cy', event: 'Product Added', properties: { cartId: 'c-cy' } },
    );
    await w.tick();
    await w.advance('+30m');
    await w.send({
      type: 'track',
      userId: 'bob',
      event: 'Order Completed',
      properties: { orderId: 'o-bob', cartId: 'c-bob', total: 30 },
    });
    await w.advance('+31m');
    assert.deepEqual(await w.sent(), ['ann cart-reminder', 'cy cart-reminder']);
    await w.advance('+2h');
    await w.send({
      type: 'track',
      userId: 'cy',
      event: 'Order Completed',
      properties: { orderId: 'o-cy', cartId: 'c-cy', total: 12 },
    });
    await w.advance('+1d');
    assert.deepEqual(await w.sent(), ['ann cart-reminder', 'cy cart-reminder', 'ann cart-coupon']);
    const coupon = (await w.intents()).at(-1)!;
    assert.deepEqual(coupon.params, { coupon: 'CART10' });
    assert.equal(coupon.local, '2026-06-02 12:00 UTC', 'the coupon 24 h after the cart (1 h + 23 h)');
  });

  it('abandoned cart with spec-style events (cart_id): an order naming the cart stops it, one naming no cart too, one naming another cart does not', async () => {
    const w = await journeyWorld(t, new Date('2026-06-01T12:00:00Z'));
    await w.journey('cart', abandonedCart);
    const added = (userId: string) => ({
      type: 'track',
      userId,
      event: 'Product Added',
      properties: { cart_id: `c-${userId}`, product_id: 'kettle', price: 30 },
    });
    await w.send(added('ann'), added('bob'), added('cy'), added('dee'));
    await w.advance('+30m');
    await w.send(
      {
        type: 'track',
        userId: 'bob',
        event: 'Order Completed',
        properties: { order_id: 'o-bob', cart_id: 'c-bob', total: 30 },
      },
      { type: 'track', userId: 'cy', event: 'Order Completed', properties: { order_id: 'o-cy', total: 30 } },
      {
        type: 'track',
        userId: 'dee',
        event: 'Order Completed',
        properties: { order_id: 'o-dee', cart_id: 'c-elsewhere', total: 30 },
      },
    );
    await w.advance('+1h');
    assert.deepEqual(await w.sent(), ['ann cart-reminder', 'dee cart-reminder']);
  });

  it('browse abandonment: viewed a product, added none of it within 4 h → one e-mail per product a week; added it → nothing', async () => {
    const w = await journeyWorld(t, new Date('2026-06-01T09:00:00Z'));
    await w.journey('browse', {
      trigger: { type: 'event', event: 'Product Viewed', key: 'product_id' },
      goal: { event: 'Product Added', sameKey: true },
      entry: { mode: 'cooldown', days: 7 },
      start: 'wait',
      steps: [
        { id: 'wait', type: 'delay', duration: 'PT4H', next: 'nudge' },
        { id: 'nudge', type: 'send', template: 'browse-reminder', channel: email },
      ],
    });
    const viewed = (userId: string, product: string) => ({
      type: 'track',
      userId,
      event: 'Product Viewed',
      properties: { product_id: product },
    });
    await w.send(viewed('ann', 'kettle'), viewed('bob', 'kettle'), viewed('bob', 'mug'));
    await w.advance('+1h');
    await w.send(
      { type: 'track', userId: 'bob', event: 'Product Added', properties: { productId: 'kettle', cart_id: 'c-bob' } },
      viewed('ann', 'kettle'),
    );
    await w.advance('+4h');
    assert.deepEqual((await w.sent()).sort(), ['ann browse-reminder', 'bob browse-reminder']);
    await w.send(viewed('ann', 'kettle'));
    await w.advance('+5h');
    assert.equal((await w.sent()).length, 2, 'the same product again within the week: nothing more');
  });

  it('win-back: 90 days without an order → e-mail; 14 days later still none → SMS with a coupon by RFM segment; an order in between stops it', async () => {
    const w = await journeyWorld(t, new Date('2026-06-01T08:00:00Z'));
    const daysAgo = (d: number) => new Date(w.now.getTime() - d * 86_400_000).toISOString();
    await w.send(
      {
        type: 'track',
        userId: 'dan',
        event: 'Order Completed',
        properties: { orderId: 'd1', total: 200 },
        timestamp: daysAgo(89.5),
      },
      {
        type: 'track',
        userId: 'eve',
        event: 'Order Completed',
        properties: { orderId: 'e1', total: 50 },
        timestamp: daysAgo(89.5),
      },
      {
        type: 'track',
        userId: 'fin',
        event: 'Order Completed',
        properties: { orderId: 'f1', total: 20 },
        timestamp: daysAgo(89.5),
      },
    );
    await t.db.query(
      `UPDATE customers SET rfm_segment = CASE user_id WHEN 'dan' THEN 'Cannot lose them' WHEN 'fin' THEN 'Hibernating' ELSE 'At risk' END WHERE workspace_id = $1`,
      [w.ws],
    );
    await w.segment('lapsed', { aggregate: 'days_since_last_order', op: 'gte', value: 90 });
    await w.tick();
    await w.journey('win-back', {
      trigger: { type: 'segment', segment: 'lapsed', on: 'enter' },
      start: 'email',
      steps: [
        { id: 'email', type: 'send', template: 'we-miss-you', channel: email, next: 'wait' },
        { id: 'wait', type: 'wait', event: 'Order Completed', timeout: 'P14D', timeoutNext: 'sms' },
        {
          id: 'sms',
          type: 'send',
          template: 'win-back-coupon',
          channel: sms,
          params: { percent: { by: 'rfm_segment', map: { 'Cannot lose them': 25, 'At risk': 15 }, default: 10 } },
        },
      ],
    });
    await w.advance('+1d');
    assert.deepEqual(await w.sent(), ['dan we-miss-you', 'eve we-miss-you', 'fin we-miss-you']);
    await w.advance('+5d');
    await w.send({ type: 'track', userId: 'eve', event: 'Order Completed', properties: { orderId: 'e2', total: 40 } });
    await w.advance('+10d');
    const smses = (await w.intents()).filter((i) => i.template === 'win-back-coupon');
    assert.deepEqual(
      smses.map((i) => [i.userId, i.params.percent]),
      [
        ['dan', 25],
        ['fin', 10],
      ],
      'eve ordered; the coupon follows the RFM segment',
    );
  });

  it('payment due: 3 days before the due date at 10:00 local, in Warsaw and New York, the latter across the DST change', async () => {
    const w = await journeyWorld(t, new Date('2026-10-20T12:00:00Z'));
    await w.send(
      { type: 'identify', userId: 'fay', context: { timezone: 'Europe/Warsaw' } },
      { type: 'identify', userId: 'gus', context: { timezone: 'America/New_York' } },
    );
    await w.journey('payment-due', {
      purpose: 'transactional',
      trigger: { type: 'event', event: 'Invoice Issued', key: 'invoiceId' },
      goal: { event: 'Invoice Paid', sameKey: true },
      start: 'before',
      steps: [
        {
          id: 'before',
          type: 'delay',
          untilProperty: { property: 'dueDate', offsetDays: -3, at: '10:00' },
          next: 'notice',
        },
        { id: 'notice', type: 'send', template: 'payment-due', channel: sms },
      ],
    });
    await w.send(
      {
        type: 'track',
        userId: 'fay',
        event: 'Invoice Issued',
        properties: { invoiceId: 'i-1', dueDate: '2026-10-28' },
      },
      {
        type: 'track',
        userId: 'gus',
        event: 'Invoice Issued',
        properties: { invoiceId: 'i-2', dueDate: '2026-11-04' },
      },
      {
        type: 'track',
        userId: 'gus',
        event: 'Invoice Issued',
        properties: { invoiceId: 'i-3', dueDate: '2026-11-05' },
      },
    );
    await w.tick();
    await w.advance('+13d');
    await w.send({ type: 'track', userId: 'gus', event: 'Invoice Paid', properties: { invoiceId: 'i-3' } });
    await w.advance('+2d');
    assert.deepEqual(
      (await w.intents()).map((i) => `${i.userId} ${i.local}`),
      [
        'fay 2026-10-25 10:00 Europe/Warsaw', // the day Warsaw leaves summer time: 09:00Z, not 08:00Z
        'gus 2026-11-01 10:00 America/New_York', // the day New York leaves summer time: 15:00Z
      ],
    );
  });

  it('birthday at 09:00 local, yearly; born on 29 February → 28 February in a common year', async () => {
    const w = await journeyWorld(t, new Date('2027-02-27T00:00:00Z'));
    await w.send(
      { type: 'identify', userId: 'hal', traits: { birthday: '1990-03-01' }, context: { timezone: 'Europe/Warsaw' } },
      {
        type: 'identify',
        userId: 'ivy',
        traits: { birthday: '2000-02-29' },
        context: { timezone: 'America/Los_Angeles' },
      },
      { type: 'identify', userId: 'jon', traits: { birthday: '1985-07-14' } },
    );
    await w.journey('birthday', {
      trigger: { type: 'date', trait: 'birthday', yearly: true, at: '09:00' },
      start: 'wish',
      steps: [{ id: 'wish', type: 'send', template: 'happy-birthday', channel: email }],
    });
    await w.advance('+3d');
    assert.deepEqual(
      (await w.intents()).map((i) => `${i.userId} ${i.local}`),
      ['ivy 2027-02-28 09:00 America/Los_Angeles', 'hal 2027-03-01 09:00 Europe/Warsaw'],
    );
  });

  it('welcome series after sign-up: day 0, 2 and 7, once per customer however often they sign up', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    await w.journey('welcome', {
      trigger: { type: 'event', event: 'Signed Up' },
      entry: { mode: 'once' },
      start: 'w1',
      steps: [
        { id: 'w1', type: 'send', template: 'welcome-1', channel: email, next: 'd2' },
        { id: 'd2', type: 'delay', duration: 'P2D', next: 'w2' },
        { id: 'w2', type: 'send', template: 'welcome-2', channel: email, next: 'd5' },
        { id: 'd5', type: 'delay', duration: 'P5D', next: 'w3' },
        { id: 'w3', type: 'send', template: 'welcome-3', channel: email },
      ],
    });
    await w.send({ type: 'track', userId: 'kim', event: 'Signed Up' });
    await w.advance('+8d');
    await w.send({ type: 'track', userId: 'kim', event: 'Signed Up' });
    await w.advance('+8d');
    assert.deepEqual(
      (await w.intents()).map((i) => `${i.template} ${i.local}`),
      ['welcome-1 2026-05-04 09:00 UTC', 'welcome-2 2026-05-06 09:00 UTC', 'welcome-3 2026-05-11 09:00 UTC'],
    );
  });

  it('thank-you after each order and a review request 7 days later, one run per order', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    await w.journey('after-order', {
      trigger: { type: 'event', event: 'Order Completed', key: 'orderId' },
      start: 'thanks',
      steps: [
        { id: 'thanks', type: 'send', template: 'thank-you', channel: email, next: 'week' },
        { id: 'week', type: 'delay', duration: 'P7D', next: 'review' },
        { id: 'review', type: 'send', template: 'review-request', channel: email },
      ],
    });
    await w.send({ type: 'track', userId: 'lea', event: 'Order Completed', properties: { orderId: 'l1', total: 10 } });
    await w.advance('+1d');
    await w.send({ type: 'track', userId: 'lea', event: 'Order Completed', properties: { orderId: 'l2', total: 15 } });
    await w.advance('+8d');
    assert.deepEqual(
      (await w.intents()).map((i) => `${i.template} ${i.local}`),
      [
        'thank-you 2026-05-04 09:00 UTC',
        'thank-you 2026-05-05 09:00 UTC',
        'review-request 2026-05-11 09:00 UTC',
        'review-request 2026-05-12 09:00 UTC',
      ],
    );
  });

  it('churn risk turning high → a personal offer, once the score changes (not before)', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    await w.send(
      { type: 'track', userId: 'max', event: 'Order Completed', properties: { orderId: 'm1', total: 99 } },
      { type: 'track', userId: 'ned', event: 'Order Completed', properties: { orderId: 'n1', total: 99 } },
    );
    await w.segment('high-risk', { score: 'churn_risk', op: 'in', value: ['high'] });
    await w.journey('save-them', {
      trigger: { type: 'segment', segment: 'high-risk', on: 'enter' },
      start: 'offer',
      steps: [{ id: 'offer', type: 'send', template: 'personal-offer', channel: { best: ['push', 'email'] } }],
    });
    await w.advance('+1h');
    assert.deepEqual(await w.sent(), []);
    // The scoring job turns max's churn risk high (as models fit does), and queues him for segments.
    await t.db.query(
      "UPDATE customers SET churn_risk = CASE user_id WHEN 'max' THEN 'high' ELSE 'low' END WHERE workspace_id = $1",
      [w.ws],
    );
    await t.db.query(
      'INSERT INTO customer_changes (workspace_id, customer_id) SELECT $1, id FROM customers WHERE workspace_id = $1 ON CONFLICT DO NOTHING',
      [w.ws],
    );
    await w.advance('+1h');
    assert.deepEqual(await w.sent(), ['max personal-offer']);
  });

  it("weekly digest every Monday 10:00 local to active customers, in each customer's zone", async () => {
    const w = await journeyWorld(t, new Date('2026-03-20T00:00:00Z'));
    await w.send(
      { type: 'identify', userId: 'ola', context: { timezone: 'Europe/Warsaw' } },
      { type: 'identify', userId: 'pat', context: { timezone: 'America/New_York' } },
      { type: 'identify', userId: 'quinn', context: { timezone: 'Asia/Tokyo' }, timestamp: '2025-01-01T00:00:00Z' },
    );
    await w.segment('active', { aggregate: 'days_since_last_seen', op: 'lte', value: 30 });
    await w.journey('digest', {
      trigger: { type: 'schedule', cron: '0 10 * * 1', segment: 'active' },
      start: 'digest',
      steps: [{ id: 'digest', type: 'send', template: 'weekly-digest', channel: email }],
    });
    await w.advance('+14d');
    assert.deepEqual(
      (await w.intents()).map((i) => `${i.userId} ${i.local}`),
      [
        'ola 2026-03-23 10:00 Europe/Warsaw',
        'pat 2026-03-23 10:00 America/New_York',
        'ola 2026-03-30 10:00 Europe/Warsaw', // Warsaw moved to summer time on the 29th: 08:00Z now
        'pat 2026-03-30 10:00 America/New_York',
      ],
    );
  });

  describe('daily digest at 10:00 local, in zones Node does not list (Asia/Kolkata) and for customers without one', () => {
    // Node 20's Intl.supportedValuesOf('timeZone') lists Asia/Calcutta but not Asia/Kolkata; luxon knows both.
    const cases: [string, string, string[]][] = [
      [
        'workspace zone UTC',
        'UTC',
        [
          'kir 2026-03-02 10:00 Asia/Kolkata',
          'ola 2026-03-02 10:00 Europe/Warsaw',
          'noz 2026-03-02 10:00 UTC',
          'zed 2026-03-02 10:00 UTC',
        ],
      ],
      [
        'workspace zone Asia/Kolkata',
        'Asia/Kolkata',
        [
          'kir 2026-03-02 10:00 Asia/Kolkata',
          'noz 2026-03-02 10:00 Asia/Kolkata',
          'zed 2026-03-02 10:00 Asia/Kolkata',
          'ola 2026-03-02 10:00 Europe/Warsaw',
        ],
      ],
    ];
    for (const [name, workspaceZone, expected] of cases) {
      it(`${name}: each customer at 10:00 in their own zone, those without a (known) one in the workspace's`, async () => {
        const w = await journeyWorld(t, new Date('2026-03-02T00:00:00Z'));
        await putJourneySettings(t.db, w.ws, { timezone: workspaceZone });
        await w.send(
          { type: 'identify', userId: 'kir', context: { timezone: 'Asia/Kolkata' } },
          { type: 'identify', userId: 'noz' },
          { type: 'identify', userId: 'zed', context: { timezone: 'Mars/Olympus' } },
          { type: 'identify', userId: 'ola', context: { timezone: 'Europe/Warsaw' } },
        );
        await w.segment('active', { aggregate: 'days_since_last_seen', op: 'lte', value: 30 });
        await w.journey('digest', {
          trigger: { type: 'schedule', cron: '0 10 * * *', segment: 'active' },
          start: 'digest',
          steps: [{ id: 'digest', type: 'send', template: 'daily-digest', channel: email }],
        });
        await w.advance('+1d', { every: '+30m' });
        assert.deepEqual(
          (await w.intents()).map((i) => `${i.userId} ${i.local}`),
          expected,
        );
      });
    }
  });

  it('replenishment: a reminder 25 days after an order unless they order again first; the order that starts a run is not its goal', async () => {
    const w = await journeyWorld(t, new Date('2026-05-01T09:00:00Z'));
    await w.journey('replenish', {
      trigger: { type: 'event', event: 'Order Completed' },
      goal: { event: 'Order Completed' },
      start: 'wait',
      steps: [
        { id: 'wait', type: 'delay', duration: 'P25D', next: 'remind' },
        { id: 'remind', type: 'send', template: 'time-to-reorder', channel: email },
      ],
    });
    await w.send(
      { type: 'track', userId: 'ann', event: 'Order Completed', properties: { orderId: 'a1', total: 20 } },
      { type: 'track', userId: 'bob', event: 'Order Completed', properties: { orderId: 'b1', total: 20 } },
    );
    await w.advance('+10d');
    await w.send({ type: 'track', userId: 'bob', event: 'Order Completed', properties: { orderId: 'b2', total: 20 } });
    await w.advance('+30d');
    assert.deepEqual(
      (await w.intents()).map((i) => `${i.userId} ${i.local}`),
      [
        'ann 2026-05-26 09:00 UTC', // 25 days after her only order
        'bob 2026-06-05 09:00 UTC', // his reorder ended the first run and started the next: 25 days after it
      ],
    );
  });

  it('A/B split: each arm gets its own message, the same customer always lands in the same arm', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    const definition = {
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'ab',
      steps: [
        {
          id: 'ab',
          type: 'split',
          arms: [
            { name: 'A', weight: 1, next: 'a' },
            { name: 'B', weight: 1, next: 'b' },
          ],
        },
        { id: 'a', type: 'send', template: 'offer-a', channel: email },
        { id: 'b', type: 'send', template: 'offer-b', channel: email },
      ],
    };
    await w.journey('ab', definition);
    await w.send(...Array.from({ length: 40 }, (_, i) => ({ type: 'track', userId: `u${i}`, event: 'Signed Up' })));
    await w.tick();
    const intents = await w.intents();
    assert.equal(intents.length, 40);
    for (const i of intents) assert.equal(i.template, i.arms.ab === 'A' ? 'offer-a' : 'offer-b');
    const arms = intents.map((i) => i.arms.ab);
    assert.ok(
      arms.filter((a) => a === 'A').length >= 10 && arms.filter((a) => a === 'B').length >= 10,
      `both arms used: ${arms.join('')}`,
    );
    // Everyone again (a second journey with the same id would be another test): the arm is a function of the customer.
    const before = new Map(intents.map((i) => [i.userId, i.arms.ab]));
    await w.advance('+1h');
    await w.send(...Array.from({ length: 40 }, (_, i) => ({ type: 'track', userId: `u${i}`, event: 'Signed Up' })));
    await w.tick();
    const again = (await w.intents()).slice(40);
    assert.equal(again.length, 40);
    for (const i of again) assert.equal(i.arms.ab, before.get(i.userId));
  });

  it('VIP welcome on segment entry: in, out and in again within one worker tick → welcomed twice (each entry is its own event)', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    await w.segment('vip', { trait: 'plan', op: 'equals', value: 'vip' });
    await w.journey('vip-welcome', {
      trigger: { type: 'segment', segment: 'vip', on: 'enter' },
      start: 'hi',
      steps: [{ id: 'hi', type: 'send', template: 'vip-welcome', channel: email }],
    });
    // The same clock for all three (the worker's segment batches of one tick): each identify is segmented and journeyed.
    for (const [plan, s] of [
      ['vip', 3],
      ['free', 2],
      ['vip', 1],
    ] as const) {
      await w.send({
        type: 'identify',
        userId: 'vee',
        traits: { plan },
        timestamp: new Date(w.now.getTime() - s * 1000).toISOString(),
      });
    }
    assert.deepEqual(
      (await w.intents()).map((i) => `${i.userId} ${i.template} ${i.local}`),
      ['vee vip-welcome 2026-05-04 09:00 UTC', 'vee vip-welcome 2026-05-04 09:00 UTC'],
    );
  });

  it('global control group: a held-out customer gets none of the marketing messages but still the payment notice', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    await putJourneySettings(t.db, w.ws, { share: 0.2 });
    await w.send(...Array.from({ length: 30 }, (_, i) => ({ type: 'identify', userId: `c${i}` })));
    const ids = await t.db.query<{ id: string; user_id: string }>(
      'SELECT id::text, user_id FROM customers WHERE workspace_id = $1 ORDER BY id',
      [w.ws],
    );
    const held = ids
      .filter((c) => inControlGroup(w.ws, c.id, w.now, { share: 0.2, periodMonths: 3 }))
      .map((c) => c.user_id);
    assert.ok(held.length > 0 && held.length < 30, `some but not all are held out: ${held.length}`);
    const heldOut = held[0]!;
    const other = ids.map((c) => c.user_id).find((u) => !held.includes(u))!;
    await w.journey('welcome', {
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'hi',
      steps: [{ id: 'hi', type: 'send', template: 'welcome', channel: email }],
    });
    await w.journey('payment-due', {
      purpose: 'transactional',
      trigger: { type: 'event', event: 'Invoice Issued' },
      start: 'pay',
      steps: [{ id: 'pay', type: 'send', template: 'payment-due', channel: sms }],
    });
    for (const u of [heldOut, other])
      await w.send(
        { type: 'track', userId: u, event: 'Signed Up' },
        { type: 'track', userId: u, event: 'Invoice Issued', properties: { invoiceId: `i-${u}` } },
      );
    await w.tick();
    assert.deepEqual(
      (await w.sent()).sort(),
      [`${heldOut} payment-due`, `${other} payment-due`, `${other} welcome`].sort(),
    );
    const [member] = await t.db.query<{ period_from: Date; period_until: Date }>(
      'SELECT period_from, period_until FROM control_group_members m JOIN customers c ON c.workspace_id = m.workspace_id AND c.id = m.customer_id WHERE m.workspace_id = $1 AND c.user_id = $2',
      [w.ws, heldOut],
    );
    assert.deepEqual(
      [member!.period_from.toISOString(), member!.period_until.toISOString()],
      ['2026-04-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z'],
      'membership recorded with its period',
    );
  });
});
