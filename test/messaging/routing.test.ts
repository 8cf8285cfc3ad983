// Channel routing, table-driven: a send step's policy + what each channel can do for the customer → the channel chosen
// (or none, and why).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseChannel, costOf, type Candidates, type ChannelCandidate, type ChannelPolicy, type Route, type RouteOptions } from '../../src/messaging/routing.ts';

const ok = (address: string, extra: Partial<ChannelCandidate> = {}): ChannelCandidate => ({ address, consented: true, suppressed: false, cost: 0, ...extra });
const noAddress: ChannelCandidate = { address: null, consented: true, suppressed: false };

// about 120 characters each: Latin fits one GSM-7 part (160); Cyrillic needs UCS-2, two parts of 67
const LATIN = 'Your cart is waiting: the blue kettle is still there and 10% off ends tonight. Tap to finish your order before midnight!!';
const CYRILLIC = 'Ваша корзина ждёт: синий чайник всё ещё там, а скидка 10% заканчивается сегодня. Нажмите, чтобы завершить заказ до полуночи';

const customer: Candidates = {
  email: ok('ann@example.com', { cost: 0.001 }),
  sms: ok('+48600100200', { sms: { text: LATIN, pricePerSegment: 0.04 } }),
  telegram: ok('123456', { cost: 0.05 }),
  push: ok('device-token', { cost: 0 }),
};
const cascade: ChannelPolicy = { cascade: [{ channel: 'push', timeout: 'PT1H' }, { channel: 'telegram', timeout: 'PT2H' }, { channel: 'sms', timeout: 'PT4H' }] };

/** 'channel (why)', with '#index timeout' for a cascade, or 'none: reason'. */
function shown(r: Route): string {
  if (r.channel === null) return `none: ${r.reason}`;
  return r.index === undefined ? `${r.channel} (${r.why})` : `${r.channel} #${r.index} ${r.timeout}`;
}

type Row = [scenario: string, policy: ChannelPolicy, candidates: Candidates, opts: RouteOptions, expected: string];

const rows: Row[] = [
  ['fixed e-mail', { fixed: 'email' }, customer, {}, 'email (fixed)'],
  ['fixed SMS without a phone number', { fixed: 'sms' }, { ...customer, sms: noAddress }, {}, 'none: unreachable'],
  ['fixed e-mail, address suppressed', { fixed: 'email' }, { ...customer, email: ok('a@b.c', { suppressed: true }) }, {}, 'none: suppressed'],
  ['fixed push without consent', { fixed: 'push' }, { ...customer, push: ok('t', { consented: false }) }, {}, 'none: no_consent'],
  ['fixed to a channel that does not exist', { fixed: 'fax' }, customer, {}, 'none: unreachable'],

  ['best: the customer prefers SMS', { best: ['email', 'sms', 'telegram'] }, customer, { preferred: 'sms' }, 'sms (preferred)'],
  ['best: preferred SMS but no phone → the cheapest of the rest', { best: ['sms', 'telegram', 'email'] }, { ...customer, sms: noAddress }, { preferred: 'sms' }, 'email (cheapest)'],
  ['best: a preference outside the step\'s channels is ignored', { best: ['email', 'telegram'] }, customer, { preferred: 'push' }, 'email (cheapest)'],
  ['best: the cheapest skips an unconsented channel', { best: ['email', 'telegram'] }, { ...customer, email: ok('a@b.c', { cost: 0.001, consented: false }) }, {}, 'telegram (the only usable channel)'],
  ['best: a Latin SMS (1 part × 0.04) is cheaper than Telegram (0.05)', { best: ['telegram', 'sms'] }, customer, {}, 'sms (cheapest)'],
  ['best: the same SMS in Cyrillic (2 parts × 0.04) is dearer: Telegram',
    { best: ['telegram', 'sms'] }, { ...customer, sms: ok('+7900', { sms: { text: CYRILLIC, pricePerSegment: 0.04 } }) }, {}, 'telegram (cheapest)'],
  ['best: a tie goes to the order the step lists', { best: ['telegram', 'email'] }, { ...customer, email: ok('a@b.c', { cost: 0.05 }) }, {}, 'telegram (cheapest)'],
  ['best: nothing usable → the refusal that got furthest', { best: ['email', 'sms'] },
    { email: ok('a@b.c', { consented: false }), sms: ok('+48600100200', { suppressed: true }) }, {}, 'none: no_consent'],

  ['cascade from the start: push', cascade, customer, {}, 'push #0 PT1H'],
  ['cascade: no push token → Telegram first', cascade, { ...customer, push: noAddress }, {}, 'telegram #1 PT2H'],
  ['cascade: push timed out (index 1) → Telegram', cascade, customer, { from: 1 }, 'telegram #1 PT2H'],
  ['cascade: push timed out, Telegram unconsented → SMS', cascade, { ...customer, telegram: ok('1', { consented: false }) }, { from: 1 }, 'sms #2 PT4H'],
  ['cascade: SMS timed out too → exhausted', cascade, customer, { from: 3 }, 'none: unreachable'],
  ['cascade: every step unusable', cascade, { push: noAddress, telegram: noAddress, sms: ok('+48600100200', { suppressed: true }) }, {}, 'none: suppressed'],
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
