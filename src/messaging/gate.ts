// The send gate's rules (pure: no I/O, the clock an argument): may this message go now, later, or never — and why.
//
// Rule order (RULE_ORDER below, each rule one entry of RULES, named by the reason it answers); the first rule with a
// verdict decides:
//   1. duplicate      skip 'duplicate'      this message key was already sent (never send twice).
//   2. control group  skip 'control_group'  marketing to a customer in the global control group (transactional goes).
//   3. reachable      skip 'unreachable'    no address on this channel (no e-mail, phone, push token…).
//   4. suppression    skip 'suppressed'     the address is suppressed on this channel: hard bounce, complaint,
//                                           unsubscribed (STOP) or invalid address; for every purpose. detail = why.
//   5. consent        skip 'no_consent'     marketing needs the latest consent for this channel to be a grant (for
//                                           e-mail with double opt-in on, a confirmed one) and, for a message about a
//                                           topic, the customer subscribed to that topic. Transactional needs no
//                                           marketing consent; it stops only on an explicit transactional revocation.
//   6. validity       skip 'expired'        the message is no longer worth sending: its send step's validFor has passed
//                                           (any purpose; a retry and a cascade's next channel too). Never sent late.
//   7. quiet hours    defer 'quiet_hours'   marketing inside the quiet hours in the customer's zone: until they end;
//                     skip 'expired'        …unless they end after the message expires.
//   8. caps           defer 'frequency_cap' marketing over a cap (per channel or over all channels, per rolling 24 h or
//                                           7 × 24 h, counting the customer's marketing sends from every journey):
//                                           until the window frees (and out of quiet hours);
//                     skip 'expired'        …unless that is after the message expires;
//                     skip 'frequency_cap'  a cap of 0, which never frees. Transactional is exempt.
//   otherwise         send on input.channel.
import type { DeferReason, GateDecision, SkipReason } from './types.ts';
import type { Channel, Purpose } from '../channels/index.ts';
import type { ConsentState, SuppressionReason } from '../consent/index.ts';
import { isValidZone, nextInWindow } from '../time/index.ts';

/** The rules in the order decide() applies them, each named by the reason it answers with; see the comment at the top. */
const RULE_ORDER = [
  'duplicate',
  'control_group',
  'unreachable',
  'suppressed',
  'no_consent',
  'expired',
  'quiet_hours',
  'frequency_cap',
] as const satisfies readonly (SkipReason | DeferReason)[];
type RuleName = (typeof RULE_ORDER)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

export type CapScope = Channel | 'all';
export interface Cap {
  perDay?: number;
  perWeek?: number;
}

export interface GateSettings {
  /** Marketing sends per customer in a rolling 24 h / 7 × 24 h, per channel and over all channels ('all'). */
  caps: { [channel in CapScope]?: Cap };
  /** Local time in the customer's zone when marketing waits; from > to crosses midnight (21:00–09:00). None = no quiet hours. */
  quietHours?: { from: string; to: string };
  /** E-mail marketing needs a consent confirmed through the confirmation link. */
  doubleOptInEmail: boolean;
  /** The sender's name as messages sign it ({{ sender.name }}). */
  senderName?: string;
  /** Who sends (a company name, address and registration): every marketing e-mail carries it, as 38-FZ asks of advertising. */
  senderIdentification?: string;
}

export const defaultGateSettings: GateSettings = {
  caps: { all: { perDay: 1, perWeek: 3 } },
  quietHours: { from: '21:00', to: '09:00' },
  doubleOptInEmail: false,
};

export interface GateInput {
  purpose: Purpose;
  channel: Channel;
  /** The customer's IANA zone (the workspace default when they have none); an unknown zone is read as UTC. */
  timezone: string;
  /** A message with this key was already sent. */
  duplicate: boolean;
  /** The customer is in the global control group now (experiments/buckets.ts inControlGroup). */
  inControlGroup: boolean;
  /** The consent in force for this channel and purpose (consent/state.ts consentFor), null if none was ever recorded. */
  consent: ConsentState | null;
  /** The message is about a subscription topic: the customer must have joined it (topicConsent). */
  topic?: string;
  topicConsent?: ConsentState | null;
  /** Why the address is suppressed on this channel, or null. */
  suppressed: SuppressionReason | null;
  /** The address on this channel, or null when the customer has none. */
  address: string | null;
  /** The customer's recent marketing sends on every channel, from any journey (a week back is enough). */
  recentMarketingSends: { channel: Channel; at: Date }[];
  settings: GateSettings;
  /** The message is worth sending until then (its send step's validFor); none = for ever. Held past it, it expires. */
  expiresAt?: Date | null;
}

const skip = (reason: SkipReason, detail: string): GateDecision => ({ kind: 'skip', reason, detail });

/** One rule: its verdict on the message at `now`, or null to let the next rule judge. */
type Rule = (input: GateInput, now: Date) => GateDecision | null;

const isMarketing = (input: GateInput) => input.purpose === 'marketing';
const validUntil = (input: GateInput) => (input.expiresAt ? `valid until ${input.expiresAt.toISOString()}` : '');
const zoneOf = (input: GateInput) => (isValidZone(input.timezone) ? input.timezone : 'UTC');
/** The first instant ≥ at when marketing may go (the end of the quiet hours in the customer's zone, or at itself). */
const allowedFrom = (input: GateInput, at: Date) => {
  const quiet = input.settings.quietHours;
  return quiet ? endOfQuietHours(at, zoneOf(input), quiet) : at;
};
/** Held until `until`: past the message's expiry it is skipped as expired instead (`why` says what held it). */
const deferOrExpire = (
  input: GateInput,
  until: Date,
  why: string,
  deferral: GateDecision & { kind: 'defer' },
): GateDecision =>
  input.expiresAt && until > input.expiresAt
    ? skip('expired', `${why}, after it expires (${validUntil(input)})`)
    : deferral;

/**
 * Every rule, one entry each (a rule missing here, or one that RULE_ORDER does not name, is a compile error). The
 * first rule in RULE_ORDER with a verdict decides; quiet hours and caps judge marketing only.
 */
const RULES: Record<RuleName, Rule> = {
  duplicate: (input) => (input.duplicate ? skip('duplicate', 'a message with this key was already sent') : null),
  control_group: (input) =>
    isMarketing(input) && input.inControlGroup
      ? skip('control_group', 'the customer is in the global control group: no marketing this period')
      : null,
  unreachable: (input) => (input.address ? null : skip('unreachable', `the customer has no ${input.channel} address`)),
  suppressed: (input) =>
    input.suppressed ? skip('suppressed', `${input.channel} address suppressed: ${input.suppressed}`) : null,
  no_consent: (input) => {
    const refused = consentRefusal(input);
    return refused ? skip('no_consent', refused) : null;
  },
  expired: (input, now) =>
    input.expiresAt && now > input.expiresAt ? skip('expired', `no longer worth sending: ${validUntil(input)}`) : null,
  quiet_hours: (input, now) => {
    if (!isMarketing(input)) return null;
    const allowed = allowedFrom(input, now);
    if (allowed <= now) return null;
    const quiet = input.settings.quietHours!;
    const why = `quiet hours ${quiet.from}–${quiet.to} (${zoneOf(input)}) until ${allowed.toISOString()}`;
    return deferOrExpire(input, allowed, why, { kind: 'defer', until: allowed, reason: 'quiet_hours', detail: why });
  },
  frequency_cap: (input, now) => {
    if (!isMarketing(input)) return null;
    const capped = capFreesAt(input.recentMarketingSends, input.channel, input.settings.caps, now);
    if (!capped) return null;
    if (capped.at === null) return skip('frequency_cap', capped.detail);
    const until = allowedFrom(input, capped.at);
    return deferOrExpire(input, until, `${capped.detail}; it frees at ${until.toISOString()}`, {
      kind: 'defer',
      until,
      reason: 'frequency_cap',
      detail: `${capped.detail}; waits until ${until.toISOString()}`,
    });
  },
};

/** The gate's verdict on one message at `now`: the first rule's, in RULE_ORDER; with none, send on input.channel. */
export function decide(input: GateInput, now: Date): GateDecision {
  for (const rule of RULE_ORDER) {
    const verdict = RULES[rule](input, now);
    if (verdict) return verdict;
  }
  return { kind: 'send', channel: input.channel };
}

/** Why consent refuses this message, or null when it allows it. */
function consentRefusal(input: GateInput): string | null {
  const { consent, channel } = input;
  if (input.purpose === 'transactional') {
    return consent && !consent.granted
      ? `the customer revoked transactional ${channel} messages (${consent.source}, ${consent.at.toISOString()})`
      : null;
  }
  if (!consent) return `no marketing consent for ${channel} on record`;
  if (!consent.granted)
    return `marketing consent for ${channel} revoked (${consent.source}, ${consent.at.toISOString()})`;
  if (channel === 'email' && input.settings.doubleOptInEmail && !consent.confirmed) {
    return 'e-mail marketing consent not confirmed yet (double opt-in: the confirmation link was not clicked)';
  }
  if (input.topic) {
    const t = input.topicConsent;
    if (!t) return `the customer never subscribed to the topic "${input.topic}"`;
    if (!t.granted) return `the customer left the topic "${input.topic}" (${t.source}, ${t.at.toISOString()})`;
  }
  return null;
}

/** The first instant ≥ at outside the quiet hours (the allowed window is their complement, crossing midnight if need be). */
export function endOfQuietHours(at: Date, zone: string, quiet: { from: string; to: string }): Date {
  if (quiet.from === quiet.to) return at;
  return nextInWindow(at, zone, { from: quiet.to, to: quiet.from });
}

/**
 * Whether a cap holds the message at `now`: null when every cap has room; else when the last full window frees
 * (null `at` for a cap of 0, which never frees) and which cap it is. Counts only sends in (now − window, now].
 * Windows only lose sends as time passes, so the latest freeing time over all caps frees them all.
 */
export function capFreesAt(
  sends: { channel: Channel; at: Date }[],
  channel: Channel,
  caps: GateSettings['caps'],
  now: Date,
): { at: Date | null; detail: string } | null {
  let worst: { at: Date | null; detail: string } | null = null;
  for (const scope of ['all', channel] as const) {
    const cap = caps[scope];
    if (!cap) continue;
    for (const [window, limit, per] of [
      [DAY, cap.perDay, 'day'],
      [WEEK, cap.perWeek, 'week'],
    ] as const) {
      if (limit === undefined) continue;
      const inWindow = sends
        .filter(
          (s) =>
            (scope === 'all' || s.channel === channel) &&
            s.at.getTime() > now.getTime() - window &&
            s.at.getTime() <= now.getTime(),
        )
        .map((s) => s.at.getTime())
        .sort((a, b) => a - b);
      if (inWindow.length < limit) continue;
      const where = scope === 'all' ? 'over all channels' : `on ${channel}`;
      const detail = `cap of ${limit} marketing message(s) a ${per} ${where} reached (${inWindow.length} in the last ${per === 'day' ? '24 h' : '7 days'})`;
      if (limit === 0) return { at: null, detail };
      const frees = new Date(inWindow[inWindow.length - limit]! + window);
      if (!worst || (worst.at && frees > worst.at)) worst = { at: frees, detail };
    }
  }
  return worst;
}
