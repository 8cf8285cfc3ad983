// Loyalty scenarios on a virtual clock, as a shop lives them: points pending through the returns window, refunds that
// take back what was returned, lots expiring first in first out, tiers up at once and down at the period's end, bonus
// events, and retries that never count twice. Every scenario ends with the books checked against the ledger.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { loyaltyWorld } from './world.ts';
import type { DomainError } from '../../src/lib/errors.ts';

describe(`loyalty scenarios (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('pending for the returns window, then spendable', async () => {
    const w = await loyaltyWorld(t, new Date('2026-05-01T12:00:00Z'), { enabled: true, pendingDays: 14 });
    await w.send(w.order('ann', 'o1', 100.5));
    assert.deepEqual(await w.balance('ann'), { available: 0, pending: 100, tier: null });
    await assert.rejects(w.redeem('ann', 10, 'early'), (e: DomainError) => e.code === 'insufficient_points');
    await w.advance('+13d');
    assert.deepEqual(await w.balance('ann'), { available: 0, pending: 100, tier: null });
    const pass = await w.advance('+1d');
    assert.equal(pass.released, 1);
    assert.deepEqual(await w.balance('ann'), { available: 100, pending: 0, tier: null });
    await w.advance('+1d');
    assert.deepEqual(await w.ledger('ann'), ['earn +100 pending', 'release +100 -100 pending']);
    await w.checkBooks();
  });

  it('partial refunds take back points in proportion, a replayed refund nothing, a cancellation the rest', async () => {
    const w = await loyaltyWorld(t, new Date('2026-05-01T12:00:00Z'));
    await w.send(w.order('bob', 'o1', 200));
    await w.send(w.refund('bob', 'o1', 50));
    await w.send(w.refund('bob', 'o1', 50));
    assert.deepEqual(await w.balance('bob'), { available: 150, pending: 0, tier: null });
    await w.send(w.refund('bob', 'o1', 20, 'second-refund'));
    await w.send({
      type: 'track',
      userId: 'bob',
      event: 'Order Cancelled',
      messageId: 'cancel-o1',
      properties: { order_id: 'o1' },
    });
    assert.deepEqual(await w.ledger('bob'), ['earn +200', 'clawback -50', 'clawback -20', 'clawback -130']);
    assert.deepEqual(await w.balance('bob'), { available: 0, pending: 0, tier: null });
    await w.checkBooks();
  });

  it('a refund while the points are pending takes them from pending; one after they were spent leaves a debt the next order pays', async () => {
    const w = await loyaltyWorld(t, new Date('2026-05-01T12:00:00Z'), { enabled: true, pendingDays: 7 });
    await w.send(w.order('cy', 'o1', 100));
    await w.send(w.refund('cy', 'o1', 30));
    assert.deepEqual(await w.balance('cy'), { available: 0, pending: 70, tier: null });
    await w.advance('+7d');
    await w.redeem('cy', 60, 'spend');
    await w.send(w.refund('cy', 'o1', null, 'refund-rest'));
    assert.deepEqual(await w.balance('cy'), { available: -60, pending: 0, tier: null });
    await w.checkBooks();
    await w.send(w.order('cy', 'o2', 100));
    await w.advance('+7d');
    assert.deepEqual(await w.balance('cy'), { available: 40, pending: 0, tier: null });
    await w.checkBooks();
  });

  it('excluded products earn nothing, other currencies earn at their rate, campaigns multiply, rounding as set', async () => {
    const w = await loyaltyWorld(t, new Date('2026-05-01T12:00:00Z'), {
      enabled: true,
      excludedCategories: ['gift cards'],
      currencyRates: { PLN: 0.25 },
      rounding: 'nearest',
      campaigns: [
        { name: 'double May weekend', from: '2026-05-02T00:00:00Z', to: '2026-05-04T00:00:00Z', multiplier: 2 },
      ],
    });
    await w.send(
      w.order('dee', 'o1', 150, {
        products: [
          { product_id: 'gc', category: 'gift cards', price: 100, quantity: 1 },
          { product_id: 'mug', price: 50, quantity: 1 },
        ],
      }),
    );
    await w.send(w.order('dee', 'o2', 90, { currency: 'PLN' }));
    w.at(new Date('2026-05-02T09:00:00Z'));
    await w.send(w.order('dee', 'o3', 10.4));
    assert.deepEqual(await w.ledger('dee'), ['earn +50', 'earn +23', 'earn +21']);
  });

  it('FIFO: a redemption spends the oldest lot first, and what is left of each lot expires after N months', async () => {
    const w = await loyaltyWorld(t, new Date('2026-01-10T12:00:00Z'), { enabled: true, expiryMonths: 12 });
    await w.send(w.order('eve', 'jan', 100));
    await w.advance('+50d');
    await w.send(w.order('eve', 'mar', 50));
    await w.advance('+30d');
    await w.redeem('eve', 120, 'r1');
    w.at(new Date('2027-01-10T12:00:00Z'));
    assert.deepEqual(
      await w.advance('+1m'),
      { released: 0, expired: 0, tiersReviewed: 0 },
      'the January lot was spent, nothing of it expires',
    );
    w.at(new Date('2027-03-01T12:00:00Z'));
    assert.equal((await w.advance('+1m')).expired, 1);
    assert.deepEqual(await w.ledger('eve'), ['earn +100', 'earn +50', 'redeem -120', 'expire -30']);
    assert.deepEqual(await w.balance('eve'), { available: 0, pending: 0, tier: null });
    await w.checkBooks();
  });

  it('tiers: up at once (and the multiplier counts from then), down only at the end of the period — or at once when set so', async () => {
    const tiers = [
      { name: 'Silver', threshold: 100 },
      { name: 'Gold', threshold: 500, multiplier: 2, freeShipping: true },
    ];
    const held = await loyaltyWorld(t, new Date('2026-01-01T12:00:00Z'), {
      enabled: true,
      tiers,
      tierWindowMonths: 3,
      tierPeriodMonths: 6,
    });
    const atOnce = await loyaltyWorld(t, new Date('2026-01-01T12:00:00Z'), {
      enabled: true,
      tiers,
      tierWindowMonths: 3,
      tierPeriodMonths: 6,
      downgrade: 'immediate',
    });
    for (const w of [held, atOnce]) {
      await w.send(w.order('fay', 'o1', 600));
      assert.deepEqual(await w.balance('fay'), { available: 600, pending: 0, tier: 'Gold' });
      await w.send(w.order('fay', 'o2', 10));
      assert.deepEqual((await w.ledger('fay')).at(-1), 'earn +20', 'Gold earns double');
      assert.deepEqual((await w.view('fay')).benefits, { multiplier: 2, freeShipping: true });
    }
    for (let day = 0; day < 130; day += 10) {
      await held.advance('+10d');
      await atOnce.advance('+10d');
    }
    assert.equal((await held.balance('fay')).tier, 'Gold', 'four months on: held until the period ends');
    assert.equal((await atOnce.balance('fay')).tier, null, 'downgraded as soon as the window no longer holds it');
    for (let day = 0; day < 60; day += 10) await held.advance('+10d');
    assert.equal((await held.balance('fay')).tier, null, 'six months on: the period is over, the tier goes');
    const changes = await t.db.query<{ properties: { from: string | null; to: string | null } }>(
      `SELECT e.properties FROM events e WHERE e.workspace_id = $1 AND e.name = 'Tier Changed' ORDER BY e.timestamp`,
      [held.ws],
    );
    assert.deepEqual(
      changes.map((c) => `${c.properties.from} → ${c.properties.to}`),
      ['null → Gold', 'Gold → null'],
    );
  });

  it('bonus events: a sign-up bonus once per customer, a review bonus per review that matches the filter', async () => {
    const w = await loyaltyWorld(t, new Date('2026-05-01T12:00:00Z'), {
      enabled: true,
      bonuses: [
        { event: 'Signed Up', points: 50, once: true },
        { event: 'Review Written', points: 10, where: { rating: 5 } },
      ],
    });
    await w.send(
      { type: 'track', userId: 'gus', event: 'Signed Up', messageId: 's1' },
      { type: 'track', userId: 'gus', event: 'Signed Up', messageId: 's2' },
    );
    await w.send(
      { type: 'track', userId: 'gus', event: 'Review Written', messageId: 'rv1', properties: { rating: 5 } },
      { type: 'track', userId: 'gus', event: 'Review Written', messageId: 'rv2', properties: { rating: 3 } },
    );
    assert.deepEqual(await w.ledger('gus'), ['bonus +50', 'bonus +10']);
  });

  it('retries never count twice: the same order batch ingested concurrently, the same redemption sent five times at once', async () => {
    const w = await loyaltyWorld(t, new Date('2026-05-01T12:00:00Z'));
    await Promise.all([
      w.send(w.order('hal', 'o1', 80)),
      w.send(w.order('hal', 'o1', 80)),
      w.send({ ...w.order('hal', 'o1', 80), messageId: 'resent' }),
    ]);
    const answers = await Promise.all(Array.from({ length: 5 }, () => w.redeem('hal', 30, 'till-7')));
    assert.ok(answers.every((a) => a.available === 50 && a.at === answers[0]!.at));
    assert.deepEqual(await w.ledger('hal'), ['earn +80', 'redeem -30']);
    await w.checkBooks();
  });

  it("two profiles merged into one keep every point: the anonymous buyer's points follow them when they log in", async () => {
    const w = await loyaltyWorld(t, new Date('2026-05-01T12:00:00Z'));
    await w.send({
      type: 'track',
      anonymousId: 'anon-ida',
      event: 'Order Completed',
      messageId: 'anon-order',
      properties: { order_id: 'a1', total: 40 },
    });
    await w.send(w.order('ida', 'o2', 60));
    await w.send({ type: 'identify', userId: 'ida', anonymousId: 'anon-ida', traits: {} });
    assert.deepEqual(await w.balance('ida'), { available: 100, pending: 0, tier: null });
    await w.checkBooks();
  });
});
