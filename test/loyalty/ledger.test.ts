// The points ledger on both backends: one row per movement, idempotent by its source, balances always the ledger's sums,
// and concurrent redemptions that never overspend.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { loyaltyWorld } from './world.ts';
import { DomainError } from '../../src/lib/errors.ts';

describe(`loyalty ledger (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('an order earns 1 point per whole unit, rounded down, once however often it is sent', async () => {
    const w = await loyaltyWorld(t, new Date('2026-03-01T10:00:00Z'));
    await w.send(w.order('ann', 'o1', 49.99));
    await w.send(w.order('ann', 'o1', 49.99), {
      ...w.order('ann', 'o1', 49.99),
      messageId: 'other-message-same-order',
    });
    assert.deepEqual(await w.balance('ann'), { available: 49, pending: 0, tier: null });
    assert.deepEqual(await w.ledger('ann'), ['earn +49']);
    await w.checkBooks();
  });

  it('a programme switched off earns nothing', async () => {
    const w = await loyaltyWorld(t, new Date('2026-03-01T10:00:00Z'), {});
    await w.send(w.order('bob', 'o1', 100));
    assert.deepEqual(await w.balance('bob'), { available: 0, pending: 0, tier: null });
  });

  it('redemption: spends, refuses what is not there with 409, and a replayed key changes nothing and answers the same', async () => {
    const w = await loyaltyWorld(t, new Date('2026-03-01T10:00:00Z'));
    await w.send(w.order('cy', 'o1', 120));
    const first = await w.redeem('cy', 100, 'k1');
    assert.equal(first.available, 20);
    const again = await w.redeem('cy', 100, 'k1');
    assert.deepEqual(again, first);
    await assert.rejects(
      w.redeem('cy', 21, 'k2'),
      (e: DomainError) => e.status === 409 && e.code === 'insufficient_points' && e.field === 'points',
    );
    await assert.rejects(
      w.redeem('cy', 50, 'k1'),
      (e: DomainError) => e.status === 409 && e.code === 'idempotency_key_reused',
    );
    assert.deepEqual(await w.ledger('cy'), ['earn +120', 'redeem -100']);
    await w.checkBooks();
  });

  it('manual adjustments carry their reason and who made them; taking away more than there is is refused', async () => {
    const w = await loyaltyWorld(t, new Date('2026-03-01T10:00:00Z'));
    await w.send({ type: 'identify', userId: 'dee', traits: { email: 'dee@example.com' } });
    await w.adjust('dee', 30, 'goodwill after a late delivery', 'a1');
    await w.adjust('dee', 30, 'goodwill after a late delivery', 'a1');
    await assert.rejects(w.adjust('dee', -31, 'typo', 'a2'), (e: DomainError) => e.status === 409);
    await w.adjust('dee', -10, 'typo', 'a3');
    const view = await w.view('dee');
    assert.equal(view.available, 20);
    assert.deepEqual(
      view.ledger.map((r) => [r.kind, r.points, r.reason, r.actor]),
      [
        ['adjust', -10, 'typo', 'test'],
        ['adjust', 30, 'goodwill after a late delivery', 'test'],
      ],
    );
    await w.checkBooks();
  });

  it("every movement is an event on the customer's timeline", async () => {
    const w = await loyaltyWorld(t, new Date('2026-03-01T10:00:00Z'));
    await w.send(w.order('eve', 'o1', 10));
    await w.redeem('eve', 4, 'r1');
    const events = await t.db.query<{ name: string; properties: { points: number; available: number } }>(
      "SELECT e.name, e.properties FROM events e JOIN customers c ON c.workspace_id = e.workspace_id AND c.id = e.customer_id WHERE e.workspace_id = $1 AND c.user_id = 'eve' AND e.name LIKE 'Points%' ORDER BY e.timestamp, e.name",
      [w.ws],
    );
    assert.deepEqual(
      events.map((e) => [e.name, e.properties.points, e.properties.available]),
      [
        ['Points Earned', 10, 10],
        ['Points Redeemed', -4, 6],
      ],
    );
  });

  it('50 parallel redemptions against a balance that covers 10: exactly 10 succeed, never below zero, the ledger sums to the balance', async () => {
    const w = await loyaltyWorld(t, new Date('2026-03-01T10:00:00Z'));
    await w.send(w.order('fay', 'o1', 100));
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => w.redeem('fay', 10, `par-${i}`)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 10);
    assert.equal(refused.length, 40);
    assert.ok(
      refused.every((r) => (r.reason as DomainError).code === 'insufficient_points'),
      String(refused.find((r) => (r.reason as DomainError).code !== 'insufficient_points')?.reason),
    );
    const [min] = await t.db.query<{ low: string }>(
      `SELECT min(running)::text AS low FROM (SELECT sum(available_delta) OVER (ORDER BY l.id) AS running FROM loyalty_ledger l
       JOIN customers c ON c.workspace_id = l.workspace_id AND c.id = l.customer_id WHERE l.workspace_id = $1 AND c.user_id = 'fay') s`,
      [w.ws],
    );
    assert.equal(Number(min!.low), 0, 'the running balance in ledger order never went below zero');
    assert.deepEqual(await w.balance('fay'), { available: 0, pending: 0, tier: null });
    await w.checkBooks();
  });
});
