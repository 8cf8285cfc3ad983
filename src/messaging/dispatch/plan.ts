// What to do with one message intent now (pure): route it to a channel (fixed, best or the next of a cascade), then ask
// the send gate; or see that a cascade is over because the last channel delivered.
import { decide, type GateSettings } from '../gate.ts';
import { chooseChannel, type Candidates, type ChannelPolicy } from '../routing.ts';
import type { Channel, GateDecision, Purpose, SkipReason } from '../types.ts';
import type { ConsentState, SuppressionReason } from '../../consent/types.ts';

/** What one channel offers this customer: an address, the consent in force, a suppression, the cost. */
export interface ChannelFacts {
  address: string | null;
  consent: ConsentState | null;
  suppressed: SuppressionReason | null;
  cost?: number;
  sms?: { text: string; pricePerSegment: number };
}

/** The last message tried for this intent (a cascade moves on from it, unless it was delivered). */
export interface PreviousTry {
  channel: Channel;
  status: string;
}

export interface PlanInput {
  purpose: Purpose;
  policy: ChannelPolicy;
  timezone: string;
  preferred: string | null;
  channels: Partial<Record<Channel, ChannelFacts>>;
  inControlGroup: boolean;
  recentMarketingSends: { channel: Channel; at: Date }[];
  settings: GateSettings;
  createdAt: Date;
  maxDelayMs?: number;
  previous: PreviousTry | null;
}

export type Plan =
  | { kind: 'send'; channel: Channel; address: string; cost: number; cascadeIndex: number | null; timeout: string | null }
  | { kind: 'skip'; reason: SkipReason | 'undelivered'; detail: string }
  | { kind: 'defer'; until: Date; reason: Extract<GateDecision, { kind: 'defer' }>['reason'] }
  | { kind: 'done'; detail: string };

const DELIVERED = new Set(['delivered', 'opened', 'clicked']);

/** Whether consent lets this purpose through on a channel (the gate's consent rule, for routing). */
function consents(purpose: Purpose, consent: ConsentState | null, channel: Channel, settings: GateSettings): boolean {
  if (purpose === 'transactional') return !consent || consent.granted;
  if (!consent?.granted) return false;
  return !(channel === 'email' && settings.doubleOptInEmail && !consent.confirmed);
}

export function planIntent(input: PlanInput, now: Date): Plan {
  if (input.purpose === 'marketing' && input.inControlGroup) {
    return { kind: 'skip', reason: 'control_group', detail: 'the customer is in the global control group: no marketing this period' };
  }
  const cascade = 'cascade' in input.policy ? input.policy.cascade : null;
  let from = 0;
  if (input.previous) {
    if (DELIVERED.has(input.previous.status)) return { kind: 'done', detail: `delivered on ${input.previous.channel}` };
    if (!cascade) return { kind: 'done', detail: `already tried on ${input.previous.channel} (${input.previous.status})` };
    from = cascade.findIndex((c) => c.channel === input.previous!.channel) + 1;
    if (from >= cascade.length) return { kind: 'skip', reason: 'undelivered', detail: `no delivery on any channel of the cascade (last: ${input.previous.channel}, ${input.previous.status})` };
  }
  const candidates: Candidates = {};
  for (const [name, f] of Object.entries(input.channels) as [Channel, ChannelFacts][]) {
    candidates[name] = {
      address: f.address, suppressed: !!f.suppressed, consented: consents(input.purpose, f.consent, name, input.settings),
      cost: f.cost, sms: f.sms,
    };
  }
  const route = chooseChannel(input.policy, candidates, { preferred: input.preferred, from });
  if (route.channel === null) {
    return { kind: 'skip', reason: route.reason, detail: route.why };
  }
  const f = input.channels[route.channel]!;
  const decision = decide({
    purpose: input.purpose, channel: route.channel, timezone: input.timezone, duplicate: false, inControlGroup: input.inControlGroup,
    consent: f.consent, suppressed: f.suppressed, address: f.address, recentMarketingSends: input.recentMarketingSends,
    settings: input.settings, createdAt: input.createdAt, maxDelayMs: input.maxDelayMs,
  }, now);
  if (decision.kind === 'skip') return { kind: 'skip', reason: decision.reason, detail: decision.detail ?? decision.reason };
  if (decision.kind === 'defer') return decision;
  return { kind: 'send', channel: route.channel, address: f.address!, cost: route.cost, cascadeIndex: route.index ?? null, timeout: route.timeout ?? null };
}
