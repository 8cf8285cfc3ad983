// Channel routing, table-driven: a send step's policy + what each channel can do for the customer → the channel chosen
// (or none, and why). And planning one intent when its last try waits for a retry: the gate decides again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  chooseChannel,
  costOf,
  type Candidates,
  type ChannelCandidate,
  type ChannelPolicy,
  type Route,
  type RouteOptions,
} from '../../src/messaging/routing.ts';
import { planIntent, type Plan, type PlanInput } from '../../src/messaging/dispatch/plan.ts';
import { defaultGateSettings } from '../../src/messaging/gate.ts';
import type { ConsentState } from '../../src/consent/types.ts';

const ok = (address: string, extra: Partial<ChannelCandidate> = {}): ChannelCandidate => ({
  address,
  consented: true,
  suppressed: false,
  cost: 0,
  ...extra,
});
const noAddress: ChannelCandidate = { address: null, consented: true, suppressed: false };

// about 120 characters each: Latin fits one GSM-7 part (160); Cyrillic needs UCS-2, two parts of 67
const LATIN =
  'Your cart is waiting: the blue kettle is still there and 10% off ends tonight. Tap to finish your order before midnight!!';
const CYRILLIC =
  'Ваша корзина ждёт: синий чайник всё ещё там, а скидка 10% заканчивается сегодня. Нажмите, чтобы завершить заказ до полуночи';

const customer: Candidates = {
  email: ok('ann@example.com', { cost: 0.001 }),
  sms: ok('+48600100200', { sms: { text: LATIN, pricePerSegment: 0.04 } }),
  telegram: ok('123456', { cost: 0.05 }),
  push: ok('device-token', { cost: 0 }),
};
const cascade: ChannelPolicy = {
  cascade: [
    { channel: 'push', timeout: 'PT1H' },
    { channel: 'telegram', timeout: 'PT2H' },
    { channel: 'sms', timeout: 'PT4H' },
  ],
};

/** 'channel (why)', with '#index timeout' for a cascade, or 'none: reason'. */
function shown(r: Route): string {
  if (r.channel === null) return `none: ${r.reason}`;
  return r.index === undefined ? `${r.channel} (${r.why})` : `${r.channel} #${r.index} ${r.timeout}`;
}

type Row = [scenario: string, policy: ChannelPolicy, candidates: Candidates, opts: RouteOptions, expected: string];

const rows: Row[] = [
  ['fixed e-mail', { fixed: 'email' }, customer, {}, 'email (fixed)'],
  ['fixed SMS without a phone number', { fixed: 'sms' }, { ...customer, sms: noAddress }, {}, 'none: unreachable'],
  [
    'fixed e-mail, address suppressed',
    { fixed: 'email' },
    { ...customer, email: ok('a@b.c', { suppressed: true }) },
    {},
    'none: suppressed',
  ],
  [
    'fixed push without consent',
    { fixed: 'push' },
    { ...customer, push: ok('t', { consented: false }) },
    {},
    'none: no_consent',
  ],
  ['fixed to a channel that does not exist', { fixed: 'fax' }, customer, {}, 'none: unreachable'],

  [
    'best: the customer prefers SMS',
    { best: ['email', 'sms', 'telegram'] },
    customer,
    { preferred: 'sms' },
    'sms (preferred)',
  ],
  [
    'best: preferred SMS but no phone → the cheapest of the rest',
    { best: ['sms', 'telegram', 'email'] },
    { ...customer, sms: noAddress },
    { preferred: 'sms' },
    'email (cheapest)',
  ],
  [
    "best: a preference outside the step's channels is ignored",
    { best: ['email', 'telegram'] },
    customer,
    { preferred: 'push' },
    'email (cheapest)',
  ],
  [
    'best: the cheapest skips an unconsented channel',
    { best: ['email', 'telegram'] },
    { ...customer, email: ok('a@b.c', { cost: 0.001, consented: false }) },
    {},
    'telegram (the only usable channel)',
  ],
  [
    'best: a Latin SMS (1 part × 0.04) is cheaper than Telegram (0.05)',
    { best: ['telegram', 'sms'] },
    customer,
    {},
    'sms (cheapest)',
  ],
  [
    'best: the same SMS in Cyrillic (2 parts × 0.04) is dearer: Telegram',
    { best: ['telegram', 'sms'] },
    { ...customer, sms: ok('+7900', { sms: { text: CYRILLIC, pricePerSegment: 0.04 } }) },
    {},
    'telegram (cheapest)',
  ],
  [
    'best: a tie goes to the order the step lists',
    { best: ['telegram', 'email'] },
    { ...customer, email: ok('a@b.c', { cost: 0.05 }) },
    {},
    'telegram (cheapest)',
  ],
  [
    'best: nothing usable → the refusal that got furthest',
    { best: ['email', 'sms'] },
    { email: ok('a@b.c', { consented: false }), sms: ok('+48600100200', { suppressed: true }) },
    {},
    'none: no_consent',
  ],

  ['cascade from the start: push', cascade, customer, {}, 'push #0 PT1H'],
  ['cascade: no push token → Telegram first', cascade, { ...customer, push: noAddress }, {}, 'telegram #1 PT2H'],
  ['cascade: push timed out (index 1) → Telegram', cascade, customer, { from: 1 }, 'telegram #1 PT2H'],
  [
    'cascade: push timed out, Telegram unconsented → SMS',
    cascade,
    { ...customer, telegram: ok('1', { consented: false }) },
    { from: 1 },
    'sms #2 PT4H',
  ],
  ['cascade: SMS timed out too → exhausted', cascade, customer, { from: 3 }, 'none: unreachable'],
  [
    'cascade: every step unusable',
    cascade,
    { push: noAddress, telegram: noAddress, sms: ok('+48600100200', { suppressed: true }) },
    {},
    'none: suppressed',
  ],
];

describe('channel routing', () => {
  for (const [scenario, policy, candidates, opts, expected] of rows) {
    it(scenario, () => assert.equal(shown(chooseChannel(policy, candidates, opts)), expected));
  }

  it('an SMS costs its segments × the price per segment', () => {
    assert.equal(costOf(ok('+1', { sms: { text: LATIN, pricePerSegment: 0.04 } })), 0.04);
    assert.equal(costOf(ok('+1', { sms: { text: CYRILLIC, pricePerSegment: 0.04 } })), 0.08);
    assert.equal(costOf(ok('a@b.c', { cost: 0.002 })), 0.002);
  });

  it('says which channels failed and why', () => {
    const r = chooseChannel({ best: ['email', 'sms'] }, { email: ok('a@b.c', { consented: false }), sms: noAddress });
    assert.deepEqual(r, { channel: null, reason: 'no_consent', why: 'email: no consent; sms: no address' });
    const exhausted = chooseChannel(cascade, customer, { from: 3 });
    assert.equal(exhausted.channel === null && exhausted.why, 'cascade exhausted');
  });
});

describe('planning one intent: a retry passes the gate again (pure)', () => {
  const NOON = new Date('2026-06-01T10:00:00Z'); // 12:00 in Warsaw
  const granted: ConsentState = {
    channel: 'sms',
    purpose: 'marketing',
    topic: '',
    granted: true,
    confirmed: false,
    at: new Date('2026-05-01'),
    source: 'signup_form',
    textVersion: 'v1',
  };
  const revoked: ConsentState = {
    ...granted,
    granted: false,
    source: 'sms_stop',
    at: new Date('2026-06-01T09:59:50Z'),
  };
  const smsThenEmail: ChannelPolicy = {
    cascade: [
      { channel: 'sms', timeout: 'PT1H' },
      { channel: 'email', timeout: 'PT2H' },
    ],
  };
  const input = (over: Partial<PlanInput> = {}): PlanInput => ({
    purpose: 'marketing',
    policy: smsThenEmail,
    timezone: 'Europe/Warsaw',
    preferred: null,
    inControlGroup: false,
    recentMarketingSends: [],
    settings: { ...defaultGateSettings, caps: { all: { perDay: 1 } } },
    expiresAt: null,
    previous: { channel: 'sms', status: 'queued' },
    channels: {
      sms: { address: '+48600100200', consent: granted, suppressed: null, cost: 0.05 },
      email: { address: 'ann@example.com', consent: { ...granted, channel: 'email' }, suppressed: null, cost: 0.001 },
    },
    ...over,
  });
  /** The plan in a line: what happens, and the queued try given up, if any. */
  const shown = (p: Plan) => {
    const what =
      p.kind === 'send'
        ? `send ${p.channel} ${p.address} #${p.cascadeIndex} ${p.timeout}`
        : p.kind === 'defer'
          ? `defer ${p.reason} ${p.until.toISOString()}`
          : `${p.kind}${p.kind === 'skip' ? ` ${p.reason}` : ''}`;
    return p.kind !== 'done' && p.abandoned ? `${what}; gave up ${p.abandoned.channel}: ${p.abandoned.detail}` : what;
  };

  const rows: [string, PlanInput, Date, string][] = [
    [
      'allowed: the same channel and address, keeping its cascade step and timeout',
      input(),
      NOON,
      'send sms +48600100200 #0 PT1H',
    ],
    [
      'a fixed policy: the same channel, no cascade step',
      input({ policy: { fixed: 'sms' } }),
      NOON,
      'send sms +48600100200 #null null',
    ],
    [
      'consent revoked meanwhile (a STOP), fixed: skipped, the try given up',
      input({
        policy: { fixed: 'sms' },
        channels: { sms: { address: '+48600100200', consent: revoked, suppressed: 'unsubscribed' } },
      }),
      NOON,
      'skip suppressed; gave up sms: not retried: sms address suppressed: unsubscribed',
    ],
    [
      'revoked in a cascade: given up, and the cascade goes on to e-mail',
      input({
        channels: { ...input().channels, sms: { address: '+48600100200', consent: revoked, suppressed: null } },
      }),
      NOON,
      `send email ann@example.com #1 PT2H; gave up sms: not retried: marketing consent for sms revoked (sms_stop, ${revoked.at.toISOString()})`,
    ],
    [
      'refused at the last step of a cascade: undelivered',
      input({
        previous: { channel: 'email', status: 'queued' },
        channels: { ...input().channels, email: { address: 'ann@example.com', consent: null, suppressed: null } },
      }),
      NOON,
      'skip undelivered; gave up email: not retried: no marketing consent for email on record',
    ],
    [
      'quiet hours: the retry waits, the try stays queued',
      input(),
      new Date('2026-06-01T19:30:00Z'),
      'defer quiet_hours 2026-06-02T07:00:00.000Z',
    ],
    [
      'another marketing message went meanwhile: the cap holds the retry too',
      input({ recentMarketingSends: [{ channel: 'email', at: new Date('2026-06-01T09:00:00Z') }] }),
      NOON,
      'defer frequency_cap 2026-06-02T09:00:00.000Z',
    ],
    [
      'the channel lost its provider: given up, the cascade goes on',
      input({ channels: { email: input().channels.email } }),
      NOON,
      'send email ann@example.com #1 PT2H; gave up sms: not retried: no sms provider is configured any more (PUT /api/v1/channels/sms)',
    ],
    [
      'the customer is now in the control group: given up',
      input({ inControlGroup: true }),
      NOON,
      'skip control_group; gave up sms: not retried: the customer is in the global control group: no marketing this period',
    ],
  ];
  for (const [scenario, given, now, expected] of rows)
    it(scenario, () => assert.equal(shown(planIntent(given, now)), expected));
});
