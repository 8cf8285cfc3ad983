// Journeys on loyalty, on a virtual clock: the "points expiring in D days" trigger fires D days before a lot expires,
// once per expiry day, and not for a customer who spent the points (then the points expire as a ledger row); and a
// journey started by the Tier Changed event.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { journeyWorld } from '../journeys/world.ts';
import { customerLoyalty, loyaltyPass, putProgram, redeem } from '../../src/loyalty/index.ts';

describe(`loyalty journeys: expiry reminder, tier welcome (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('a reminder 7 days before the points expire, then the expiry; nobody reminded of points already spent', async () => {
    const w = await journeyWorld(t, new Date('2026-06-01T12:00:00Z'));
    await putProgram(t.db, w.ws, { enabled: true, expiryMonths: 1 }, w.now);
    await w.journey('expiring', {
      trigger: { type: 'pointsExpiring', days: 7 },
      start: 'remind',
      steps: [{ id: 'remind', type: 'send', template: 'points-expiring', channel: { fixed: 'email' } }],
    });
    const order = (userId: string, id: string, total: number) => ({
      type: 'track',
      userId,
      event: 'Order Completed',
      properties: { order_id: id, total },
    });
    await w.send(
      { type: 'identify', userId: 'ann', traits: { email: 'ann@example.com' } },
      { type: 'identify', userId: 'bob', traits: { email: 'bob@example.com' } },
    );
    await w.send(order('ann', 'a1', 80), order('bob', 'b1', 30));
    await redeem(t.db, w.ws, { customer: 'bob', points: 30, idempotencyKey: 'bob-spends' }, w.now);
    await w.advance('+22d');
    await w.advance('+23h');
    assert.deepEqual(await w.sent(), [], 'an hour before the 7th day before expiry: nothing yet');
    await w.advance('+2h');
    assert.deepEqual(await w.sent(), ['ann points-expiring']);
    assert.equal((await w.intents())[0]!.local, '2026-06-24 12:00 UTC');
    await w.advance('+7d');
    assert.deepEqual(await w.sent(), ['ann points-expiring'], 'reminded once');
    await loyaltyPass(t.db, w.ws, w.now);
    const ann = await customerLoyalty(t.db, w.ws, 'ann', w.now);
    assert.deepEqual([ann.available, ann.ledger.map((r) => `${r.kind} ${r.points}`)], [0, ['expire -80', 'earn 80']]);
  });

  it('a journey starts on Tier Changed: the welcome to Gold goes to whoever reaches it, once', async () => {
    const w = await journeyWorld(t, new Date('2026-06-01T12:00:00Z'));
    await putProgram(
      t.db,
      w.ws,
      {
        enabled: true,
        tiers: [
          { name: 'Silver', threshold: 100 },
          { name: 'Gold', threshold: 500 },
        ],
      },
      w.now,
    );
    await w.journey('gold-welcome', {
      trigger: { type: 'event', event: 'Tier Changed', where: { to: 'Gold' } },
      start: 'welcome',
      steps: [{ id: 'welcome', type: 'send', template: 'gold-welcome', channel: { fixed: 'email' } }],
    });
    const order = (userId: string, id: string, total: number) => ({
      type: 'track',
      userId,
      event: 'Order Completed',
      properties: { order_id: id, total },
    });
    await w.send(
      { type: 'identify', userId: 'ann', traits: { email: 'ann@example.com' } },
      { type: 'identify', userId: 'bob', traits: { email: 'bob@example.com' } },
    );
    await w.send(order('ann', 'a1', 600), order('bob', 'b1', 150));
    await w.advance('+1h');
    await w.send(order('ann', 'a2', 50));
    await w.advance('+1h');
    assert.deepEqual(await w.sent(), ['ann gold-welcome']);
  });
});
