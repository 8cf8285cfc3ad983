// Coupons on a virtual clock, end to end (sign-up → journey → dispatch → SMTP → order): a code assigned once per run
// and redeemed by an order, attributed to its journey; never the same code to two customers under concurrent
// dispatchers; an expired code not redeemable; an empty pool leaves the message unsent with its reason in the log;
// the value by RFM segment.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { getPool } from '../../src/coupons/index.ts';
import { couponShop, welcome, couponBed } from './shop.ts';

const START = new Date('2026-04-01T09:00:00Z');
const codes = (n: number, prefix = 'SPR') =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}`);

describe(`coupons: assigned by a journey, redeemed by an order (${backend})`, () => {
  const bed = couponBed();

  it('assigned once per run (a second dispatch gives nothing more) and redeemed once by an order; a second order with it is a refused reuse', async () => {
    const s = await couponShop(bed.t, bed.smtp, START, { codes: codes(3) });
    await s.customer('ann');
    await s.w.journey('welcome', welcome('spring'));
    await s.signUp('ann');
    assert.equal((await s.dispatch()).sent, 1);
    assert.equal((await s.dispatch()).claimed, 0, 'nothing is left to send');
    assert.deepEqual(s.mails('ann'), ['Code SPR-0001 worth 10 until 2026-04-08T09:00:00.000Z']);
    assert.deepEqual(await s.codes(), ['ann SPR-0001']);
    await s.w.advance('+2d');
    await s.order('ann', 'o-1', 'spr-0001');
    await s.order('ann', 'o-2', 'SPR-0001');
    assert.deepEqual(await s.codes(), ['ann SPR-0001 redeemed by o-1']);
    assert.deepEqual(await s.timeline('ann'), [
      'Message Sent',
      'Coupon Redeemed SPR-0001 from welcome/gift',
      'Coupon Refused SPR-0001 reused',
    ]);
    const [redeemed] = await bed.t.db.query<{ p: { messageKey: string } }>(
      `SELECT properties AS p FROM events WHERE workspace_id = $1 AND name = 'Coupon Redeemed'`,
      [s.w.ws],
    );
    const [message] = await bed.t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE workspace_id = $1 AND message_key = $2 AND status = 'sent'`,
      [s.w.ws, redeemed!.p.messageKey],
    );
    assert.equal(message!.n, 1, 'the redemption names the message that delivered the code');
    assert.deepEqual((await getPool(bed.t.db, s.w.ws, 'spring', s.w.now)).stock, {
      available: 2,
      assigned: 0,
      redeemed: 1,
      expired: 0,
      total: 3,
      lowStock: false,
    });
    // The same order again (another messageId) changes nothing.
    await s.w.send({
      type: 'track',
      userId: 'ann',
      event: 'Order Completed',
      properties: { orderId: 'o-1', total: 50, coupon: 'SPR-0001' },
    });
    assert.deepEqual(await s.timeline('ann'), [
      'Message Sent',
      'Coupon Redeemed SPR-0001 from welcome/gift',
      'Coupon Refused SPR-0001 reused',
    ]);
  });

  it('expired codes are not redeemable; a code never given out or in no pool is refused, by name', async () => {
    const s = await couponShop(bed.t, bed.smtp, START, { codes: codes(2, 'EXP'), validity: { days: 7 } });
    await s.customer('bo');
    await s.w.journey('welcome', welcome('spring'));
    await s.signUp('bo');
    await s.dispatch();
    await s.w.advance('+8d', { every: '+1d' });
    await s.order('bo', 'o-late', 'EXP-0001');
    await s.w.advance('+1h');
    await s.order('bo', 'o-other', 'EXP-0002');
    await s.w.advance('+1h');
    await s.order('bo', 'o-made-up', 'NOPE-1');
    assert.deepEqual(await s.codes(), ['bo EXP-0001']);
    assert.deepEqual(await s.timeline('bo'), [
      'Message Sent',
      'Coupon Refused EXP-0001 expired',
      'Coupon Refused EXP-0002 not_assigned',
      'Coupon Refused NOPE-1 unknown',
    ]);
    assert.deepEqual((await getPool(bed.t.db, s.w.ws, 'spring', s.w.now)).stock, {
      available: 1,
      assigned: 0,
      redeemed: 0,
      expired: 1,
      total: 2,
      lowStock: false,
    });
  });

  it('an empty pool: the message is not sent, and the log says why', async () => {
    const s = await couponShop(bed.t, bed.smtp, START, { codes: codes(1, 'ONE') });
    await s.customer('cy');
    await s.customer('di');
    await s.w.journey('welcome', welcome('spring'));
    await s.signUp('cy');
    await s.signUp('di');
    const r = await s.dispatch();
    assert.deepEqual([r.sent, r.skipped], [1, 1]);
    assert.deepEqual(s.mails('di'), []);
    assert.deepEqual(await s.notSent('di'), [
      'coupon_pool_empty: coupon pool "Spring" is empty: add codes on the Coupons page',
    ]);
    assert.deepEqual(await s.timeline('di'), ['Message Skipped coupon_pool_empty']);
    assert.equal((await getPool(bed.t.db, s.w.ws, 'spring', s.w.now)).stock.lowStock, true);
  });

  it('a message the gate refuses (no consent) gives its code back to the pool: nobody saw it', async () => {
    const s = await couponShop(bed.t, bed.smtp, START, { codes: codes(1, 'BACK') });
    await s.customer('hal');
    await bed.t.db.query(`DELETE FROM consents WHERE workspace_id = $1`, [s.w.ws]);
    await s.w.journey('welcome', welcome('spring'));
    await s.signUp('hal');
    assert.equal((await s.dispatch()).skipped, 1);
    assert.deepEqual(await s.notSent('hal'), ['no_consent: email: no consent']);
    assert.deepEqual(await s.codes(), []);
    assert.equal((await getPool(bed.t.db, s.w.ws, 'spring', s.w.now)).stock.available, 1);
  });

  it('the value by RFM segment: Champions 30, At Risk 20, anyone else the default 5', async () => {
    const s = await couponShop(bed.t, bed.smtp, START, {
      codes: codes(3, 'RFM'),
      value: { kind: 'percent', amount: 10 },
      valueMap: { by: 'rfm_segment', map: { Champions: 30, 'At Risk': 20 }, default: 5 },
    });
    const table = [
      { user: 'eve', segment: 'Champions', value: 30 },
      { user: 'fay', segment: 'At Risk', value: 20 },
      { user: 'gus', segment: null, value: 5 },
    ];
    await s.w.journey('welcome', welcome('spring'));
    for (const row of table) {
      await s.customer(row.user);
      // The models' nightly run writes the segment; here it is set directly.
      await bed.t.db.query('UPDATE customers SET rfm_segment = $3 WHERE workspace_id = $1 AND id = $2', [
        s.w.ws,
        s.ids[row.user],
        row.segment,
      ]);
      await s.signUp(row.user);
      await s.dispatch();
    }
    for (const row of table)
      assert.match(
        s.mails(row.user)[0] ?? '',
        new RegExp(` worth ${row.value} until `),
        `${row.user} (${row.segment})`,
      );
  });

  it("the value by loyalty tier (loyalty_accounts.tier): Gold 25, Silver 15, no account the pool's 10", async () => {
    const s = await couponShop(bed.t, bed.smtp, START, {
      codes: codes(3, 'TIER'),
      value: { kind: 'percent', amount: 10 },
      valueMap: { by: 'tier', map: { Gold: 25, Silver: 15 } },
    });
    const table = [
      { user: 'ida', tier: 'Gold', value: 25 },
      { user: 'jon', tier: 'Silver', value: 15 },
      { user: 'kim', tier: null, value: 10 },
    ];
    await s.w.journey('welcome', welcome('spring'));
    for (const row of table) {
      await s.customer(row.user);
      // The loyalty programme keeps the tier; here it is set directly.
      if (row.tier)
        await bed.t.db.query(
          'INSERT INTO loyalty_accounts (workspace_id, customer_id, tier, updated_at) VALUES ($1, $2, $3, $4)',
          [s.w.ws, s.ids[row.user], row.tier, s.w.now],
        );
      await s.signUp(row.user);
      await s.dispatch();
    }
    for (const row of table)
      assert.match(s.mails(row.user)[0] ?? '', new RegExp(` worth ${row.value} until `), `${row.user} (${row.tier})`);
  });

  it('never the same code to two customers: 40 sign-ups, 30 codes, three dispatchers at once → 30 distinct codes sent, 10 not sent for the empty pool', async () => {
    const s = await couponShop(bed.t, bed.smtp, START, { codes: codes(30, 'RUSH') });
    await s.w.journey('welcome', welcome('spring'));
    const users = Array.from({ length: 40 }, (_, i) => `u${String(i).padStart(2, '0')}`);
    for (const u of users) await s.customer(u);
    await s.w.send(...users.map((u) => ({ type: 'track', userId: u, event: 'Signed Up' })));
    const results = await Promise.all([0, 1, 2].map(() => s.dispatch(s.opts({ limit: 7 }))));
    assert.equal(
      results.reduce((n, r) => n + r.sent, 0),
      30,
    );
    assert.equal(
      results.reduce((n, r) => n + r.skipped, 0),
      10,
    );
    const given = users.flatMap((u) => s.mails(u).map((m) => /Code (\S+)/.exec(m!)![1]!));
    assert.equal(given.length, 30);
    assert.equal(new Set(given).size, 30, 'no code twice');
    const assigned = await s.codes();
    assert.equal(assigned.length, 30);
    assert.deepEqual(
      assigned.map((a) => a.split(' ')[1]).sort(),
      [...given].sort(),
      'each code mailed is the one assigned',
    );
    const [runs] = await bed.t.db.query<{ n: number }>(
      `SELECT count(DISTINCT run_id)::int AS n FROM coupon_codes WHERE workspace_id = $1 AND run_id IS NOT NULL`,
      [s.w.ws],
    );
    assert.equal(runs!.n, 30, 'one code per run');
  });
});
