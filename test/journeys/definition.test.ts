// Journey definitions and the step machine, pure: bad definitions are refused with the path of each bad field; steps
// move a run as the scenarios expect; splits and the control group are stable draws.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateJourney, parseJourney, validForDefault, watchedEvents } from '../../src/journeys/definition.ts';
import { advance, type Run, type CustomerView } from '../../src/journeys/steps.ts';
import { controlPeriod, inControlGroup, pickArm, unitHash } from '../../src/experiments/buckets.ts';
import { exitBy, exitsOf, goalOf, hears, waitOf } from '../../src/journeys/listen.ts';
import { entityKey } from '../../src/journeys/match.ts';

const valid = {
  trigger: { type: 'event', event: 'Product Added', key: 'cartId' },
  goal: { event: 'Order Completed', sameKey: true },
  start: 'hour',
  steps: [
    { id: 'hour', type: 'delay', duration: 'PT1H', next: 'remind' },
    { id: 'remind', type: 'send', template: 'cart-reminder', channel: { fixed: 'email' } },
  ],
};
const withSteps = (steps: object[], extra: object = {}) => ({ ...valid, ...extra, steps });

describe('journey definitions: refused with the path of every bad field', () => {
  const cases: [string, unknown, { path: string; message: RegExp }][] = [
    ['not an object', 'abc', { path: '$', message: /object/ }],
    ['unknown trigger type', { ...valid, trigger: { type: 'moon' } }, { path: '$.trigger.type', message: /./ }],
    [
      'a delay in words',
      withSteps([{ id: 'hour', type: 'delay', duration: '1 hour', next: 'remind' }, valid.steps[1]!]),
      { path: '$.steps[0].duration', message: /PT1H/ },
    ],
    [
      'a delay with two kinds',
      withSteps([{ id: 'hour', type: 'delay', duration: 'PT1H', window: { from: '09:00', to: '18:00' } }]),
      { path: '$.steps[0]', message: /exactly one/ },
    ],
    [
      'next names no step',
      withSteps([{ id: 'hour', type: 'delay', duration: 'PT1H', next: 'nowhere' }]),
      { path: '$.steps[0].next', message: /no step has the id "nowhere"/ },
    ],
    ['start names no step', { ...valid, start: 'x' }, { path: '$.start', message: /no step has the id "x"/ }],
    [
      'two steps with one id',
      withSteps([
        { id: 'hour', type: 'exit' },
        { id: 'hour', type: 'exit' },
      ]),
      { path: '$.steps[1].id', message: /already the id/ },
    ],
    [
      'a loop',
      withSteps([
        { id: 'hour', type: 'delay', duration: 'PT1H', next: 'remind' },
        { id: 'remind', type: 'send', template: 't', channel: { fixed: 'email' }, next: 'hour' },
      ]),
      { path: '$.steps[1].next', message: /loop/ },
    ],
    [
      'an unreachable step',
      withSteps([...valid.steps, { id: 'orphan', type: 'exit' }]),
      { path: '$.steps[2]', message: /cannot be reached/ },
    ],
    [
      'a bad branch condition',
      withSteps(
        [
          {
            id: 'hour',
            type: 'branch',
            condition: { aggregate: 'orders_count', op: 'gte', value: 'many' },
            yes: 'remind',
          },
          valid.steps[1]!,
        ],
        { start: 'hour' },
      ),
      { path: '$.steps[0].condition.value', message: /number/ },
    ],
    [
      'a bad time of day',
      { ...valid, trigger: { type: 'date', trait: 'birthday', at: '25:00' }, goal: undefined },
      { path: '$.trigger.at', message: /HH:mm|hour|time/i },
    ],
    [
      'a bad cron',
      { ...valid, trigger: { type: 'schedule', cron: 'every monday', segment: 'active' }, goal: undefined },
      { path: '$.trigger.cron', message: /./ },
    ],
    [
      'an unknown zone',
      {
        ...valid,
        trigger: { type: 'schedule', cron: '0 10 * * 1', timezone: 'Mars/Olympus', segment: 'active' },
        goal: undefined,
      },
      { path: '$.trigger.timezone', message: /unknown time zone/ },
    ],
    [
      'sameKey without a key',
      { ...valid, trigger: { type: 'event', event: 'Product Added' } },
      { path: '$.goal.sameKey', message: /key/ },
    ],
    [
      'split with one arm',
      withSteps([{ id: 'hour', type: 'split', arms: [{ name: 'A', weight: 1 }] }], { goal: undefined }),
      { path: '$.steps[0].arms', message: /./ },
    ],
    [
      'holdout of 100%',
      withSteps([{ id: 'hour', type: 'holdout', percent: 100 }], { goal: undefined }),
      { path: '$.steps[0].percent', message: /./ },
    ],
    [
      'a webhook to ftp',
      withSteps([{ id: 'hour', type: 'webhook', url: 'ftp://x.example' }], { goal: undefined }),
      { path: '$.steps[0].url', message: /./ },
    ],
    ['cooldown without days', { ...valid, entry: { mode: 'cooldown' } }, { path: '$.entry.days', message: /required/ }],
    ['an unknown key', { ...valid, colour: 'red' }, { path: '$', message: /colour/ }],
    [
      'a validity in words',
      withSteps([valid.steps[0]!, { ...valid.steps[1]!, validFor: '12 hours' }]),
      { path: '$.steps[1].validFor', message: /PT1H/ },
    ],
    [
      'exit on leave for a journey started by leaving',
      { ...valid, goal: undefined, trigger: { type: 'segment', segment: 'vip', on: 'exit', exitOnLeave: true } },
      { path: '$.trigger.exitOnLeave', message: /on "enter"/ },
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      const v = validateJourney(input);
      assert.equal(v.ok, false, 'refused');
      if (v.ok) return;
      const hit = v.errors.find((e) => e.path === expected.path);
      assert.ok(hit, `an error at ${expected.path}; got ${JSON.stringify(v.errors)}`);
      assert.match(hit.message, expected.message);
    });
  }

  it('a valid definition gets its defaults and lists the events it listens to', () => {
    const def = parseJourney(valid);
    assert.equal(def.purpose, 'marketing');
    assert.deepEqual(def.entry, { mode: 'every' });
    assert.deepEqual(watchedEvents(def), ['Order Completed', 'Product Added']);
    assert.deepEqual(
      watchedEvents(
        parseJourney({ ...valid, goal: undefined, trigger: { type: 'segment', segment: 'lapsed', on: 'enter' } }),
      ),
      ['Segment Entered'],
    );
    assert.deepEqual(
      watchedEvents(
        parseJourney({
          ...valid,
          goal: undefined,
          trigger: { type: 'segment', segment: 'trial', on: 'enter', exitOnLeave: true },
        }),
      ),
      ['Segment Entered', 'Segment Exited'],
    );
  });

  it('how long a message stays worth sending by default: hours after an event, days after a segment change, its day for a date or a schedule; transactional longer', () => {
    const table = [
      ['marketing', 'event', 'PT12H'],
      ['marketing', 'segment', 'P2D'],
      ['marketing', 'broadcast', 'P2D'],
      ['marketing', 'date', 'P1D'],
      ['marketing', 'schedule', 'P1D'],
      ['transactional', 'event', 'P3D'],
      ['transactional', 'date', 'P3D'],
    ] as const;
    assert.deepEqual(
      table.map(([p, k]) => validForDefault(p, k)),
      table.map(([, , d]) => d),
    );
  });
});

describe('the step machine', () => {
  const customer: CustomerView = {
    id: '7',
    userId: 'ann',
    timezone: 'Europe/Warsaw',
    fields: { rfm_segment: 'Champions', traits: { plan: 'gold' } },
  };
  const run = (stepId: string, context = {}): Run => ({
    id: '1',
    workspaceId: 'ws',
    journeyId: 'j',
    version: 1,
    customerId: '7',
    entryKey: 'c1',
    stepId,
    seq: 0,
    status: 'active',
    context: { enteredAt: '2026-06-01T12:00:00.000Z', key: 'c1', ...context },
  });
  const now = new Date('2026-06-01T12:00:00Z');

  it('delay → arms a timer; woken early it sleeps again; woken on time it goes on and the send writes one intent', () => {
    const def = parseJourney(valid);
    const a = advance(def, run('hour'), customer, now);
    assert.equal(a.wakeAt?.toISOString(), '2026-06-01T13:00:00.000Z');
    assert.deepEqual(a.logs, []);
    const early = advance(def, a.run, customer, new Date('2026-06-01T12:30:00Z'));
    assert.equal(early.wakeAt?.toISOString(), '2026-06-01T13:00:00.000Z');
    const b = advance(def, a.run, customer, new Date('2026-06-01T13:00:00Z'));
    assert.equal(b.ended, true);
    assert.equal(b.run.status, 'completed');
    assert.deepEqual(
      b.logs.map((l) => [l.seq, l.stepId, l.outcome]),
      [
        [1, 'hour', 'passed'],
        [2, 'remind', 'queued'],
      ],
    );
    assert.deepEqual(
      b.intents.map((i) => i.messageKey),
      ['journey:j:run:1:remind'],
    );
  });

  it("a send step stamps its message with its validity: the default, or its own validFor in the customer's zone", () => {
    const def = parseJourney(valid);
    const [reminder] = advance(def, run('remind'), customer, now).intents;
    assert.equal(reminder!.expiresAt, '2026-06-02T00:00:00.000Z', 'a cart reminder: 12 h');
    const own = parseJourney(withSteps([valid.steps[0]!, { ...valid.steps[1]!, validFor: 'P1D' }]));
    const late = new Date('2026-10-24T12:00:00Z'); // 14:00 in Warsaw, the day before summer time ends
    assert.equal(
      advance(own, run('remind'), customer, late).intents[0]!.expiresAt,
      '2026-10-25T13:00:00.000Z',
      '14:00 the next day, local',
    );
    const receipt = parseJourney({ ...valid, purpose: 'transactional' });
    assert.equal(
      advance(receipt, run('remind'), customer, now).intents[0]!.expiresAt,
      '2026-06-04T12:00:00.000Z',
      'transactional: 3 days',
    );
  });

  it('branch asks for its condition, then follows yes or no', () => {
    const def = parseJourney(
      withSteps(
        [
          {
            id: 'hour',
            type: 'branch',
            condition: { trait: 'plan', op: 'equals', value: 'gold' },
            yes: 'gold',
            no: 'other',
          },
          { id: 'gold', type: 'send', template: 'gold', channel: { fixed: 'email' } },
          { id: 'other', type: 'exit' },
        ],
        { goal: undefined },
      ),
    );
    const asked = advance(def, run('hour'), customer, now);
    assert.deepEqual(asked.need, { kind: 'branch', stepId: 'hour' });
    assert.equal(advance(def, asked.run, customer, now, { branch: true }).intents[0]?.template, 'gold');
    const no = advance(def, asked.run, customer, now, { branch: false });
    assert.equal(no.run.status, 'exited');
  });

  it('params by a customer field: the coupon follows the RFM segment, with a default', () => {
    const def = parseJourney(
      withSteps(
        [
          {
            id: 'hour',
            type: 'send',
            template: 't',
            channel: { fixed: 'sms' },
            params: {
              percent: { by: 'rfm_segment', map: { Champions: 5, 'At risk': 20 }, default: 10 },
              plan: { by: 'traits.plan', map: { gold: 'G' } },
              fixed: 'x',
            },
          },
        ],
        { goal: undefined },
      ),
    );
    assert.deepEqual(advance(def, run('hour'), customer, now).intents[0]!.params, {
      percent: 5,
      plan: 'G',
      fixed: 'x',
    });
    assert.deepEqual(advance(def, run('hour'), { ...customer, fields: {} }, now).intents[0]!.params, {
      percent: 10,
      plan: null,
      fixed: 'x',
    });
  });

  it('wait: times out into timeoutNext, or goes on when matched', () => {
    const def = parseJourney(
      withSteps([
        {
          id: 'hour',
          type: 'wait',
          event: 'Order Completed',
          sameKey: true,
          timeout: 'P1D',
          next: 'thanks',
          timeoutNext: 'nudge',
        },
        { id: 'thanks', type: 'send', template: 'thanks', channel: { fixed: 'email' } },
        { id: 'nudge', type: 'send', template: 'nudge', channel: { fixed: 'email' } },
      ]),
    );
    const waiting = advance(def, run('hour'), customer, now);
    assert.equal(waiting.run.status, 'waiting');
    assert.equal(waiting.wakeAt?.toISOString(), '2026-06-02T12:00:00.000Z');
    assert.equal(advance(def, waiting.run, customer, new Date('2026-06-02T12:00:00Z')).intents[0]?.template, 'nudge');
    assert.equal(
      advance(def, waiting.run, customer, new Date('2026-06-01T15:00:00Z'), { waitMatched: true }).intents[0]?.template,
      'thanks',
    );
  });

  it('a delay until a date the event does not carry fails the run with the reason', () => {
    const def = parseJourney(
      withSteps([{ id: 'hour', type: 'delay', untilProperty: { property: 'dueDate', offsetDays: -3, at: '10:00' } }], {
        goal: undefined,
      }),
    );
    const a = advance(def, run('hour', { trigger: { properties: {} } }), customer, now);
    assert.equal(a.run.status, 'failed');
    assert.match(String(a.logs[0]!.detail!.reason), /dueDate/);
  });
});

describe('stable draws', () => {
  it('unitHash is uniform enough and arms follow their weights', () => {
    const n = 20_000;
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) counts[pickArm([1, 1, 2], unitHash('j', 'ab', i))]! += 1;
    assert.ok(Math.abs(counts[0]! / n - 0.25) < 0.02 && Math.abs(counts[2]! / n - 0.5) < 0.02, `25/25/50: ${counts}`);
  });

  it('the control group holds its share, is the same within a period and redrawn in the next', () => {
    const s = { share: 0.05, periodMonths: 3 };
    const jan = new Date('2026-01-15T00:00:00Z');
    const mar = new Date('2026-03-31T23:00:00Z');
    const apr = new Date('2026-04-01T00:00:00Z');
    const ids = Array.from({ length: 20_000 }, (_, i) => String(i + 1));
    const held = ids.filter((id) => inControlGroup('ws', id, jan, s));
    assert.ok(Math.abs(held.length / ids.length - 0.05) < 0.005, `about 5%: ${held.length}`);
    assert.deepEqual(
      ids.filter((id) => inControlGroup('ws', id, mar, s)),
      held,
      'same period, same group',
    );
    const next = ids.filter((id) => inControlGroup('ws', id, apr, s));
    assert.ok(next.filter((id) => held.includes(id)).length < held.length * 0.2, 'a new period draws anew');
    assert.deepEqual(
      [controlPeriod(jan, 3).from.toISOString(), controlPeriod(jan, 3).until.toISOString()],
      ['2026-01-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    );
  });
});

describe('what a run listens for: the goal after its trigger (never the trigger itself), a wait until its timeout', () => {
  const def = parseJourney({
    ...valid,
    goal: { event: 'Order Completed', where: { 'payment.status': 'paid' }, sameKey: true },
    steps: [{ id: 'hour', type: 'wait', event: 'Order Completed', timeout: 'PT1H', next: 'remind' }, valid.steps[1]],
  });
  const run = {
    entryKey: 'c1',
    context: {
      enteredAt: '2026-05-01T10:00:00.000Z',
      trigger: { messageId: 'm-trigger' },
      wait: { step: 'hour', since: '2026-05-01T10:00:00.000Z', until: '2026-05-01T11:00:00.000Z' },
    },
  };
  const paid = { payment: { status: 'paid' }, cartId: 'c1' };
  const event = (messageId: string, at: string, properties: object = paid) => ({
    name: 'Order Completed',
    messageId,
    at: new Date(at),
    properties,
  });
  const cases: [string, ReturnType<typeof event>, boolean, boolean][] = [
    // name, event, the goal hears it, the wait hears it
    ['the trigger event itself', event('m-trigger', '2026-05-01T10:00:00Z'), false, false],
    ['another event at the same instant', event('m2', '2026-05-01T10:00:00Z'), true, true],
    ['an event before the trigger', event('m3', '2026-05-01T09:59:59Z'), false, false],
    ["an event after the wait's timeout", event('m4', '2026-05-01T11:00:01Z'), true, false],
    [
      'a filter on a dotted path that differs',
      event('m5', '2026-05-01T10:30:00Z', { payment: { status: 'failed' }, cartId: 'c1' }),
      false,
      true,
    ],
    [
      'another cart (sameKey)',
      event('m6', '2026-05-01T10:30:00Z', { payment: { status: 'paid' }, cartId: 'c2' }),
      false,
      true,
    ],
    [
      "the same cart in the spec's spelling (cart_id)",
      event('m7', '2026-05-01T10:30:00Z', { payment: { status: 'paid' }, cart_id: 'c1' }),
      true,
      true,
    ],
    [
      "another cart in the spec's spelling",
      event('m8', '2026-05-01T10:30:00Z', { payment: { status: 'paid' }, cart_id: 'c2' }),
      false,
      true,
    ],
    [
      "an order that names no cart: the goal of every cart's run",
      event('m9', '2026-05-01T10:30:00Z', { payment: { status: 'paid' } }),
      true,
      true,
    ],
  ];
  for (const [name, e, goal, wait] of cases) {
    it(`${name}: goal ${goal ? 'yes' : 'no'}, wait ${wait ? 'yes' : 'no'}`, () => {
      assert.equal(hears(goalOf(def, run)!, e), goal);
      assert.equal(hears(waitOf(def, run)!, e), wait);
    });
  }
  it('a matched wait listens no more', () =>
    assert.equal(
      waitOf(def, { ...run, context: { ...run.context, wait: { ...run.context.wait, matched: true } } }),
      null,
    ));
});

describe('the run key, read in either spelling', () => {
  const cases: [string, Record<string, unknown>, string | undefined, string | null][] = [
    ['key cartId, event cartId', { cartId: 'c1' }, 'cartId', 'c1'],
    ["key cartId, event cart_id (Segment's e-commerce spec)", { cart_id: 'c1' }, 'cartId', 'c1'],
    ['key cart_id, event cartId', { cartId: 'c1' }, 'cart_id', 'c1'],
    ['key orderId, event order_id (a number)', { order_id: 42 }, 'orderId', '42'],
    ['key order_id, event orderId', { orderId: 'o-1' }, 'order_id', 'o-1'],
    ['both spellings: the one the key is written in', { cartId: 'c1', cart_id: 'c2' }, 'cart_id', 'c2'],
    ['a dotted path: each part in the other spelling', { cart: { cart_id: 'c1' } }, 'cart.cartId', 'c1'],
    ['no such property in either spelling: cannot enter', { cart: 'c1' }, 'cartId', null],
    ['an object is no key', { cartId: { id: 'c1' } }, 'cartId', null],
    ['no key on the trigger', { cartId: 'c1' }, undefined, ''],
  ];
  for (const [name, properties, path, key] of cases) it(name, () => assert.equal(entityKey(properties, path), key));
});

describe('what ends a run early: its goal, and for a segment journey that exits on leave, leaving that segment after entering', () => {
  const def = parseJourney({
    ...valid,
    goal: { event: 'Upgraded' },
    trigger: { type: 'segment', segment: 'trial', on: 'enter', exitOnLeave: true },
  });
  const run = { entryKey: '', context: { enteredAt: '2026-05-01T10:00:00.000Z', trigger: { messageId: 'm-enter' } } };
  // segment events carry the runner's message ids (seg:…); any other id is not the runner's
  const seen = (name: string, at: string, properties: object = {}, by = name.startsWith('Segment') ? 'seg:' : '') => ({
    name,
    messageId: `${by}${name}@${at}`,
    at: new Date(at),
    properties,
  });
  const cases: [string, ReturnType<typeof seen>, string | null][] = [
    [
      'leaving the trigger segment',
      seen('Segment Exited', '2026-05-01T11:00:00Z', { segmentId: 'trial' }),
      'left_segment',
    ],
    ['leaving another segment', seen('Segment Exited', '2026-05-01T11:00:00Z', { segmentId: 'vip' }), null],
    [
      'a leaving from before the entry (an earlier membership)',
      seen('Segment Exited', '2026-05-01T09:00:00Z', { segmentId: 'trial' }),
      null,
    ],
    [
      'a "Segment Exited" the segment runner did not write',
      seen('Segment Exited', '2026-05-01T11:00:00Z', { segmentId: 'trial' }, 'planted-'),
      null,
    ],
    ['the goal', seen('Upgraded', '2026-05-01T11:00:00Z'), 'goal_reached'],
  ];
  for (const [name, e, reason] of cases)
    it(`${name}: ${reason ?? 'goes on'}`, () => assert.equal(exitBy(exitsOf(def, run), e)?.reason ?? null, reason));
  it('without exitOnLeave, leaving ends nothing', () => {
    const stays = parseJourney({
      ...valid,
      goal: undefined,
      trigger: { type: 'segment', segment: 'trial', on: 'enter' },
    });
    assert.deepEqual(exitsOf(stays, run), []);
  });
});
