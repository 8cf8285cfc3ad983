// The send gate's rules, table-driven: one message (marketing e-mail to a Warsaw customer who agreed) changed one way
// per row → the verdict, written as 'send', 'skip:reason' or 'defer:reason@instant'.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decide,
  defaultGateSettings,
  endOfQuietHours,
  type GateInput,
  type GateSettings,
} from '../../src/messaging/gate.ts';
import type { GateDecision } from '../../src/messaging/types.ts';
import type { ConsentState } from '../../src/consent/types.ts';

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
// Wednesday 10 June 2026, 10:00 UTC = 12:00 in Warsaw (CEST), 06:00 in New York (EDT), 19:00 in Tokyo
const NOW = at('2026-06-10T10:00:00Z');
const ago = (ms: number, from = NOW) => new Date(from.getTime() - ms);
const later = (ms: number, from = NOW) => new Date(from.getTime() + ms);

const consent = (granted: boolean, extra: Partial<ConsentState> = {}): ConsentState => ({
  channel: 'email',
  purpose: 'marketing',
  topic: '',
  granted,
  confirmed: false,
  at: at('2026-01-01T00:00:00Z'),
  source: 'signup_form',
  textVersion: 'v1',
  ...extra,
});

const base: GateInput = {
  purpose: 'marketing',
  channel: 'email',
  timezone: 'Europe/Warsaw',
  duplicate: false,
  inControlGroup: false,
  consent: consent(true),
  suppressed: null,
  address: 'ann@example.com',
  recentMarketingSends: [],
  settings: defaultGateSettings,
  expiresAt: null,
};
const settings = (patch: Partial<GateSettings>): GateSettings => ({ ...defaultGateSettings, ...patch });

function verdict(d: GateDecision): string {
  if (d.kind === 'send') return `send:${d.channel}`;
  if (d.kind === 'skip') return `skip:${d.reason}`;
  return `defer:${d.reason}@${d.until.toISOString()}`;
}

type Row = [scenario: string, change: Partial<GateInput>, now: Date, expected: string];

const refusals: Row[] = [
  ['a consenting, reachable customer at noon: sent', {}, NOW, 'send:email'],
  ['the same message key again', { duplicate: true }, NOW, 'skip:duplicate'],
  [
    'a duplicate is refused first, whatever else is wrong',
    { duplicate: true, address: null, consent: null },
    NOW,
    'skip:duplicate',
  ],
  ['in the global control group', { inControlGroup: true }, NOW, 'skip:control_group'],
  ['no e-mail address', { address: null }, NOW, 'skip:unreachable'],
  ['an empty address is none', { address: '' }, NOW, 'skip:unreachable'],
  ['the address hard-bounced', { suppressed: 'hard_bounce' }, NOW, 'skip:suppressed'],
  ['the address complained', { suppressed: 'complaint' }, NOW, 'skip:suppressed'],
  [
    'the number sent STOP',
    { channel: 'sms', address: '+48600100200', suppressed: 'unsubscribed' },
    NOW,
    'skip:suppressed',
  ],
  [
    'the number is invalid',
    { channel: 'sms', address: '+48600100200', suppressed: 'invalid_address' },
    NOW,
    'skip:suppressed',
  ],
  ['no consent on record', { consent: null }, NOW, 'skip:no_consent'],
  ['consent revoked', { consent: consent(false) }, NOW, 'skip:no_consent'],
  ['double opt-in on, not confirmed yet', { settings: settings({ doubleOptInEmail: true }) }, NOW, 'skip:no_consent'],
  [
    'double opt-in on, confirmed',
    { settings: settings({ doubleOptInEmail: true }), consent: consent(true, { confirmed: true }) },
    NOW,
    'send:email',
  ],
  [
    'double opt-in is for e-mail only',
    { settings: settings({ doubleOptInEmail: true }), channel: 'sms', address: '+48600100200' },
    NOW,
    'send:sms',
  ],
  ['a topic the customer never joined', { topic: 'news', topicConsent: null }, NOW, 'skip:no_consent'],
  [
    'a topic the customer left',
    { topic: 'news', topicConsent: consent(false, { channel: '*', topic: 'news' }) },
    NOW,
    'skip:no_consent',
  ],
  [
    'a topic the customer joined',
    { topic: 'news', topicConsent: consent(true, { channel: '*', topic: 'news' }) },
    NOW,
    'send:email',
  ],
  [
    'a flash sale an hour old, valid for 30 minutes: expired, never sent late',
    { expiresAt: ago(HOUR / 2) },
    NOW,
    'skip:expired',
  ],
  ['…still valid for a minute: sent', { expiresAt: later(60_000) }, NOW, 'send:email'],
  ['consent is refused before validity is looked at', { expiresAt: ago(HOUR), consent: null }, NOW, 'skip:no_consent'],
  ['an unknown time zone is read as UTC (12:00 there too)', { timezone: 'Mars/Olympus' }, NOW, 'send:email'],
];

const transactional: Row[] = [
  ['transactional needs no marketing consent', { purpose: 'transactional', consent: null }, NOW, 'send:email'],
  [
    'transactional goes to the control group',
    { purpose: 'transactional', inControlGroup: true, consent: null },
    NOW,
    'send:email',
  ],
  [
    'transactional ignores quiet hours (23:30 in Warsaw)',
    { purpose: 'transactional', consent: null },
    at('2026-06-10T21:30:00Z'),
    'send:email',
  ],
  [
    'transactional ignores caps',
    { purpose: 'transactional', consent: null, recentMarketingSends: [{ channel: 'email', at: ago(HOUR) }] },
    NOW,
    'send:email',
  ],
  [
    'transactional ignores double opt-in',
    { purpose: 'transactional', consent: null, settings: settings({ doubleOptInEmail: true }) },
    NOW,
    'send:email',
  ],
  [
    'transactional still stops on a transactional revocation',
    { purpose: 'transactional', consent: consent(false, { purpose: 'transactional' }) },
    NOW,
    'skip:no_consent',
  ],
  [
    'transactional still stops on suppression',
    { purpose: 'transactional', suppressed: 'hard_bounce' },
    NOW,
    'skip:suppressed',
  ],
  ['transactional still stops on a duplicate', { purpose: 'transactional', duplicate: true }, NOW, 'skip:duplicate'],
  [
    'a one-time code past its validity expires (transactional too)',
    { purpose: 'transactional', expiresAt: ago(5 * 60_000) },
    NOW,
    'skip:expired',
  ],
];

// Quiet hours 21:00–09:00 in the customer's own zone.
const quietHours: Row[] = [
  [
    'Warsaw 22:30 (CEST): waits for 09:00 local',
    {},
    at('2026-06-10T20:30:00Z'),
    'defer:quiet_hours@2026-06-11T07:00:00.000Z',
  ],
  ['Warsaw 08:59: one minute to wait', {}, at('2026-06-10T06:59:00Z'), 'defer:quiet_hours@2026-06-10T07:00:00.000Z'],
  ['Warsaw 09:00: allowed', {}, at('2026-06-10T07:00:00Z'), 'send:email'],
  ['Warsaw 20:59: allowed', {}, at('2026-06-10T18:59:00Z'), 'send:email'],
  ['Warsaw 21:00: quiet', {}, at('2026-06-10T19:00:00Z'), 'defer:quiet_hours@2026-06-11T07:00:00.000Z'],
  [
    'New York 22:00 (EDT) the evening before: waits for 09:00 EDT',
    { timezone: 'America/New_York' },
    at('2026-06-10T02:00:00Z'),
    'defer:quiet_hours@2026-06-10T13:00:00.000Z',
  ],
  [
    'Tokyo 22:00 at the same instant Warsaw is at 15:00',
    { timezone: 'Asia/Tokyo' },
    at('2026-06-10T13:00:00Z'),
    'defer:quiet_hours@2026-06-11T00:00:00.000Z',
  ],
  ['…and Warsaw at that instant: allowed', {}, at('2026-06-10T13:00:00Z'), 'send:email'],
  [
    'Warsaw, the night clocks go forward: 09:00 CEST is 07:00 UTC, not 08:00',
    {},
    at('2026-03-28T21:30:00Z'),
    'defer:quiet_hours@2026-03-29T07:00:00.000Z',
  ],
  [
    'Warsaw, the night clocks go back: 09:00 CET is 08:00 UTC',
    {},
    at('2026-10-24T20:00:00Z'),
    'defer:quiet_hours@2026-10-25T08:00:00.000Z',
  ],
  [
    'New York, spring forward: 09:00 EDT is 13:00 UTC',
    { timezone: 'America/New_York' },
    at('2026-03-08T03:00:00Z'),
    'defer:quiet_hours@2026-03-08T13:00:00.000Z',
  ],
  [
    'quiet until 09:00 but the offer expires in 2 hours: expired',
    { expiresAt: at('2026-06-10T22:30:00Z') },
    at('2026-06-10T20:30:00Z'),
    'skip:expired',
  ],
  [
    'quiet until 09:00 and the message is valid for 12 hours: deferred',
    { expiresAt: at('2026-06-11T08:30:00Z') },
    at('2026-06-10T20:30:00Z'),
    'defer:quiet_hours@2026-06-11T07:00:00.000Z',
  ],
  [
    'valid exactly until the end of quiet hours: deferred to that instant, still valid then',
    { expiresAt: at('2026-06-11T07:00:00Z') },
    at('2026-06-10T20:30:00Z'),
    'defer:quiet_hours@2026-06-11T07:00:00.000Z',
  ],
  ['…and sent at that instant', { expiresAt: at('2026-06-11T07:00:00Z') }, at('2026-06-11T07:00:00Z'), 'send:email'],
  [
    'quiet hours turned off',
    { settings: settings({ quietHours: undefined }) },
    at('2026-06-10T21:30:00Z'),
    'send:email',
  ],
  [
    'quiet hours inside the day (13:00–14:00)',
    { settings: settings({ quietHours: { from: '13:00', to: '14:00' } }) },
    at('2026-06-10T11:30:00Z'),
    'defer:quiet_hours@2026-06-10T12:00:00.000Z',
  ],
  [
    'the control group is refused before quiet hours are looked at',
    { inControlGroup: true },
    at('2026-06-10T20:30:00Z'),
    'skip:control_group',
  ],
];

// Caps count the customer's marketing sends from every journey: the default is 1 a day and 3 a week over all channels.
const sends = (...list: [channel: 'email' | 'sms' | 'push', hoursAgo: number][]) =>
  list.map(([channel, h]) => ({ channel, at: ago(h * HOUR) }));
const caps: Row[] = [
  ['nothing sent this week', { recentMarketingSends: [] }, NOW, 'send:email'],
  [
    'the cart journey sent an e-mail 20 h ago: the day is full until 24 h after it',
    { recentMarketingSends: sends(['email', 20]) },
    NOW,
    'defer:frequency_cap@2026-06-10T14:00:00.000Z',
  ],
  [
    '…an SMS by another journey counts the same (the cap is over all channels)',
    { recentMarketingSends: sends(['sms', 20]) },
    NOW,
    'defer:frequency_cap@2026-06-10T14:00:00.000Z',
  ],
  ['a send 25 h ago is out of the rolling day', { recentMarketingSends: sends(['email', 25]) }, NOW, 'send:email'],
  [
    'three journeys sent one each in the last 6 days: the week is full until the oldest is 7 days old',
    { recentMarketingSends: sends(['email', 6 * 24], ['sms', 4 * 24], ['push', 2 * 24]) },
    NOW,
    'defer:frequency_cap@2026-06-11T10:00:00.000Z',
  ],
  [
    'two this week and none today: room for a third',
    { recentMarketingSends: sends(['email', 6 * 24], ['sms', 4 * 24]) },
    NOW,
    'send:email',
  ],
  [
    'the window frees at 02:00 in Warsaw, in quiet hours: deferred to 09:00',
    { recentMarketingSends: sends(['email', 10]) },
    NOW,
    'defer:frequency_cap@2026-06-11T07:00:00.000Z',
  ],
  [
    'the day frees in 4 h but the message is valid for 1 h: expired',
    { recentMarketingSends: sends(['email', 20]), expiresAt: later(HOUR) },
    NOW,
    'skip:expired',
  ],
  [
    'the day frees in 4 h and the message is valid for 12 h: deferred',
    { recentMarketingSends: sends(['email', 20]), expiresAt: later(12 * HOUR) },
    NOW,
    'defer:frequency_cap@2026-06-10T14:00:00.000Z',
  ],
  [
    'a per-channel cap: 1 SMS a day, one sent 2 h ago → the next SMS waits',
    {
      channel: 'sms',
      address: '+48600100200',
      settings: settings({ caps: { sms: { perDay: 1 } } }),
      recentMarketingSends: sends(['sms', 2]),
    },
    NOW,
    'defer:frequency_cap@2026-06-11T08:00:00.000Z',
  ],
  [
    '…while an e-mail is free to go',
    { settings: settings({ caps: { sms: { perDay: 1 } } }), recentMarketingSends: sends(['sms', 2]) },
    NOW,
    'send:email',
  ],
  ['a cap of 0: never', { settings: settings({ caps: { email: { perWeek: 0 } } }) }, NOW, 'skip:frequency_cap'],
  [
    'no caps at all',
    { settings: settings({ caps: {} }), recentMarketingSends: sends(['email', 1], ['email', 2], ['email', 3]) },
    NOW,
    'send:email',
  ],
  [
    'the busiest cap decides: day frees in 4 h, week in 1 day',
    { recentMarketingSends: sends(['email', 20], ['email', 6 * 24], ['sms', 5 * 24]) },
    NOW,
    'defer:frequency_cap@2026-06-11T10:00:00.000Z',
  ],
  [
    'quiet hours come before caps',
    { recentMarketingSends: sends(['email', 1]) },
    at('2026-06-10T20:30:00Z'),
    'defer:quiet_hours@2026-06-11T07:00:00.000Z',
  ],
];

describe('send gate', () => {
  for (const [title, rows] of [
    ['refusals in rule order', refusals],
    ['transactional is exempt', transactional],
    ["quiet hours in the customer's zone", quietHours],
    ['frequency caps across journeys', caps],
  ] as const) {
    describe(title, () => {
      for (const [scenario, change, now, expected] of rows) {
        it(scenario, () => assert.equal(verdict(decide({ ...base, ...change }, now)), expected));
      }
    });
  }

  it('every refusal says why', () => {
    const d = decide({ ...base, consent: consent(false, { source: 'unsubscribe_link' }) }, NOW);
    assert.equal(d.kind, 'skip');
    assert.match((d as { detail: string }).detail, /revoked \(unsubscribe_link/);
    const cap = decide({ ...base, recentMarketingSends: sends(['email', 20]), expiresAt: later(HOUR) }, NOW);
    assert.match(
      (cap as { detail: string }).detail,
      /cap of 1 marketing message\(s\) a day over all channels.*frees at 2026-06-10T14:00:00.000Z, after it expires \(valid until 2026-06-10T11:00:00.000Z\)/,
    );
    const quiet = decide(base, at('2026-06-10T20:30:00Z'));
    assert.equal(
      (quiet as { detail: string }).detail,
      'quiet hours 21:00–09:00 (Europe/Warsaw) until 2026-06-11T07:00:00.000Z',
    );
    const dbl = decide({ ...base, settings: settings({ doubleOptInEmail: true }) }, NOW);
    assert.match((dbl as { detail: string }).detail, /double opt-in/);
  });

  it('the default settings: 1 a day and 3 a week over all channels, quiet 21:00–09:00, no double opt-in', () => {
    assert.deepEqual(defaultGateSettings, {
      caps: { all: { perDay: 1, perWeek: 3 } },
      quietHours: { from: '21:00', to: '09:00' },
      doubleOptInEmail: false,
    });
  });

  it('the end of quiet hours is the instant itself outside them, and quiet hours from = to are none', () => {
    const noon = at('2026-06-10T10:00:00Z');
    assert.equal(endOfQuietHours(noon, 'Europe/Warsaw', { from: '21:00', to: '09:00' }), noon);
    assert.equal(
      endOfQuietHours(at('2026-06-10T22:00:00Z'), 'Europe/Warsaw', { from: '22:00', to: '22:00' }).toISOString(),
      '2026-06-10T22:00:00.000Z',
    );
  });
});
