// The durable runner and journey life cycle on a real database: versions, pause and resume, archive, entry rules,
// branches, holdouts, updates, broadcasts at a capped rate, merges, signed webhooks with retries, and crash and retry.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { journeyWorld } from './world.ts';
import {
  activateJourney,
  archiveJourney,
  customerRuns,
  journeyStats,
  pauseJourney,
  runDue,
} from '../../src/journeys/index.ts';

const email = { fixed: 'email' };
const send = (id: string, template: string, next?: string) => ({
  id,
  type: 'send',
  template,
  channel: email,
  ...(next ? { next } : {}),
});

describe(`journey runner (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('editing an active journey makes version 2: new runs take it, runs under way finish on version 1', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    const steps = (template: string) => [
      { id: 'wait', type: 'delay', duration: 'P1D', next: 'hi' },
      send('hi', template),
    ];
    await w.journey('greet', {
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'wait',
      steps: steps('hello-v1'),
    });
    await w.send({ type: 'track', userId: 'old', event: 'Signed Up' });
    await w.tick();
    const v2 = await w.edit('greet', {
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'wait',
      steps: steps('hello-v2'),
    });
    assert.deepEqual([v2.version, v2.activeVersion, v2.status], [2, 2, 'active']);
    await w.send({ type: 'track', userId: 'new', event: 'Signed Up' });
    await w.advance('+25h');
    assert.deepEqual((await w.sent()).sort(), ['new hello-v2', 'old hello-v1']);
  });

  it('pause holds runs and lets nobody in; resume carries on where they stopped; archive ends them', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    await w.journey('p', {
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'wait',
      steps: [{ id: 'wait', type: 'delay', duration: 'PT2H', next: 'hi' }, send('hi', 'hi')],
    });
    await w.send({ type: 'track', userId: 'a', event: 'Signed Up' });
    await w.tick();
    await pauseJourney(t.db, w.ws, 'p', w.now);
    await w.send({ type: 'track', userId: 'b', event: 'Signed Up' });
    await w.advance('+3h');
    assert.deepEqual(await w.sent(), [], 'paused: a holds, b did not enter');
    await activateJourney(t.db, w.ws, 'p', w.now);
    await w.tick();
    assert.deepEqual(await w.sent(), ['a hi']);
    await w.send({ type: 'track', userId: 'c', event: 'Signed Up' });
    await w.tick();
    await archiveJourney(t.db, w.ws, 'p', w.now);
    await w.advance('+3h');
    assert.deepEqual(await w.sent(), ['a hi']);
    const stats = await journeyStats(t.db, w.ws, 'p');
    assert.deepEqual([stats.entered, stats.active, stats.completed, stats.exited], [2, 0, 1, 1]);
  });

  it('cooldown: at most one entry per 7 days; keyed runs: one open run per key', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    await w.journey('browse', {
      trigger: { type: 'event', event: 'Product Viewed' },
      entry: { mode: 'cooldown', days: 7 },
      start: 'hi',
      steps: [send('hi', 'seen-it')],
    });
    await w.send({ type: 'track', userId: 'v', event: 'Product Viewed' });
    await w.advance('+3d');
    await w.send({ type: 'track', userId: 'v', event: 'Product Viewed' });
    await w.advance('+5d');
    await w.send({ type: 'track', userId: 'v', event: 'Product Viewed' });
    await w.tick();
    assert.deepEqual(await w.sent(), ['v seen-it', 'v seen-it'], 'day 0 and day 8, not day 3');
  });

  it('trigger events for two carts, interleaved in one batch: one run per cart, each carrying its earliest event', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    await w.journey('cart', {
      trigger: { type: 'event', event: 'Product Added', key: 'cartId' },
      start: 'r',
      steps: [send('r', 'cart-reminder')],
    });
    const secondsAgo = (s: number) => new Date(w.now.getTime() - s * 1000).toISOString();
    await w.send(
      ...Array.from({ length: 40 }, (_, i) => ({
        type: 'track',
        userId: 'amy',
        event: 'Product Added',
        timestamp: secondsAgo(40 - i),
        properties: { cartId: i % 2 ? 'k2' : 'k1', sku: `s${String(i).padStart(2, '0')}` },
      })),
    );
    const runs = await t.db.query<{ entry_key: string; sku: string }>(
      "SELECT entry_key, context->'trigger'->'properties'->>'sku' AS sku FROM journey_runs WHERE workspace_id = $1 ORDER BY entry_key",
      [w.ws],
    );
    assert.deepEqual(
      runs.map((r) => `${r.entry_key} ${r.sku}`),
      ['k1 s00', 'k2 s01'],
    );
  });

  describe('once and cooldown limit date and schedule triggers per customer, not per fire date', () => {
    const daily: [string, object, number][] = [
      ['every time', { mode: 'every' }, 5],
      ['once', { mode: 'once' }, 1],
      ['cooldown 2 days', { mode: 'cooldown', days: 2 }, 3], // 1, 3 and 5 May
    ];
    for (const [name, entry, expected] of daily) {
      it(`a daily schedule at 10:00, ${name}: ${expected} message(s) in 5 days`, async () => {
        const w = await journeyWorld(t, new Date('2026-05-01T00:00:00Z'));
        await w.send({ type: 'identify', userId: 'sam' });
        await w.segment('everyone', { aggregate: 'days_since_last_seen', op: 'lte', value: 30 });
        await w.journey('tips', {
          trigger: { type: 'schedule', cron: '0 10 * * *', segment: 'everyone' },
          entry,
          start: 'tip',
          steps: [send('tip', 'daily-tip')],
        });
        await w.advance('+5d');
        assert.equal((await w.sent()).length, expected);
      });
    }
    const yearly: [string, object, number][] = [
      ['every time', { mode: 'every' }, 3],
      ['once', { mode: 'once' }, 1],
      ['cooldown 400 days', { mode: 'cooldown', days: 400 }, 2], // 2026 and 2028
    ];
    for (const [name, entry, expected] of yearly) {
      it(`a yearly birthday, ${name}: ${expected} wish(es) in 3 years`, async () => {
        const w = await journeyWorld(t, new Date('2026-05-01T00:00:00Z'));
        await w.send({ type: 'identify', userId: 'hal', traits: { birthday: '1990-05-10' } });
        await w.journey('birthday', {
          trigger: { type: 'date', trait: 'birthday', yearly: true, at: '09:00' },
          entry,
          start: 'wish',
          steps: [send('wish', 'happy-birthday')],
        });
        await w.advance('+1100d', { every: '+7d' });
        assert.equal((await w.sent()).length, expected);
      });
    }
  });

  describe('editing a live date or schedule journey loses no fire: the sweep goes on from where it was', () => {
    const triggers: [string, object][] = [
      ['a birthday at 09:00', { type: 'date', trait: 'birthday', yearly: true, at: '09:00' }],
      ['a daily schedule at 09:00', { type: 'schedule', cron: '0 9 * * *', segment: 'everyone' }],
    ];
    for (const [name, trigger] of triggers) {
      it(`${name}, edited 10 s after the fire, before the next sweep`, async () => {
        const w = await journeyWorld(t, new Date('2026-05-10T08:00:00Z'));
        await w.send({ type: 'identify', userId: 'ann', traits: { birthday: '1990-05-10' } });
        await w.segment('everyone', { aggregate: 'days_since_last_seen', op: 'lte', value: 30 });
        const definition = (template: string) => ({ trigger, start: 'hi', steps: [send('hi', template)] });
        await w.journey('greet', definition('hello-v1'));
        await w.advance(new Date('2026-05-10T08:59:50Z'));
        await w.edit('greet', definition('hello-v2'), new Date('2026-05-10T09:00:10Z'));
        await w.advance('+3h');
        assert.deepEqual(await w.sent(), ['ann hello-v2']);
      });
    }
  });

  it('branch on a segment condition now, holdout recorded, update sets traits and tags', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    await w.send(
      { type: 'track', userId: 'big', event: 'Order Completed', properties: { orderId: 'b1', total: 10 } },
      { type: 'track', userId: 'big', event: 'Order Completed', properties: { orderId: 'b2', total: 10 } },
      { type: 'identify', userId: 'small', traits: { tags: ['new'] } },
    );
    await w.journey('vip', {
      trigger: { type: 'event', event: 'Survey Done' },
      start: 'repeat',
      steps: [
        {
          id: 'repeat',
          type: 'branch',
          condition: { aggregate: 'orders_count', op: 'gte', value: 2 },
          yes: 'tag',
          no: 'plain',
        },
        { id: 'tag', type: 'update', traits: { tier: 'vip' }, addTags: ['vip'], next: 'vip-mail' },
        send('vip-mail', 'vip-thanks'),
        {
          id: 'plain',
          type: 'update',
          traits: { tier: null },
          addTags: ['surveyed'],
          removeTags: ['new'],
          next: 'plain-mail',
        },
        send('plain-mail', 'thanks'),
      ],
    });
    await w.send(
      { type: 'track', userId: 'big', event: 'Survey Done' },
      { type: 'track', userId: 'small', event: 'Survey Done' },
    );
    await w.tick();
    assert.deepEqual((await w.sent()).sort(), ['big vip-thanks', 'small thanks']);
    const traits = Object.fromEntries(
      (
        await t.db.query<{ user_id: string; traits: Record<string, unknown> }>(
          'SELECT user_id, traits FROM customers WHERE workspace_id = $1',
          [w.ws],
        )
      ).map((r) => [r.user_id, r.traits]),
    );
    assert.deepEqual([traits.big!.tier, traits.big!.tags], ['vip', ['vip']]);
    assert.deepEqual([traits.small!.tier, traits.small!.tags], [undefined, ['surveyed']]);

    await w.journey('hold', {
      trigger: { type: 'event', event: 'Ping' },
      start: 'h',
      steps: [{ id: 'h', type: 'holdout', percent: 50, next: 'm' }, send('m', 'pong')],
    });
    await w.send(...Array.from({ length: 40 }, (_, i) => ({ type: 'track', userId: `h${i}`, event: 'Ping' })));
    await w.tick();
    const held = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM journey_step_log WHERE workspace_id = $1 AND journey_id = 'hold' AND outcome = 'held_out'",
      [w.ws],
    );
    const pongs = (await w.sent()).filter((s) => s.endsWith('pong')).length;
    assert.equal(held[0]!.n + pongs, 40);
    assert.ok(held[0]!.n >= 10 && pongs >= 10, `both sides: ${held[0]!.n} held, ${pongs} sent`);
  });

  it('broadcast to a segment at a capped rate: 10 a minute, 25 members → 10, 20, 25, done', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    await w.send(
      ...Array.from({ length: 25 }, (_, i) => ({
        type: 'identify',
        userId: `b${String(i).padStart(2, '0')}`,
        traits: { plan: 'pro' },
      })),
    );
    await w.segment('pro', { trait: 'plan', op: 'equals', value: 'pro' });
    await w.tick();
    await w.journey('news', {
      trigger: { type: 'broadcast', segment: 'pro', perMinute: 10 },
      start: 'n',
      steps: [send('n', 'newsletter')],
    });
    const counts: number[] = [];
    for (let m = 1; m <= 4; m++) {
      await w.advance('+1m');
      counts.push((await w.sent()).length);
    }
    assert.deepEqual(counts, [10, 20, 25, 25]);
    const [cursor] = await t.db.query<{ done: boolean }>(
      "SELECT done FROM journey_triggers WHERE workspace_id = $1 AND journey_id = 'news'",
      [w.ws],
    );
    assert.equal(cursor!.done, true);
  });

  describe('a broadcast keeps to its rate after standing still: 10 a minute, 25 members, 10 sent before', () => {
    type W = Awaited<ReturnType<typeof journeyWorld>>;
    const stills: [string, (w: W) => Promise<void>, number[]][] = [
      [
        'a day paused: nothing in the first second after the resume',
        async (w) => {
          await pauseJourney(t.db, w.ws, 'news', w.now);
          await w.advance('+1d');
          await activateJourney(t.db, w.ws, 'news', w.now);
        },
        [10, 20, 25],
      ],
      [
        "the worker down for an hour: one minute's worth at once, not an hour's",
        async (w) => w.down('+1h'),
        [20, 25, 25],
      ],
    ];
    for (const [name, standStill, expected] of stills) {
      it(name, async () => {
        const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
        await w.send(
          ...Array.from({ length: 25 }, (_, i) => ({
            type: 'identify',
            userId: `b${String(i).padStart(2, '0')}`,
            traits: { plan: 'pro' },
          })),
        );
        await w.segment('pro', { trait: 'plan', op: 'equals', value: 'pro' });
        await w.tick();
        await w.journey('news', {
          trigger: { type: 'broadcast', segment: 'pro', perMinute: 10 },
          start: 'n',
          steps: [send('n', 'newsletter')],
        });
        await w.advance('+1m');
        assert.equal((await w.sent()).length, 10);
        await standStill(w);
        const counts: number[] = [];
        for (const step of ['+1s', '+1m', '+1m']) {
          await w.advance(step);
          counts.push((await w.sent()).length);
        }
        assert.deepEqual(counts, expected);
      });
    }
  });

  it('a wait matched while the journey is paused goes on as soon as it resumes, not at its timeout', async () => {
    const w = await journeyWorld(t, new Date('2026-05-01T11:00:00Z'));
    await w.journey('bought', {
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'w',
      steps: [
        { id: 'w', type: 'wait', event: 'Purchase', timeout: 'P7D', next: 'thanks', timeoutNext: 'nudge' },
        send('thanks', 'thanks'),
        send('nudge', 'nudge'),
      ],
    });
    await w.send({ type: 'track', userId: 'ann', event: 'Signed Up' });
    await w.advance('+23h');
    await pauseJourney(t.db, w.ws, 'bought', w.now);
    await w.advance('+2h');
    await w.send({ type: 'track', userId: 'ann', event: 'Purchase' });
    await w.advance('+1h');
    await activateJourney(t.db, w.ws, 'bought', w.now);
    await w.tick();
    assert.deepEqual(
      (await w.intents()).map((i) => `${i.userId} ${i.template} ${i.local}`),
      ['ann thanks 2026-05-02 13:00 UTC'],
    );
  });

  it('a wait does not count an event from after its timeout, even when the worker gets to both late', async () => {
    const w = await journeyWorld(t, new Date('2026-05-01T09:00:00Z'));
    await w.journey('bought', {
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'w',
      steps: [
        { id: 'w', type: 'wait', event: 'Purchase', timeout: 'PT1H', next: 'thanks', timeoutNext: 'nudge' },
        send('thanks', 'thanks'),
        send('nudge', 'nudge'),
      ],
    });
    await w.send({ type: 'track', userId: 'ann', event: 'Signed Up' });
    w.down('+90m'); // the timeout (10:00) passes with nobody running it
    await w.send({ type: 'track', userId: 'ann', event: 'Purchase' });
    assert.deepEqual(await w.sent(), ['ann nudge']);
  });

  describe("goal and wait filters match as trigger filters do, also when the goal arrives in the trigger's batch", () => {
    const filters: [string, Record<string, unknown>, Record<string, unknown>, boolean][] = [
      ['a dotted path', { 'payment.status': 'paid' }, { payment: { status: 'paid' } }, true],
      ['a number written as text', { total: '42' }, { total: 42 }, true],
      ['text written as a number', { total: 42 }, { total: '42' }, true],
      ['another value at the path', { 'payment.status': 'paid' }, { payment: { status: 'failed' } }, false],
    ];
    for (const [name, where, properties, counts] of filters) {
      it(`${name}: ${counts ? 'the goal ends the run, the wait is matched' : 'neither counts'}`, async () => {
        const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
        await w.journey('pay-goal', {
          trigger: { type: 'event', event: 'Checkout Started' },
          goal: { event: 'Paid', where },
          start: 'hour',
          steps: [{ id: 'hour', type: 'delay', duration: 'PT1H', next: 'back' }, send('back', 'come-back')],
        });
        await w.journey('pay-wait', {
          trigger: { type: 'event', event: 'Checkout Started' },
          start: 'w',
          steps: [
            { id: 'w', type: 'wait', event: 'Paid', where, timeout: 'PT1H', next: 'thanks', timeoutNext: 'nudge' },
            send('thanks', 'thanks'),
            send('nudge', 'nudge'),
          ],
        });
        await w.send(
          { type: 'track', userId: 'ann', event: 'Checkout Started' },
          { type: 'track', userId: 'ann', event: 'Paid', properties },
        );
        await w.advance('+2h');
        assert.deepEqual((await w.sent()).sort(), counts ? ['ann thanks'] : ['ann come-back', 'ann nudge']);
      });
    }
  });

  it('an anonymous cart carries on as the customer once they identify', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    await w.journey('cart', {
      trigger: { type: 'event', event: 'Product Added', key: 'cartId' },
      goal: { event: 'Order Completed', sameKey: true },
      start: 'wait',
      steps: [{ id: 'wait', type: 'delay', duration: 'PT1H', next: 'r' }, send('r', 'cart-reminder')],
    });
    await w.send({ type: 'track', anonymousId: 'anon-1', event: 'Product Added', properties: { cartId: 'k1' } });
    await w.tick();
    await w.send({ type: 'identify', anonymousId: 'anon-1', userId: 'zoe', traits: { email: 'zoe@example.com' } });
    await w.advance('+2h');
    assert.deepEqual(await w.sent(), ['zoe cart-reminder']);
    const runs = await customerRuns(t.db, w.ws, { customer: 'zoe' });
    assert.deepEqual(
      runs!.map((r) => [r.status, r.history.map((h) => h.outcome)]),
      [['completed', ['passed', 'queued']]],
    );
  });

  it('webhook step: signed, retried with back-off on 500 with the same idempotency key, then goes on', async () => {
    const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.statusCode = seen.length <= 2 ? 500 : 200;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
      await w.journey('hook', {
        trigger: { type: 'event', event: 'Refund Requested' },
        start: 'call',
        steps: [{ id: 'call', type: 'webhook', url, secret: 'topsecret-123', next: 'm' }, send('m', 'refund-received')],
      });
      await w.send({ type: 'track', userId: 'rae', event: 'Refund Requested', properties: { amount: 5 } });
      await w.tick();
      assert.equal(seen.length, 1);
      await w.advance('+10m');
      assert.equal(seen.length, 3, 'retried after 1 and 2 minutes');
      assert.deepEqual(await w.sent(), ['rae refund-received']);
      assert.equal(
        new Set(seen.map((s) => s.headers['idempotency-key'])).size,
        1,
        'one idempotency key for every attempt',
      );
      for (const s of seen) {
        const [, ts, sig] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(s.headers['x-retain-signature']))!;
        assert.equal(sig, createHmac('sha256', 'topsecret-123').update(`${ts}.${s.body}`).digest('hex'));
      }
      assert.equal(JSON.parse(seen[0]!.body).trigger.properties.amount, 5);
      const [run] = (await customerRuns(t.db, w.ws, { customer: 'rae' }))!;
      assert.deepEqual(
        run!.history.map((h) => h.outcome),
        ['retry', 'retry', 'called', 'queued'],
      );
    } finally {
      server.close();
    }
  });

  it('a sweep that fails in one workspace holds up neither the other workspaces nor the runs that are due', async () => {
    const broken = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    for (const [world, user] of [
      [broken, 'bea'],
      [w, 'wes'],
    ] as const) {
      await world.send({ type: 'identify', userId: user, traits: { plan: 'pro' } });
      await world.segment('pro', { trait: 'plan', op: 'equals', value: 'pro' });
      await world.tick();
      await world.journey('news', {
        trigger: { type: 'broadcast', segment: 'pro', perMinute: 60 },
        start: 'n',
        steps: [send('n', 'newsletter')],
      });
    }
    await w.journey('hi', { trigger: { type: 'event', event: 'Signed Up' }, start: 'hi', steps: [send('hi', 'hi')] });
    await t.db.query(
      `CREATE FUNCTION fail_sweep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated sweep failure'; END $$`,
    );
    await t.db.query(
      `CREATE TRIGGER fail_sweep BEFORE UPDATE ON journey_triggers FOR EACH ROW WHEN (OLD.workspace_id = '${broken.ws}') EXECUTE FUNCTION fail_sweep()`,
    );
    try {
      w.down('+1m');
      await assert.rejects(
        () => w.send({ type: 'track', userId: 'wes', event: 'Signed Up' }),
        new RegExp(`workspace ${broken.ws}: simulated sweep failure`),
      );
      assert.deepEqual((await w.sent()).sort(), ['wes hi', 'wes newsletter']);
      assert.deepEqual(await broken.sent(), []);
    } finally {
      await t.db.query('DROP TRIGGER fail_sweep ON journey_triggers');
      await t.db.query('DROP FUNCTION fail_sweep()');
    }
    broken.down('+1m');
    await broken.tick();
    assert.deepEqual(await broken.sent(), ['bea newsletter'], 'swept once the cause is gone');
  });

  it('crash and retry: a step whose transaction fails leaves no trace and is done exactly once on the retry', async () => {
    const w = await journeyWorld(t, new Date('2026-05-04T09:00:00Z'));
    await w.journey('once', {
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'a',
      steps: [send('a', 'first', 'b'), send('b', 'second')],
    });
    await t.db.query(
      `CREATE FUNCTION crash_intents() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated crash'; END $$`,
    );
    await t.db.query(
      'CREATE TRIGGER crash_intents BEFORE INSERT ON message_intents FOR EACH STATEMENT EXECUTE FUNCTION crash_intents()',
    );
    try {
      // The event is stored (its own transaction); the tick enters the run, then the step's transaction fails.
      await assert.rejects(() => w.send({ type: 'track', userId: 'cra', event: 'Signed Up' }), /simulated crash/);
      const [state] = await t.db.query<{ seq: number; step_id: string; logs: number }>(
        'SELECT seq, step_id, (SELECT count(*)::int FROM journey_step_log l WHERE l.run_id = r.id) AS logs FROM journey_runs r WHERE workspace_id = $1',
        [w.ws],
      );
      assert.deepEqual(state, { seq: 0, step_id: 'a', logs: 0 }, 'nothing half-written');
    } finally {
      await t.db.query('DROP TRIGGER crash_intents ON message_intents');
      await t.db.query('DROP FUNCTION crash_intents()');
    }
    await w.tick();
    await w.tick();
    assert.deepEqual(await w.sent(), ['cra first', 'cra second']);
    assert.equal((await runDue(t.db, w.now)).claimed, 0);
  });
});
