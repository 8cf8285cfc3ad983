// Segment conditions on coupon status, on a virtual clock with incremental segment runs: who holds an unredeemed code
// of the pool, whose code expires within 2 days (time alone moves them in and out), who redeemed one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { couponShop, welcome, couponBed } from './shop.ts';

describe(`segments on coupon status (${backend})`, () => {
  const bed = couponBed();

  it('unredeemed, expiring within 2 days, redeemed: members follow the codes and the clock', async () => {
    const s = await couponShop(bed.t, bed.smtp, new Date('2026-04-01T09:00:00Z'), {
      codes: ['SEG-1', 'SEG-2'],
      validity: { days: 7 },
    });
    await s.w.segment('holds', { coupon: 'spring', status: 'unredeemed' });
    await s.w.segment('expiring', { coupon: 'spring', status: 'expiring', days: 2 });
    await s.w.segment('used', { coupon: 'spring', status: 'redeemed' });
    await s.w.journey('welcome', welcome('spring'));
    for (const u of ['ann', 'bob', 'cy']) await s.customer(u);
    await s.signUp('ann');
    await s.signUp('bob');
    await s.dispatch();
    const members = async () => {
      await s.w.tick();
      const rows = await bed.t.db.query<{ segment_id: string; user_id: string }>(
        `SELECT m.segment_id, c.user_id FROM segment_members m JOIN customers c ON c.workspace_id = m.workspace_id AND c.id = m.customer_id
         WHERE m.workspace_id = $1 ORDER BY m.segment_id, c.user_id`,
        [s.w.ws],
      );
      const by: Record<string, string[]> = { holds: [], expiring: [], used: [] };
      for (const r of rows) by[r.segment_id]!.push(r.user_id);
      return by;
    };
    const table: { step: string; act: () => Promise<unknown>; expect: Record<string, string[]> }[] = [
      {
        step: 'codes given on 1 April',
        act: async () => {},
        expect: { holds: ['ann', 'bob'], expiring: [], used: [] },
      },
      {
        step: 'ann orders with hers on 3 April',
        act: async () => {
          await s.w.advance(new Date('2026-04-03T09:00:00Z'));
          await s.order('ann', 'o-1', 'SEG-1');
        },
        expect: { holds: ['bob'], expiring: [], used: ['ann'] },
      },
      {
        step: "6 April 10:00: bob's code expires within 2 days",
        act: () => s.w.advance(new Date('2026-04-06T10:00:00Z')),
        expect: { holds: ['bob'], expiring: ['bob'], used: ['ann'] },
      },
      {
        step: "8 April 10:00: bob's code has expired",
        act: () => s.w.advance(new Date('2026-04-08T10:00:00Z')),
        expect: { holds: [], expiring: [], used: ['ann'] },
      },
    ];
    for (const row of table) {
      await row.act();
      assert.deepEqual(await members(), row.expect, row.step);
    }
  });
});
