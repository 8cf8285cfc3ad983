// What falls due while a journey is paused, on the virtual clock: by default it is skipped; with
// "entry": {"whilePaused": "catch_up"} it enters at the resume. Events, segment entries, dates and schedules alike.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { journeyWorld } from './world.ts';
import { activateJourney, pauseJourney, updateJourney } from '../../src/journeys/index.ts';
import { validateJourney } from '../../src/journeys/definition.ts';

const email = { fixed: 'email' };
type Policy = 'skip' | 'catch_up' | undefined;
const entry = (whilePaused: Policy) => (whilePaused ? { entry: { mode: 'every', whilePaused } } : {});

describe(`journeys while paused (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  const carts: [name: string, policy: Policy, expected: string[]][] = [
    [
      'skip (the default): carts left during the pause get nothing, the cart from before holds and goes on',
      undefined,
      ['ann cart-reminder 2026-06-01 15:00 UTC'],
    ],
    ['skip, said so: the same', 'skip', ['ann cart-reminder 2026-06-01 15:00 UTC']],
    [
      'catch up: carts left during the pause enter at the resume, oldest first; a cart bought meanwhile gets nothing',
      'catch_up',
      ['ann cart-reminder 2026-06-01 15:00 UTC', 'bob cart-reminder 2026-06-01 16:00 UTC'],
    ],
  ];
  for (const [name, policy, expected] of carts) {
    it(`abandoned cart paused 12:30–15:00, ${name}`, async () => {
      const w = await journeyWorld(t, new Date('2026-06-01T12:00:00Z'));
      await w.journey('cart', {
        ...entry(policy),
        trigger: { type: 'event', event: 'Product Added', key: 'cartId' },
        goal: { event: 'Order Completed', sameKey: true },
        start: 'hour',
        steps: [
          { id: 'hour', type: 'delay', duration: 'PT1H', next: 'reminder' },
          { id: 'reminder', type: 'send', template: 'cart-reminder', channel: email },
        ],
      });
      await w.send({ type: 'track', userId: 'ann', event: 'Product Added', properties: { cartId: 'c-ann' } });
      await w.advance('+30m');
      await pauseJourney(t.db, w.ws, 'cart', w.now);
      await w.advance('+30m');
      await w.send(
        { type: 'track', userId: 'bob', event: 'Product Added', properties: { cartId: 'c-bob' } },
        { type: 'track', userId: 'cy', event: 'Product Added', properties: { cartId: 'c-cy' } },
        { type: 'page', userId: 'cy', name: 'Checkout' },
      );
      await w.advance('+30m');
      await w.send({
        type: 'track',
        userId: 'cy',
        event: 'Order Completed',
        properties: { orderId: 'o-cy', cartId: 'c-cy', total: 20 },
      });
      const [kept] = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM journey_catch_up WHERE workspace_id = $1',
        [w.ws],
      );
      assert.equal(
        kept!.n,
        policy === 'catch_up' ? 2 : 0,
        'only the events that would have entered are kept, and only to catch up',
      );
      await w.advance(new Date('2026-06-01T15:00:00Z'));
      await activateJourney(t.db, w.ws, 'cart', w.now);
      await w.tick();
      await w.advance('+3h');
      assert.deepEqual(
        (await w.intents()).map((i) => `${i.userId} ${i.template} ${i.local}`),
        expected,
      );
      const [left] = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM journey_catch_up WHERE workspace_id = $1',
        [w.ws],
      );
      assert.equal(left!.n, 0, 'nothing stays kept after the resume');
      await w.send({ type: 'track', userId: 'dan', event: 'Product Added', properties: { cartId: 'c-dan' } });
      await w.advance('+2h');
      assert.deepEqual(
        (await w.sent()).slice(expected.length),
        ['dan cart-reminder'],
        'after the resume, carts enter as before',
      );
    });
  }

  const entries: [name: string, policy: Policy, expected: string[]][] = [
    ['skip: who entered the segment while paused is not welcomed', 'skip', []],
    [
      'catch up: who entered the segment while paused is welcomed at the resume',
      'catch_up',
      ['vip-welcome 2026-06-02 09:00 UTC'],
    ],
  ];
  for (const [name, policy, expected] of entries) {
    it(`segment entry during a pause, ${name}`, async () => {
      const w = await journeyWorld(t, new Date('2026-06-01T08:00:00Z'));
      await w.segment('vip', { trait: 'plan', op: 'equals', value: 'vip' });
      await w.journey('vip', {
        ...entry(policy),
        trigger: { type: 'segment', segment: 'vip', on: 'enter' },
        start: 'hi',
        steps: [{ id: 'hi', type: 'send', template: 'vip-welcome', channel: email }],
      });
      await pauseJourney(t.db, w.ws, 'vip', w.now);
      await w.send({ type: 'identify', userId: 'vee', traits: { plan: 'vip' } });
      await w.advance(new Date('2026-06-02T09:00:00Z'));
      await activateJourney(t.db, w.ws, 'vip', w.now);
      await w.tick();
      assert.deepEqual(
        (await w.intents()).map((i) => `${i.template} ${i.local}`),
        expected,
      );
    });
  }

  const birthdays: [name: string, policy: Policy, expected: string[]][] = [
    [
      'skip: the birthdays that fell due while paused are skipped; the one due before the pause goes out at the resume',
      'skip',
      ['cy 2026-06-01 17:30 Asia/Kolkata'],
    ],
    [
      'catch up: every birthday that fell due while paused goes out at the resume',
      'catch_up',
      ['ann 2026-06-01 12:00 UTC', 'bob 2026-06-01 13:00 Europe/London', 'cy 2026-06-01 17:30 Asia/Kolkata'],
    ],
  ];
  for (const [name, policy, expected] of birthdays) {
    it(`birthday at 09:00 local, paused 03:45–12:00 UTC with the worker down since 03:00, ${name}`, async () => {
      const w = await journeyWorld(t, new Date('2026-05-31T22:00:00Z'));
      await w.send(
        { type: 'identify', userId: 'ann', traits: { birthday: '1990-06-01' } }, // 09:00 UTC
        { type: 'identify', userId: 'bob', traits: { birthday: '1980-06-01' }, context: { timezone: 'Europe/London' } }, // 08:00 UTC
        { type: 'identify', userId: 'cy', traits: { birthday: '1970-06-01' }, context: { timezone: 'Asia/Kolkata' } }, // 03:30 UTC
      );
      await w.journey('birthday', {
        ...entry(policy),
        trigger: { type: 'date', trait: 'birthday', yearly: true, at: '09:00' },
        start: 'wish',
        steps: [{ id: 'wish', type: 'send', template: 'happy-birthday', channel: email }],
      });
      await w.advance(new Date('2026-06-01T03:00:00Z'));
      w.down('+45m'); // cy's 03:30 falls due while nobody sweeps
      await pauseJourney(t.db, w.ws, 'birthday', w.now);
      await w.advance(new Date('2026-06-01T12:00:00Z'));
      assert.deepEqual(await w.sent(), [], 'paused: nobody gets a message');
      await activateJourney(t.db, w.ws, 'birthday', w.now);
      await w.tick();
      await w.advance('+1d');
      assert.deepEqual(
        (await w.intents()).map((i) => `${i.userId} ${i.local}`),
        expected,
      );
    });
  }

  const digests: [name: string, policy: Policy, expected: string[]][] = [
    ['skip: no digest for the Mondays missed, the next one as usual', 'skip', ['2026-03-30 10:00']],
    [
      'catch up: one digest for the Mondays missed (the latest), at the resume, then the next as usual',
      'catch_up',
      ['2026-03-24 12:00', '2026-03-30 10:00'],
    ],
  ];
  for (const [name, policy, expected] of digests) {
    it(`weekly digest on Mondays 10:00, paused over two Mondays, ${name}`, async () => {
      const w = await journeyWorld(t, new Date('2026-03-12T00:00:00Z'));
      await w.send({ type: 'identify', userId: 'ola' });
      await w.segment('all', { aggregate: 'days_since_last_seen', op: 'lte', value: 60 });
      await w.journey('digest', {
        ...entry(policy),
        trigger: { type: 'schedule', cron: '0 10 * * 1', segment: 'all' },
        start: 'd',
        steps: [{ id: 'd', type: 'send', template: 'digest', channel: email }],
      });
      await pauseJourney(t.db, w.ws, 'digest', w.now);
      await w.advance(new Date('2026-03-24T12:00:00Z'));
      await activateJourney(t.db, w.ws, 'digest', w.now);
      await w.tick();
      await w.advance(new Date('2026-03-31T00:00:00Z'));
      assert.deepEqual(
        (await w.intents()).map((i) => i.local.slice(0, 16)),
        expected,
      );
    });
  }

  it('the policy of the version resumed decides: kept events are dropped when it skips', async () => {
    const w = await journeyWorld(t, new Date('2026-06-01T12:00:00Z'));
    const def = (whilePaused: Policy) => ({
      ...entry(whilePaused),
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'hi',
      steps: [{ id: 'hi', type: 'send', template: 'welcome', channel: email }],
    });
    await w.journey('welcome', def('catch_up'));
    await pauseJourney(t.db, w.ws, 'welcome', w.now);
    await w.send({ type: 'track', userId: 'una', event: 'Signed Up' });
    const kept = async () =>
      (
        await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM journey_catch_up WHERE workspace_id = $1', [
          w.ws,
        ])
      )[0]!.n;
    assert.equal(await kept(), 1, 'kept under the catch-up version');
    await updateJourney(t.db, w.ws, 'welcome', { definition: def('skip') }, w.now);
    await activateJourney(t.db, w.ws, 'welcome', w.now);
    assert.equal(await kept(), 0, 'dropped by the resume');
    await w.advance('+1h');
    assert.deepEqual(await w.sent(), []);
  });

  it('a broadcast resumes with its next customers whatever the policy, so whilePaused is refused on it', () => {
    const v = validateJourney({
      entry: { whilePaused: 'catch_up' },
      trigger: { type: 'broadcast', segment: 'all' },
      start: 'n',
      steps: [{ id: 'n', type: 'send', template: 'news', channel: email }],
    });
    assert.deepEqual(v.ok ? [] : v.errors.map((e) => e.path), ['$.entry.whilePaused']);
    const bad = validateJourney({
      entry: { whilePaused: 'later' },
      trigger: { type: 'event', event: 'x' },
      start: 'n',
      steps: [{ id: 'n', type: 'exit' }],
    });
    assert.deepEqual(bad.ok ? [] : bad.errors.map((e) => e.path), ['$.entry.whilePaused']);
  });
});
