// Segments on loyalty: points and tier conditions follow the ledger as it moves (earning, redeeming, a tier reached).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { loyaltyWorld } from './world.ts';
import { createSegment, runIncremental, type Condition } from '../../src/segments/index.ts';

describe(`loyalty segment conditions (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('"at least 100 points to spend" and "in tier Gold" gain and lose members as points move', async () => {
    const w = await loyaltyWorld(t, new Date('2026-05-01T12:00:00Z'), {
      enabled: true,
      tiers: [{ name: 'Gold', threshold: 300 }],
    });
    const segments: [string, Condition][] = [
      ['rich', { points: 'available', op: 'gte', value: 100 }],
      ['gold', { tier: 'current', op: 'equals', value: 'Gold' }],
      [
        'no-tier',
        {
          and: [
            { aggregate: 'orders_count', op: 'gte', value: 1 },
            { tier: 'current', op: 'not_exists' },
          ],
        },
      ],
    ];
    for (const [id, definition] of segments) await createSegment(t.db, w.ws, { id, name: id, definition });
    const members = async () => {
      for (let i = 0; i < 10 && (await runIncremental(t.db, w.ws, w.now)).more; i++);
      const rows = await t.db.query<{ segment_id: string; user_id: string }>(
        `SELECT m.segment_id, c.user_id FROM segment_members m JOIN customers c ON c.workspace_id = m.workspace_id AND c.id = m.customer_id
         WHERE m.workspace_id = $1 ORDER BY m.segment_id, c.user_id`,
        [w.ws],
      );
      return rows.map((r) => `${r.segment_id}: ${r.user_id}`);
    };
    await w.send(w.order('ann', 'a1', 350), w.order('bob', 'b1', 120), w.order('cy', 'c1', 20));
    assert.deepEqual(await members(), ['gold: ann', 'no-tier: bob', 'no-tier: cy', 'rich: ann', 'rich: bob']);
    await w.redeem('bob', 30, 'bob-1');
    assert.deepEqual(await members(), ['gold: ann', 'no-tier: bob', 'no-tier: cy', 'rich: ann']);
  });
});
