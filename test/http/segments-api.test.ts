// The segments API over HTTP: create, refuse bad definitions with their path, preview, evaluate, members, change,
// archive, errors (404, 409, cycles), and entries/exits per day after incremental runs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { runIncremental } from '../../src/segments/index.ts';
import { evaluateAllSegments, evaluateSegments } from '../../src/segments/job.ts';
import { JOBS } from '../../src/server/worker.ts';
import { serve, type Served } from './server.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-03-20T12:00:00.000Z');
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

const order = (userId: string, orderId: string, when: Date) => ({
  type: 'track',
  userId,
  event: 'Order Completed',
  messageId: `m-${orderId}`,
  timestamp: when.toISOString(),
  properties: { orderId, total: 10, currency: 'EUR' },
});
const identify = (userId: string, traits: object, when: Date, messageId: string) => ({
  type: 'identify',
  userId,
  traits,
  timestamp: when.toISOString(),
  messageId,
});

// ann 1 order, bob 3, cat 5; dan never ordered. ann and cat are on the gold plan.
const orders = (userId: string, n: number) =>
  Array.from({ length: n }, (_, i) => order(userId, `${userId}-${i}`, new Date(NOW.getTime() - (i + 1) * DAY)));
const SHOP = [
  identify('ann', { email: 'ann@example.com', plan: 'gold' }, new Date(NOW.getTime() - 10 * DAY), 'ann-id'),
  ...orders('ann', 1),
  identify('bob', { email: 'bob@example.com', plan: 'silver' }, new Date(NOW.getTime() - 10 * DAY), 'bob-id'),
  ...orders('bob', 3),
  identify('cat', { email: 'cat@example.com', plan: 'gold' }, new Date(NOW.getTime() - 10 * DAY), 'cat-id'),
  ...orders('cat', 5),
  identify('dan', { plan: 'free' }, new Date(NOW.getTime() - 10 * DAY), 'dan-id'),
];
const REPEAT = { aggregate: 'orders_count', op: 'gte', value: 3 };

describe(`segments API (${backend})`, () => {
  let s: Served;
  let now = NOW;
  const admin = (method: string, path: string, body?: unknown) => s.call(method, path, { key: s.adminKey, body });
  const ok = async (method: string, path: string, body?: unknown, status = 200) => {
    const res = await admin(method, path, body);
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body;
  };
  const send = async (...batch: object[]) => {
    const res = await s.call('POST', '/v1/batch', { key: s.writeKey, body: { batch } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.rejected, []);
  };

  before(async () => {
    s = await serve({ clock: () => now });
    await send(...SHOP);
  });
  after(async () => s.close());

  it('only admin keys may use it', async () => {
    assert.equal((await s.call('GET', '/api/v1/segments', { key: s.writeKey })).status, 403);
    assert.equal((await s.call('GET', '/api/v1/segments')).status, 401);
  });

  it('creates a segment (201), with the id given, not yet evaluated', async () => {
    const seg = await ok(
      'POST',
      '/api/v1/segments',
      { id: 'repeat', name: ' Repeat buyers ', definition: REPEAT },
      201,
    );
    assert.equal(seg.id, 'repeat');
    assert.equal(seg.name, 'Repeat buyers');
    assert.deepEqual(seg.definition, REPEAT);
    assert.equal(seg.status, 'active');
    assert.equal(seg.evaluatedAt, null);
    assert.equal(seg.members, 0);
  });

  it('generates an id when none is given', async () => {
    const seg = await ok(
      'POST',
      '/api/v1/segments',
      { name: 'Gold plan', definition: { trait: 'plan', op: 'equals', value: 'gold' } },
      201,
    );
    assert.match(seg.id, /^seg_[0-9a-f]{12}$/);
  });

  it('refuses an id already taken (409)', async () => {
    const res = await admin('POST', '/api/v1/segments', { id: 'repeat', name: 'Again', definition: REPEAT });
    assert.equal(res.status, 409);
    assert.equal(res.body.error, 'conflict');
  });

  it('refuses an invalid definition with 400 and the path of the bad node', async () => {
    const res = await admin('POST', '/api/v1/segments', {
      name: 'Bad',
      definition: {
        and: [REPEAT, { trait: 'plan', op: 'bigger', value: 1 }, { aggregate: 'orders', op: 'gte', value: 1 }],
      },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_definition');
    assert.match(res.body.message, /^\$\.and\[1\]\.op: "bigger" is not one of equals, /);
    assert.deepEqual(
      res.body.errors.map((e: { path: string }) => e.path),
      ['$.and[1].op', '$.and[2].aggregate'],
    );
    for (const e of res.body.errors) assert.ok(typeof e.message === 'string' && e.message);
  });

  it('refuses a missing definition, a bad name, an unknown segment reference (400)', async () => {
    const missing = await admin('POST', '/api/v1/segments', { name: 'No definition' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_request');
    assert.match(missing.body.message, /^definition: /);
    const nul = await admin('POST', '/api/v1/segments', { name: 'Null definition', definition: null });
    assert.deepEqual(
      [nul.status, nul.body.error, nul.body.message],
      [400, 'invalid_definition', '$: expected a condition object, got null'],
    );
    const name = await admin('POST', '/api/v1/segments', { name: '   ', definition: REPEAT });
    assert.deepEqual([name.status, name.body.error], [400, 'invalid_name']);
    const badId = await admin('POST', '/api/v1/segments', { id: 'has spaces', name: 'x', definition: REPEAT });
    assert.deepEqual([badId.status, badId.body.error], [400, 'invalid_name']);
    const unknown = await admin('POST', '/api/v1/segments', {
      name: 'Uses nothing',
      definition: { segment: 'nope', op: 'member' },
    });
    assert.deepEqual([unknown.status, unknown.body.error], [400, 'unknown_segment']);
    assert.match(unknown.body.message, /"nope"/);
  });

  it('previews an unsaved definition: count and a sample, newest first', async () => {
    const p = await ok('POST', '/api/v1/segments/preview', { definition: REPEAT, sampleSize: 1 });
    assert.equal(p.count, 2);
    assert.deepEqual(
      p.sample.map((c: { userId: string }) => c.userId),
      ['cat'],
    );
    assert.equal(p.sample[0].aggregates.ordersCount, 5);
    const all = await ok('POST', '/api/v1/segments/preview', {
      definition: { or: [REPEAT, { trait: 'plan', op: 'equals', value: 'free' }] },
    });
    assert.equal(all.count, 3);
    assert.deepEqual(
      all.sample.map((c: { userId: string }) => c.userId),
      ['dan', 'cat', 'bob'],
    );
    const bad = await admin('POST', '/api/v1/segments/preview', {
      definition: { not: { event: 'Cart Viewed', op: 'not_for' } },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, '$.not.days: is required (number)');
  });

  it('lists segments with member counts; evaluate computes the members and logs the entries', async () => {
    let list = await ok('GET', '/api/v1/segments');
    assert.deepEqual(
      list.segments.map((x: { name: string; members: number }) => [x.name, x.members]),
      [
        ['Gold plan', 0],
        ['Repeat buyers', 0],
      ],
    );

    const r = await ok('POST', '/api/v1/segments/repeat/evaluate');
    assert.deepEqual(r, { id: 'repeat', entered: 2, exited: 0, members: 2, evaluatedAt: NOW.toISOString() });
    assert.deepEqual(await ok('POST', '/api/v1/segments/repeat/evaluate'), {
      id: 'repeat',
      entered: 0,
      exited: 0,
      members: 2,
      evaluatedAt: NOW.toISOString(),
    });

    list = await ok('GET', '/api/v1/segments');
    const repeat = list.segments.find((x: { id: string }) => x.id === 'repeat');
    assert.equal(repeat.members, 2);
    assert.equal(repeat.evaluatedAt, NOW.toISOString());
    const one = await ok('GET', '/api/v1/segments/repeat');
    assert.equal(one.members, 2);
    assert.equal(one.name, 'Repeat buyers');
  });

  it('members are customers (id, userId, email, enteredAt), paginated with a cursor', async () => {
    const all = await ok('GET', '/api/v1/segments/repeat/members');
    assert.deepEqual(
      all.members.map((m: { userId: string; email: string; enteredAt: string }) => [m.userId, m.email, m.enteredAt]),
      [
        ['cat', 'cat@example.com', NOW.toISOString()],
        ['bob', 'bob@example.com', NOW.toISOString()],
      ],
    );
    assert.equal(all.nextCursor, null);
    const profile = await ok('GET', `/api/v1/customers/${all.members[0].id}`);
    assert.equal(profile.customer.userId, 'cat');

    const first = await ok('GET', '/api/v1/segments/repeat/members?limit=1');
    assert.deepEqual(
      first.members.map((m: { userId: string }) => m.userId),
      ['cat'],
    );
    assert.ok(first.nextCursor);
    const second = await ok('GET', `/api/v1/segments/repeat/members?limit=1&cursor=${first.nextCursor}`);
    assert.deepEqual(
      second.members.map((m: { userId: string }) => m.userId),
      ['bob'],
    );
    assert.equal(second.nextCursor, null);
    const bad = await admin('GET', '/api/v1/segments/repeat/members?cursor=abc');
    assert.deepEqual([bad.status, bad.body.error], [400, 'invalid_cursor']);
  });

  it('PATCH renames and redefines (invalid → 400 with the path)', async () => {
    const renamed = await ok('PATCH', '/api/v1/segments/repeat', { name: 'Three orders or more' });
    assert.equal(renamed.name, 'Three orders or more');
    assert.equal(renamed.members, 2);
    const bad = await admin('PATCH', '/api/v1/segments/repeat', {
      definition: { aggregate: 'orders_count', op: 'between', value: [5, 1] },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'invalid_definition');
    assert.equal(bad.body.errors[0].path, '$.value');
    const empty = await admin('PATCH', '/api/v1/segments/repeat', {});
    assert.equal(empty.status, 400);
  });

  it('PATCH archives and reactivates; a segment used by another cannot be archived (409)', async () => {
    const archived = await ok('PATCH', '/api/v1/segments/repeat', { status: 'archived' });
    assert.equal(archived.status, 'archived');
    assert.equal((await ok('GET', '/api/v1/segments/repeat')).status, 'archived');
    assert.equal((await ok('PATCH', '/api/v1/segments/repeat', { status: 'active' })).status, 'active');

    await ok(
      'POST',
      '/api/v1/segments',
      {
        id: 'gold-repeat',
        name: 'Gold repeat buyers',
        definition: {
          and: [
            { segment: 'repeat', op: 'member' },
            { trait: 'plan', op: 'equals', value: 'gold' },
          ],
        },
      },
      201,
    );
    const inUse = await admin('PATCH', '/api/v1/segments/repeat', { status: 'archived' });
    assert.deepEqual([inUse.status, inUse.body.error], [409, 'in_use']);
    assert.match(inUse.body.message, /"gold-repeat"/);
  });

  it('refuses a cycle between segments (400)', async () => {
    const res = await admin('PATCH', '/api/v1/segments/repeat', {
      definition: { segment: 'gold-repeat', op: 'not_member' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'segment_cycle');
    assert.match(res.body.message, /repeat → gold-repeat → repeat/);
    assert.deepEqual((await ok('GET', '/api/v1/segments/repeat')).definition, REPEAT, 'unchanged');
  });

  it('answers 404 for a segment that does not exist', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/v1/segments/nope'],
      ['PATCH', '/api/v1/segments/nope', { name: 'x' }],
      ['GET', '/api/v1/segments/nope/members'],
      ['POST', '/api/v1/segments/nope/evaluate'],
      ['GET', '/api/v1/segments/nope/activity'],
    ] as [string, string, unknown?][]) {
      const res = await admin(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.body.error, 'not_found');
    }
  });

  it('activity: entries and exits per day from the incremental runs', async () => {
    const gold = (await ok('GET', '/api/v1/segments')).segments.find((x: { name: string }) => x.name === 'Gold plan');
    // Day 1 (NOW): the first run evaluates the gold plan in full: ann and cat enter.
    const first = await runIncremental(s.t.db, s.t.workspaceId, NOW);
    assert.deepEqual(first.errors, []);
    assert.deepEqual(
      first.segments.find((x) => x.id === gold.id),
      { id: gold.id, mode: 'full', candidates: 0, entered: 2, exited: 0 },
    );

    // Day 3: cat moves to silver, bob to gold; the worker's job picks up the changed customers.
    now = new Date(NOW.getTime() + 2 * DAY);
    await send(
      identify('cat', { plan: 'silver' }, now, 'cat-silver'),
      identify('bob', { plan: 'gold' }, now, 'bob-gold'),
    );
    const job = await evaluateAllSegments(s.t.db, now);
    assert.deepEqual(job.errors, []);
    assert.equal(job.changed, 2);
    // The worker runs it every 15 s; a tick with nothing changed does nothing and does not fail.
    assert.ok(JOBS.includes(evaluateSegments));
    assert.equal(evaluateSegments.everyMs, 15_000);
    await evaluateSegments.run(s.t.db, now);

    const members = await ok('GET', `/api/v1/segments/${gold.id}/members`);
    assert.deepEqual(members.members.map((m: { userId: string }) => m.userId).sort(), ['ann', 'bob']);

    const activity = await ok('GET', `/api/v1/segments/${gold.id}/activity?days=4`);
    assert.deepEqual(activity.days, [
      { day: dayOf(new Date(NOW.getTime() - DAY)), entered: 0, exited: 0 },
      { day: dayOf(NOW), entered: 2, exited: 0 },
      { day: dayOf(new Date(NOW.getTime() + DAY)), entered: 0, exited: 0 },
      { day: dayOf(now), entered: 1, exited: 1 },
    ]);
    assert.equal(activity.entered, 3);
    assert.equal(activity.exited, 1);
    // The default window is 30 days, ending today.
    const month = await ok('GET', `/api/v1/segments/${gold.id}/activity`);
    assert.equal(month.days.length, 30);
    assert.equal(month.days.at(-1).day, dayOf(now));
    // The evaluate of "repeat" is the other segment's activity, not this one's.
    const repeat = await ok('GET', '/api/v1/segments/repeat/activity?days=4');
    assert.equal(repeat.entered, 2);
    assert.equal((await admin('GET', '/api/v1/segments/repeat/activity?days=0')).status, 400);
  });
});
