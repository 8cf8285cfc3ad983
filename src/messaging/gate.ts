// The send gate's rules (pure: no I/O, the clock an argument): may this message go now, later, or never — and why.
//
// Rule order; the first rule that refuses decides:
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
//      quiet hours    defer 'quiet_hours'   marketing inside the quiet hours in the customer's zone: until they end;
//                     skip 'expired'        …unless they end after the message expires.
//   7. caps           defer 'frequency_cap' marketing over a cap (per channel or over all channels, per rolling 24 h or
//                                           7 × 24 h, counting the customer's marketing sends from every journey):
//                                           until the window frees (and out of quiet hours);
//                     skip 'expired'        …unless that is after the message expires;
//                     skip 'frequency_cap'  a cap of 0, which never frees. Transactional is exempt.
//   otherwise         send on input.channel.
import type { Channel, GateDecision, Purpose, SkipReason } from './types.ts';
import type { ConsentState, SuppressionReason } from '../consent/types.ts';
import { isValidZone, nextInWindow } from '../time/index.ts';

/** The rules in the order decide() applies them (the reasons they answer with); see the comment at the top. */
export const RULE_ORDER = ['duplicate', 'control_group', 'unreachable', 'suppressed', 'no_consent', 'expired', 'quiet_hours', 'frequency_cap'] as const;

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

/** The gate's verdict on one message at `now`; see the rule order above. */
export function decide(input: GateInput, now: Date): GateDecision {
  const marketing = input.purpose === 'marketing';
  if (input.duplicate) return skip('duplicate', 'a message with this key was already sent');
  if (marketing && input.inControlGroup) return skip('control_group', 'the customer is in the global control group: no marketing this period');
  if (!input.address) return skip('unreachable', `the customer has no ${input.channel} address`);
  if (input.suppressed) return skip('suppressed', `${input.channel} address suppressed: ${input.suppressed}`);
  const refused = consentRefusal(input);
  if (refused) return skip('no_consent', refused);

  const expires = input.expiresAt ?? null;
  const validUntil = expires ? `valid until ${expires.toISOString()}` : '';
  if (expires && now > expires) return skip('expired', `no longer worth sending: ${validUntil}`);
  if (!marketing) return { kind: 'send', channel: input.channel };

  const zone = isValidZone(input.timezone) ? input.timezone : 'UTC';
  const quiet = input.settings.quietHours;
  const allowedFrom = (at: Date) => (quiet ? endOfQuietHours(at, zone, quiet) : at);
  const allowed = allowedFrom(now);
  if (allowed > now) {
    const why = `quiet hours ${quiet!.from}–${quiet!.to} (${zone}) until ${allowed.toISOString()}`;
    if (expires && allowed > expires) return skip('expired', `${why}, after it expires (${validUntil})`);
    return { kind: 'defer', until: allowed, reason: 'quiet_hours', detail: why };
  }

  const capped = capFreesAt(input.recentMarketingSends, input.channel, input.settings.caps, now);
  if (capped) {
    if (capped.at === null) return skip('frequency_cap', capped.detail);
    const until = allowedFrom(capped.at);
    if (expires && until > expires) return skip('expired', `${capped.detail}; it frees at ${until.toISOString()}, after it expires (${validUntil})`);
    return { kind: 'defer', until, reason: 'frequency_cap', detail: `${capped.detail}; waits until ${until.toISOString()}` };
  }
  return { kind: 'send', channel: input.channel };
}

/** Why consent refuses this message, or null when it allows it. */
function consentRefusal(input: GateInput): string | null {
  const { consent, channel } = input;
  if (input.purpose === 'transactional') {
    return consent && !consent.granted ? `the customer revoked transactional ${channel} messages (${consent.source}, ${consent.at.toISOString()})` : null;
  }
  if (!consent) return `no marketing consent for ${channel} on record`;
  if (!consent.granted) return `marketing consent for ${channel} revoked (${consent.source}, ${consent.at.toISOString()})`;
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
export function capFreesAt(sends: { channel: Channel; at: Date }[], channel: Channel, caps: GateSettings['caps'], now: Date): { at: Date | null; detail: string } | null {
  let worst: { at: Date | null; detail: string } | null = null;
  for (const scope of ['all', channel] as const) {
    const cap = caps[scope];
    if (!cap) continue;
    for (const [window, limit, per] of [[DAY, cap.perDay, 'day'], [WEEK, cap.perWeek, 'week']] as const) {
      if (limit === undefined) continue;
      const inWindow = sends
        .filter((s) => (scope === 'all' || s.channel === channel) && s.at.getTime() > now.getTime() - window && s.at.getTime() <= now.getTime())
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
