// Membership kept incrementally, with a virtual clock: time crossing, entry/exit events, segments of segments,
// redefinition, cycles, batches, and that crossing queries are index range scans.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { queueChanges } from '../../src/customers/change-queue.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import {
  createSegment,
  updateSegment,
  listSegments,
  getMembers,
  evaluateSegment,
  runIncremental,
  crossing,
  SegmentCycle,
  SegmentError,
  type Condition,
} from '../../src/segments/index.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-06-01T12:00:00Z');
const at = (days: number, base = T0) => new Date(base.getTime() + days * DAY);
const order = (userId: string, orderId: string, when: Date) => ({
  type: 'track',
  userId,
  event: 'Order Completed',
  properties: { orderId, total: 10 },
  timestamp: when.toISOString(),
});
const track = (userId: string, event: string, when: Date) => ({
  type: 'track',
  userId,
  event,
  timestamp: when.toISOString(),
});
const identify = (userId: string, traits: object, when: Date) => ({
  type: 'identify',
  userId,
  traits,
  timestamp: when.toISOString(),
});

describe(`incremental segment membership (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  /** Each scenario gets its own workspace in the shared database. */
  async function workspace() {
    const ws = (await createWorkspace(t.db, 'scenario')).id;
    const send = async (now: Date, ...messages: object[]) => {
      const r = await ingest(t.db, ws, messages, { receivedAt: now });
      assert.deepEqual(r.rejected, []);
    };
    const run = async (now: Date) => {
      const r = await runIncremental(t.db, ws, now);
      assert.deepEqual(r.errors, []);
      return Object.fromEntries(r.segments.map((s) => [s.id, s]));
    };
    const members = async (segmentId: string) =>
      (await getMembers(t.db, ws, segmentId, { limit: 1000 })).members.map((m) => m.customer.userId).sort();
    const logged = async () =>
      (
        await t.db.query<{
          name: string;
          user_id: string;
          message_id: string;
          properties: Record<string, string>;
          timestamp: Date;
        }>(
          "SELECT name, user_id, message_id, properties, timestamp FROM events WHERE workspace_id = $1 AND name LIKE 'Segment %' ORDER BY timestamp, name, user_id",
          [ws],
        )
      ).map((e) => `${e.name} ${e.properties.segmentId} ${e.user_id}`);
    return { ws, send, run, members, logged };
  }

  it('no order for 90 days: 89 days is out, two days later the crossing brings the customer in, a new order takes them out', async () => {
    const w = await workspace();
    await w.send(T0, identify('old', { plan: 'gold' }, at(-200)), order('old', 'o-old', at(-89)));
    for (let i = 0; i < 10; i++) await w.send(T0, order(`fresh${i}`, `o-fresh${i}`, at(-1)));
    await createSegment(t.db, w.ws, {
      id: 'lapsed',
      name: 'No order for 90 days',
      definition: { aggregate: 'days_since_last_order', op: 'gte', value: 90 },
    });

    assert.deepEqual((await w.run(T0)).lapsed, { id: 'lapsed', mode: 'full', candidates: 0, entered: 0, exited: 0 });
    assert.deepEqual(await w.members('lapsed'), []);
    // An hour later nobody crossed 90 days, and nobody changed: nothing to look at.
    assert.deepEqual((await w.run(at(1 / 24))).lapsed, {
      id: 'lapsed',
      mode: 'incremental',
      candidates: 0,
      entered: 0,
      exited: 0,
    });

    const later = at(2);
    assert.deepEqual((await w.run(later)).lapsed, {
      id: 'lapsed',
      mode: 'incremental',
      candidates: 1,
      entered: 1,
      exited: 0,
    });
    assert.deepEqual(await w.members('lapsed'), ['old']);
    const [entered] = await t.db.query<{
      message_id: string;
      customer_id: string;
      type: string;
      properties: object;
      timestamp: Date;
      user_id: string;
    }>(
      "SELECT message_id, customer_id::text, type, properties, timestamp, user_id FROM events WHERE workspace_id = $1 AND name = 'Segment Entered'",
      [w.ws],
    );
    assert.equal(
      entered!.message_id,
      `seg:lapsed:${entered!.customer_id}:enter:${later.toISOString()}:1`,
      "the customer's first entry",
    );
    assert.deepEqual(
      [entered!.type, entered!.user_id, entered!.properties, entered!.timestamp.toISOString()],
      ['track', 'old', { segmentId: 'lapsed', segmentName: 'No order for 90 days' }, later.toISOString()],
    );
    const [counter] = await t.db.query<{ count: string }>(
      "SELECT count::text FROM customer_event_counters WHERE workspace_id = $1 AND customer_id = $2 AND name = 'Segment Entered'",
      [w.ws, entered!.customer_id],
    );
    assert.equal(counter!.count, '1');

    await w.send(at(2.1), order('old', 'o-old-2', at(2.1)));
    assert.deepEqual((await w.run(at(2.2))).lapsed, {
      id: 'lapsed',
      mode: 'incremental',
      candidates: 1,
      entered: 0,
      exited: 1,
    });
    assert.deepEqual(await w.members('lapsed'), []);
    assert.deepEqual(await w.logged(), ['Segment Entered lapsed old', 'Segment Exited lapsed old']);
    // Running again at the same instant changes nothing and logs nothing twice.
    await w.run(at(2.2));
    assert.equal((await w.logged()).length, 2);
  });

  it('in, out and in again at the same instant (the worker runs several batches on one clock): both entries are logged, once each', async () => {
    const w = await workspace();
    await createSegment(t.db, w.ws, {
      id: 'vip',
      name: 'VIP',
      definition: { trait: 'plan', op: 'equals', value: 'vip' },
    });
    await w.run(T0);
    const now = at(1);
    for (const [plan, second] of [
      ['vip', 1],
      ['free', 2],
      ['vip', 3],
    ] as const) {
      await w.send(now, identify('vee', { plan }, new Date(now.getTime() - 10_000 + second * 1000)));
      await w.run(now);
    }
    assert.deepEqual(await w.logged(), [
      'Segment Entered vip vee',
      'Segment Entered vip vee',
      'Segment Exited vip vee',
    ]);
    const ids = await t.db.query<{ message_id: string }>(
      "SELECT message_id FROM events WHERE workspace_id = $1 AND name LIKE 'Segment %' ORDER BY message_id",
      [w.ws],
    );
    assert.deepEqual(
      ids.map((r) => r.message_id.replace(/:\d+:/, ':C:')),
      [
        `seg:vip:C:enter:${now.toISOString()}:1`,
        `seg:vip:C:enter:${now.toISOString()}:2`,
        `seg:vip:C:exit:${now.toISOString()}:1`,
      ],
    );
    const [counter] = await t.db.query<{ count: string }>(
      "SELECT count::text FROM customer_event_counters WHERE workspace_id = $1 AND name = 'Segment Entered'",
      [w.ws],
    );
    assert.equal(counter!.count, '2');
    await w.run(now);
    assert.equal((await w.logged()).length, 3, 'a run again at the same instant logs nothing more');
  });

  it('event windows: "at least twice in 3 days" is left when a view leaves the window; "not for 2 days" is entered by time alone', async () => {
    const w = await workspace();
    await createSegment(t.db, w.ws, {
      id: 'browsing',
      name: 'Browsing',
      definition: { event: 'Product Viewed', op: 'at_least', count: 2, days: 3 },
    });
    await createSegment(t.db, w.ws, {
      id: 'quiet',
      name: 'Quiet',
      definition: {
        and: [
          { event: 'App Opened', op: 'not_for', days: 2 },
          { event: 'App Opened', op: 'at_least', count: 1 },
        ],
      },
    });
    await w.send(T0, track('vic', 'Product Viewed', T0), track('wes', 'App Opened', T0));
    await w.run(T0);
    await w.send(at(1), track('vic', 'Product Viewed', at(1)));
    assert.equal((await w.run(at(1))).browsing!.entered, 1);
    assert.deepEqual([await w.members('browsing'), await w.members('quiet')], [['vic'], []]);

    const r = await w.run(at(2.01)); // wes has not opened the app for 2 days; vic's first view is still in the window
    assert.deepEqual([r.quiet!.candidates, r.quiet!.entered, r.browsing!.candidates], [1, 1, 0]);
    const r2 = await w.run(at(3.01)); // vic's first view left the 3-day window
    assert.deepEqual([r2.browsing!.candidates, r2.browsing!.exited], [1, 1]);
    assert.deepEqual([await w.members('browsing'), await w.members('quiet')], [[], ['wes']]);
    assert.deepEqual(await w.logged(), [
      'Segment Entered browsing vic',
      'Segment Entered quiet wes',
      'Segment Exited browsing vic',
    ]);
  });

  it('time passing only takes customers out of "at least N in D days": the members are re-checked when they are fewer than the events that left the window', async () => {
    const w = await workspace();
    await createSegment(t.db, w.ws, {
      id: 'viewers',
      name: 'Viewed in 3 days',
      definition: { event: 'Product Viewed', op: 'at_least', count: 1, days: 3 },
    });
    await createSegment(t.db, w.ws, {
      id: 'not-viewers',
      name: 'Not viewed in 3 days',
      definition: { not: { event: 'Product Viewed', op: 'at_least', count: 1, days: 3 } },
    });
    const first = ['v1', 'v2', 'v3', 'v4', 'v5'];
    const second = ['v6', 'v7', 'v8', 'v9', 'v10', 'v11', 'v12'];
    await w.send(T0, ...first.map((u) => track(u, 'Product Viewed', T0)));
    await w.run(T0);
    await w.send(
      at(1),
      ...second.map((u) => track(u, 'Product Viewed', at(1))),
      ...['p1', 'p2', 'p3'].map((u) => track(u, 'Page Viewed', at(1))),
    );
    await w.run(at(1));
    assert.deepEqual([(await w.members('viewers')).length, await w.members('not-viewers')], [12, ['p1', 'p2', 'p3']]);

    // Leaving the window: 5 views and their 5 Segment Entered events, fewer than the 12 members: the crossing query
    // runs and finds the 5 first viewers. "not-viewers" only gains customers, so its members never stand in.
    const r = await w.run(at(3.5));
    assert.deepEqual(
      [r.viewers!.candidates, r.viewers!.exited, r['not-viewers']!.candidates, r['not-viewers']!.entered],
      [5, 5, 5, 5],
    );
    await w.send(at(3.8), track('v13', 'Product Viewed', at(3.8)));
    assert.deepEqual((await w.run(at(3.9))).viewers, {
      id: 'viewers',
      mode: 'incremental',
      candidates: 1,
      entered: 1,
      exited: 0,
    });
    // Now 20 events leave (7 views, 3 page views, 10 Segment Entered) and there are 8 members: the members are
    // re-checked (v13 among them, who stays), not the customers of those events.
    const r2 = await w.run(at(4.5));
    assert.deepEqual(
      [r2.viewers!.candidates, r2.viewers!.exited, r2['not-viewers']!.candidates, r2['not-viewers']!.entered],
      [8, 7, 7, 7],
    );
    assert.deepEqual([await w.members('viewers'), (await w.members('not-viewers')).length], [['v13'], 15]);
  });

  it('anniversaries and trait dates move with the UTC day', async () => {
    const w = await workspace();
    const base = new Date('2026-06-06T23:00:00Z');
    await w.send(
      base,
      identify('zoe', { birthday: '1990-06-10', signup: '2026-06-03' }, at(-10, base)),
      identify('yan', { birthday: '1991-12-24' }, at(-10, base)),
    );
    await createSegment(t.db, w.ws, {
      id: 'bday',
      name: 'Birthday within 3 days',
      definition: { trait: 'birthday', op: 'anniversary_in_days', days: 3, within: true },
    });
    await createSegment(t.db, w.ws, {
      id: 'new',
      name: 'Signed up this week',
      definition: { trait: 'signup', op: 'within_last_days', days: 6 },
    });
    await w.run(base);
    assert.deepEqual([await w.members('bday'), await w.members('new')], [[], ['zoe']]);
    assert.equal(
      (await w.run(new Date('2026-06-06T23:30:00Z'))).bday!.candidates,
      0,
      'same UTC day: no crossing query at all',
    );
    assert.equal((await w.run(new Date('2026-06-07T00:30:00Z'))).bday!.entered, 1);
    assert.equal((await w.run(new Date('2026-06-10T22:00:00Z'))).new!.exited, 1);
    assert.equal((await w.run(new Date('2026-06-11T00:10:00Z'))).bday!.exited, 1);
    assert.deepEqual(await w.logged(), [
      'Segment Entered new zoe',
      'Segment Entered bday zoe',
      'Segment Exited new zoe',
      'Segment Exited bday zoe',
    ]);
  });

  it('segments of segments follow their dependencies in the same run, in dependency order', async () => {
    const w = await workspace();
    await w.send(
      T0,
      identify('old', { plan: 'gold' }, at(-200)),
      order('old', 'o1', at(-89)),
      identify('odd', { plan: 'free' }, at(-200)),
      order('odd', 'o2', at(-89)),
    );
    // Created in the "wrong" order on purpose: C uses B uses A.
    await createSegment(t.db, w.ws, {
      id: 'a-lapsed',
      name: 'A',
      definition: { aggregate: 'days_since_last_order', op: 'gte', value: 90 },
    });
    await createSegment(t.db, w.ws, {
      id: 'b-lapsed-gold',
      name: 'B',
      definition: {
        and: [
          { segment: 'a-lapsed', op: 'member' },
          { trait: 'plan', op: 'equals', value: 'gold' },
        ],
      },
    });
    await createSegment(t.db, w.ws, {
      id: '0-c',
      name: 'C',
      definition: { not: { segment: 'b-lapsed-gold', op: 'not_member' } },
    });
    await w.run(T0);
    const r = await w.run(at(2));
    assert.deepEqual(Object.keys(r), ['a-lapsed', 'b-lapsed-gold', '0-c']);
    assert.deepEqual([r['a-lapsed']!.entered, r['b-lapsed-gold']!.entered, r['0-c']!.entered], [2, 1, 1]);
    assert.deepEqual(
      [await w.members('a-lapsed'), await w.members('b-lapsed-gold'), await w.members('0-c')],
      [['odd', 'old'], ['old'], ['old']],
    );
    await w.send(at(2.5), order('old', 'o3', at(2.5)));
    const r2 = await w.run(at(2.6));
    assert.deepEqual([r2['a-lapsed']!.exited, r2['b-lapsed-gold']!.exited, r2['0-c']!.exited], [1, 1, 1]);
    assert.deepEqual(await w.members('0-c'), []);
  });

  it('refuses unknown segments and cycles with a clear error; a planted cycle is reported for its segments and the others still run', async () => {
    const w = await workspace();
    await assert.rejects(
      createSegment(t.db, w.ws, { id: 'x', name: 'X', definition: { segment: 'nope', op: 'member' } }),
      (e: unknown) => e instanceof SegmentError && e.code === 'unknown_segment' && /"nope"/.test(e.message),
    );
    await assert.rejects(
      createSegment(t.db, w.ws, { id: 'self', name: 'Self', definition: { segment: 'self', op: 'member' } }),
      SegmentCycle,
    );
    await createSegment(t.db, w.ws, { id: 'b', name: 'B', definition: { trait: 'plan', op: 'exists' } });
    await createSegment(t.db, w.ws, { id: 'a', name: 'A', definition: { segment: 'b', op: 'member' } });
    await assert.rejects(
      updateSegment(t.db, w.ws, 'b', { definition: { not: { segment: 'a', op: 'member' } } }),
      (e: unknown) => e instanceof SegmentCycle && /b → a → b/.test(e.message),
    );
    await assert.rejects(
      updateSegment(t.db, w.ws, 'b', { status: 'archived' }),
      (e: unknown) => e instanceof SegmentError && e.code === 'in_use',
    );
    await t.db.query(
      `UPDATE segments SET definition = '{"segment": "a", "op": "member"}' WHERE workspace_id = $1 AND id = 'b'`,
      [w.ws],
    );
    await createSegment(t.db, w.ws, {
      id: 'gold',
      name: 'Gold',
      definition: { trait: 'plan', op: 'equals', value: 'gold' },
    });
    await w.send(T0, identify('g', { plan: 'gold' }, at(-1)));
    const r = await runIncremental(t.db, w.ws, T0);
    assert.deepEqual(r.errors.map((e) => e.segmentId).sort(), ['a', 'b']);
    assert.match(r.errors[0]!.message, /cycle: (a → b → a|b → a → b)/);
    assert.deepEqual(
      r.segments.map((s) => `${s.id} +${s.entered}`),
      ['gold +1'],
    );
  });

  it('a segment on Segment Entered events follows the segment it watches, whichever runs first', async () => {
    const w = await workspace();
    // "a-new-vip" sorts (and runs) before "vip", and reads vip's entry events: no dependency the runner can see
    await createSegment(t.db, w.ws, {
      id: 'a-new-vip',
      name: 'New VIPs',
      definition: { event: 'Segment Entered', op: 'at_least', count: 1, days: 7, where: { segmentId: 'vip' } },
    });
    await createSegment(t.db, w.ws, {
      id: 'vip',
      name: 'VIP',
      definition: { trait: 'plan', op: 'equals', value: 'gold' },
    });
    await w.run(T0);
    await w.send(at(0.1), identify('v', { plan: 'gold' }, at(0.1)));
    await w.run(at(0.2));
    assert.deepEqual(
      [await w.members('vip'), await w.members('a-new-vip')],
      [['v'], []],
      'vip entered after a-new-vip was evaluated',
    );
    await w.run(at(0.3));
    assert.deepEqual(await w.members('a-new-vip'), ['v'], 'the entry queued the customer for the next run');
  });

  // Needs two connections at once (PGlite has one), so a PostgreSQL case.
  if (backend === 'postgres')
    it('two definition changes at once never store a cycle between them: one of the two is refused (20 tries)', async () => {
      for (let i = 0; i < 20; i++) {
        const w = await workspace();
        await createSegment(t.db, w.ws, { id: 'a', name: 'A', definition: { trait: 'plan', op: 'exists' } });
        await createSegment(t.db, w.ws, { id: 'b', name: 'B', definition: { trait: 'plan', op: 'exists' } });
        const results = await Promise.allSettled([
          updateSegment(t.db, w.ws, 'a', { definition: { segment: 'b', op: 'member' } }),
          updateSegment(t.db, w.ws, 'b', { definition: { segment: 'a', op: 'member' } }),
        ]);
        assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected'], `try ${i + 1}`);
        assert.ok(results.some((r) => r.status === 'rejected' && r.reason instanceof SegmentCycle));
      }
    });

  it('a changed definition is recomputed in full, with entries and exits; evaluateSegment agrees and feeds dependents', async () => {
    const w = await workspace();
    await w.send(
      T0,
      identify('p1', { plan: 'gold' }, T0),
      identify('p2', { plan: 'free' }, T0),
      identify('p3', { plan: 'gold' }, T0),
    );
    await createSegment(t.db, w.ws, {
      id: 'plan',
      name: 'Plan',
      definition: { trait: 'plan', op: 'equals', value: 'gold' },
    });
    await createSegment(t.db, w.ws, {
      id: 'not-plan',
      name: 'Not plan',
      definition: { segment: 'plan', op: 'not_member' },
    });
    await w.run(T0);
    assert.deepEqual([await w.members('plan'), await w.members('not-plan')], [['p1', 'p3'], ['p2']]);
    const updated = await updateSegment(t.db, w.ws, 'plan', {
      definition: { trait: 'plan', op: 'equals', value: 'free' },
      name: 'Free plan',
    });
    assert.equal(updated.evaluatedAt, null);
    const r = await w.run(at(0.1));
    assert.deepEqual(
      [r.plan!.mode, r.plan!.entered, r.plan!.exited, r['not-plan']!.entered, r['not-plan']!.exited],
      ['full', 1, 2, 2, 1],
    );
    assert.deepEqual([await w.members('plan'), await w.members('not-plan')], [['p2'], ['p1', 'p3']]);

    // A full recompute on the spot finds nothing to change; a forced change is queued for the dependents.
    assert.deepEqual(await evaluateSegment(t.db, w.ws, 'plan', at(0.2)), { entered: 0, exited: 0 });
    await t.db.query(`UPDATE customers SET traits = '{"plan": "free"}' WHERE workspace_id = $1 AND user_id = 'p1'`, [
      w.ws,
    ]); // behind ingest's back
    assert.deepEqual(await evaluateSegment(t.db, w.ws, 'plan', at(0.3)), { entered: 1, exited: 0 });
    assert.equal((await w.run(at(0.4)))['not-plan']!.exited, 1);
    assert.deepEqual(await w.members('not-plan'), ['p3']);

    const list = await listSegments(t.db, w.ws);
    assert.deepEqual(
      list.map((s) => [s.id, s.name, s.members, s.evaluatedAt]),
      [
        ['plan', 'Free plan', 2, at(0.4).toISOString()],
        ['not-plan', 'Not plan', 1, at(0.4).toISOString()],
      ],
    );
    const page = await getMembers(t.db, w.ws, 'plan', { limit: 1 });
    assert.equal(page.members.length, 1);
    const next = await getMembers(t.db, w.ws, 'plan', { limit: 1, after: page.nextCursor });
    assert.deepEqual(
      [page.members[0]!.customer.userId, next.members[0]!.customer.userId, next.nextCursor],
      ['p2', 'p1', null],
    );
  });

  it('drains changes in batches; a broken stored definition is reported and does not stop the others', async () => {
    const w = await workspace();
    await createSegment(t.db, w.ws, {
      id: 'any',
      name: 'Any',
      definition: { event: 'identify', op: 'at_least', count: 1 },
    });
    await w.run(T0);
    await w.send(T0, identify('q1', {}, T0), identify('q2', {}, T0), identify('q3', {}, T0));
    await t.db.query(
      `INSERT INTO segments (workspace_id, id, name, definition, evaluated_at) VALUES ($1, 'broken', 'Broken', '{"trait": "x", "op": "bigger"}', $2)`,
      [w.ws, T0],
    );
    const first = await runIncremental(t.db, w.ws, at(0.1), { batchSize: 2 });
    assert.deepEqual([first.changed, first.more, first.segments[0]!.entered], [2, true, 2]);
    assert.deepEqual(
      first.errors.map((e) => e.segmentId),
      ['broken'],
    );
    assert.match(first.errors[0]!.message, /\$\.op: "bigger" is not one of/);
    const second = await runIncremental(t.db, w.ws, at(0.1), { batchSize: 2 });
    assert.deepEqual([second.changed, second.more, second.segments[0]!.entered], [1, false, 1]);
    assert.deepEqual(await w.members('any'), ['q1', 'q2', 'q3']);
  });

  it('crossing queries are index range scans, not table scans', async () => {
    const def: Condition = {
      or: [
        { aggregate: 'days_since_last_order', op: 'gt', value: 90 },
        { aggregate: 'days_since_last_seen', op: 'between', value: [7, 30] },
        { aggregate: 'days_since_first_order', op: 'equals', value: 30 },
        { event: 'Product Viewed', op: 'at_least', count: 2, days: 7 },
        { event: 'App Opened', op: 'not_for', days: 14 },
      ],
    };
    const queries = crossing(def, T0, at(0.01));
    assert.equal(queries.length, 7);
    await t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off'); // if no index fits, the planner still has to scan
      for (const q of queries) {
        const plan = (await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${q.sql}`, [t.workspaceId, ...q.params]))
          .map((r) => r['QUERY PLAN'])
          .join('\n');
        assert.doesNotMatch(plan, /Seq Scan/, `${q.reason}:\n${plan}`);
        assert.match(plan, /Index/, q.reason);
      }
    });
  });

  // Two runs at once need two connections: PGlite has one (it serialises transactions), so this is a PostgreSQL case.
  if (backend === 'postgres')
    it('one run per workspace at a time: a second process backs off', async () => {
      const w = await workspace();
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const holder = t.db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [0x5e6, w.ws]);
        locked();
        await held;
      });
      await isLocked;
      const r = await runIncremental(t.db, w.ws, T0);
      release();
      await holder;
      assert.equal(r.ran, false);
      assert.equal((await runIncremental(t.db, w.ws, T0)).ran, true);
    });

  // Needs two connections at once (PGlite has one), so a PostgreSQL case.
  if (backend === 'postgres')
    it('a change still uncommitted while the runner drains stays queued: the runner skips it, the next run sees it', async () => {
      const w = await workspace();
      await w.send(T0, identify('c', { plan: 'silver' }, at(-1)));
      await createSegment(t.db, w.ws, {
        id: 'gold',
        name: 'Gold',
        definition: { trait: 'plan', op: 'equals', value: 'gold' },
      });
      const [{ id }] = await t.db.query<{ id: string }>(
        "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'c'",
        [w.ws],
      );
      // the customer is queued from its identify; now a writer changes it and queues it again, and waits before committing
      let commit!: () => void;
      const committing = new Promise<void>((r) => (commit = r));
      let queued!: () => void;
      const isQueued = new Promise<void>((r) => (queued = r));
      const writer = t.db.transaction(async (tx) => {
        await tx.query(
          `UPDATE customers SET traits = traits || '{"plan": "gold"}' WHERE workspace_id = $1 AND id = $2`,
          [w.ws, id],
        );
        await queueChanges(tx, w.ws, [id!]);
        queued();
        await committing;
      });
      await isQueued;
      const during = await w.run(at(0.01));
      assert.equal(during.gold!.entered, 0, 'the run cannot see the uncommitted change');
      commit();
      await writer;
      assert.equal(
        (await w.run(at(0.02))).gold!.entered,
        1,
        'the change was not drained with the old data: it is still queued',
      );
      assert.deepEqual(await w.members('gold'), ['c']);
    });
});
