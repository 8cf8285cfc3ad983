// Channel routing (pure): which channel a send step uses for one customer, given the step's channel policy and what
// each channel can do for them (address, consent, suppression, cost).
//
// - fixed: that channel, if usable.
// - best: the customer's preferred channel if it is among the step's and usable; else the cheapest usable one (an SMS
//   costs its rendered text's segments × the price per segment, so Cyrillic text — UCS-2, 70 characters a part — can
//   make SMS dearer than another channel); ties go to the order the step lists them in.
// - cascade (push → telegram → sms): the first usable channel at or after the index reached; the dispatcher moves the
//   index on when the chosen step's timeout passes without delivery.
// A channel is usable when it has an address, is not suppressed and has consent for the message's purpose.
import { CHANNELS, type Channel } from '../channels/index.ts';
import { smsPrice } from './sms-segments.ts';

/** A send step's channel policy, as journeys write it (journeys/definition.ts). */
export type ChannelPolicy =
  | { fixed: string }
  | { best: string[] }
  | { cascade: { channel: string; timeout: string }[] };

/** What one channel can do for this customer and message. */
export interface ChannelCandidate {
  address: string | null;
  /** Consent allows this message's purpose on this channel (the gate's consent rule, checked by the caller). */
  consented: boolean;
  suppressed: boolean;
  /** The price of one message on this channel (0 when unknown). */
  cost?: number;
  /** For SMS: the rendered text and the price per segment; the cost is then smsPrice(text, pricePerSegment). */
  sms?: { text: string; pricePerSegment: number };
}

export type Candidates = Partial<Record<Channel, ChannelCandidate>>;

export interface RouteOptions {
  /** The customer's preferred channel (a trait), first for 'best' when usable. */
  preferred?: string | null;
  /** Cascade: the index reached so far (0 at the start; after step i timed out, i + 1). */
  from?: number;
}

export type UnusableReason = 'unreachable' | 'suppressed' | 'no_consent';

export type Route =
  | { channel: Channel; why: string; cost: number; index?: number; timeout?: string }
  | { channel: null; reason: UnusableReason; why: string };

/** The cost of sending on a candidate: an SMS by its segments, else its price per message. */
export function costOf(c: ChannelCandidate): number {
  return c.sms ? smsPrice(c.sms.text, c.sms.pricePerSegment) : (c.cost ?? 0);
}

const isChannel = (name: string): name is Channel => (CHANNELS as readonly string[]).includes(name);

/** Why a channel cannot carry the message, or null when it can; checked in the gate's order. */
function unusable(name: string, candidates: Candidates): { reason: UnusableReason; why: string } | null {
  const c = isChannel(name) ? candidates[name] : undefined;
  if (!isChannel(name)) return { reason: 'unreachable', why: `${name}: not a channel (${CHANNELS.join(', ')})` };
  if (!c || !c.address) return { reason: 'unreachable', why: `${name}: no address` };
  if (c.suppressed) return { reason: 'suppressed', why: `${name}: address suppressed` };
  if (!c.consented) return { reason: 'no_consent', why: `${name}: no consent` };
  return null;
}

/** Of several refusals, the one that got furthest through the gate's order names the result. */
const RANK: Record<UnusableReason, number> = { unreachable: 0, suppressed: 1, no_consent: 2 };
function none(refusals: { reason: UnusableReason; why: string }[], prefix?: string): Route {
  const reason = refusals.reduce((a, r) => (RANK[r.reason] > RANK[a] ? r.reason : a), 'unreachable' as UnusableReason);
  const why = [prefix, refusals.map((r) => r.why).join('; ')].filter(Boolean).join(': ');
  return { channel: null, reason, why: why || 'no channel to try' };
}

export function chooseChannel(policy: ChannelPolicy, candidates: Candidates, opts: RouteOptions = {}): Route {
  if ('fixed' in policy) {
    const refused = unusable(policy.fixed, candidates);
    if (refused) return { channel: null, ...refused };
    const channel = policy.fixed as Channel;
    return { channel, why: 'fixed', cost: costOf(candidates[channel]!) };
  }

  if ('best' in policy) {
    const refusals: { reason: UnusableReason; why: string }[] = [];
    const usable: Channel[] = [];
    for (const name of new Set(policy.best)) {
      const refused = unusable(name, candidates);
      if (refused) refusals.push(refused);
      else usable.push(name as Channel);
    }
    if (usable.length === 0) return none(refusals);
    const preferred = usable.find((c) => c === opts.preferred);
    if (preferred) return { channel: preferred, why: 'preferred', cost: costOf(candidates[preferred]!) };
    const priced = usable.map((channel) => ({ channel, cost: costOf(candidates[channel]!) }));
    const cheapest = priced.reduce((a, b) => (b.cost < a.cost ? b : a)); // strict: the first listed wins a tie
    return {
      channel: cheapest.channel,
      why: usable.length === 1 ? 'the only usable channel' : 'cheapest',
      cost: cheapest.cost,
    };
  }

  const from = Math.max(0, opts.from ?? 0);
  const refusals: { reason: UnusableReason; why: string }[] = [];
  for (let index = from; index < policy.cascade.length; index++) {
    const { channel, timeout } = policy.cascade[index]!;
    const refused = unusable(channel, candidates);
    if (refused) refusals.push(refused);
    else
      return {
        channel: channel as Channel,
        why: `cascade step ${index + 1} of ${policy.cascade.length}`,
        cost: costOf(candidates[channel as Channel]!),
        index,
        timeout,
      };
  }
  return none(refusals, 'cascade exhausted');
}
