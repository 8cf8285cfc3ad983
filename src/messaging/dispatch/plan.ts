// What to do with one message intent now (pure): route it to a channel (fixed, best or the next of a cascade), then ask
// the send gate; retry a try the provider refused for now, through the same gate; or see that a cascade is over
// because the last channel delivered.
import { decide, type GateSettings } from '../gate.ts';
import { chooseChannel, costOf, type Candidates, type ChannelPolicy } from '../routing.ts';
import type { GateDecision, SkipReason } from '../types.ts';
import type { Channel, Purpose } from '../../channels/index.ts';
import type { ConsentState, SuppressionReason } from '../../consent/index.ts';

/** What one channel offers this customer: an address, the consent in force, a suppression, the cost. */
export interface ChannelFacts {
  address: string | null;
  consent: ConsentState | null;
  suppressed: SuppressionReason | null;
  cost?: number;
  sms?: { text: string; pricePerSegment: number };
}

/**
 * The last message tried for this intent: a cascade moves on from it, unless it was delivered; one the provider
 * refused for now ('queued') is retried on its channel and address (the facts of that channel then describe that
 * address).
 */
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
  /** Held past this (the send step's validFor), the message expires; null = for ever. */
  expiresAt: Date | null;
  previous: PreviousTry | null;
}

/** A queued try the gate no longer lets through: it is closed as failed, with why, and never retried. */
export interface Abandoned {
  channel: Channel;
  detail: string;
}

export type Plan =
  | {
      kind: 'send';
      channel: Channel;
      address: string;
      cost: number;
      cascadeIndex: number | null;
      timeout: string | null;
      abandoned?: Abandoned;
    }
  | { kind: 'skip'; reason: SkipReason | 'undelivered'; detail: string; abandoned?: Abandoned }
  | {
      kind: 'defer';
      until: Date;
      reason: Extract<GateDecision, { kind: 'defer' }>['reason'];
      detail?: string;
      abandoned?: Abandoned;
    }
  | { kind: 'done'; detail: string };

const DELIVERED = new Set(['delivered', 'opened', 'clicked']);

/** Whether consent lets this purpose through on a channel (the gate's consent rule, for routing). */
function consents(purpose: Purpose, consent: ConsentState | null, channel: Channel, settings: GateSettings): boolean {
  if (purpose === 'transactional') return !consent || consent.granted;
  if (!consent?.granted) return false;
  return !(channel === 'email' && settings.doubleOptInEmail && !consent.confirmed);
}

/** A channel as routing sees it. */
const candidateOf = (input: PlanInput, name: Channel, f: ChannelFacts) => ({
  address: f.address,
  suppressed: !!f.suppressed,
  consented: consents(input.purpose, f.consent, name, input.settings),
  cost: f.cost,
  sms: f.sms,
});

const cascadeOf = (policy: ChannelPolicy) => ('cascade' in policy ? policy.cascade : null);

export function planIntent(input: PlanInput, now: Date): Plan {
  if (input.purpose === 'marketing' && input.inControlGroup) {
    const plan = {
      kind: 'skip',
      reason: 'control_group',
      detail: 'the customer is in the global control group: no marketing this period',
    } as const;
    return input.previous?.status === 'queued'
      ? { ...plan, abandoned: { channel: input.previous.channel, detail: `not retried: ${plan.detail}` } }
      : plan;
  }
  const cascade = cascadeOf(input.policy);
  const previous = input.previous;
  if (previous?.status === 'queued') return planRetry(input, previous, now);
  let from = 0;
  if (previous) {
    if (DELIVERED.has(previous.status)) return { kind: 'done', detail: `delivered on ${previous.channel}` };
    if (!cascade) return { kind: 'done', detail: `already tried on ${previous.channel} (${previous.status})` };
    from = cascade.findIndex((c) => c.channel === previous.channel) + 1;
    if (from >= cascade.length) return exhausted(previous);
  }
  return routeThroughGate(input, from, now);
}

const exhausted = (previous: PreviousTry): Extract<Plan, { kind: 'skip' }> => ({
  kind: 'skip',
  reason: 'undelivered',
  detail: `no delivery on any channel of the cascade (last: ${previous.channel}, ${previous.status})`,
});

/** The channel routing picks from cascade step `from` on (0 for fixed and best), and the gate's verdict on it. */
function routeThroughGate(input: PlanInput, from: number, now: Date): Exclude<Plan, { kind: 'done' }> {
  const candidates: Candidates = {};
  for (const [name, f] of Object.entries(input.channels) as [Channel, ChannelFacts][])
    candidates[name] = candidateOf(input, name, f);
  const route = chooseChannel(input.policy, candidates, { preferred: input.preferred, from });
  if (route.channel === null) return { kind: 'skip', reason: route.reason, detail: route.why };
  const decision = gate(input, route.channel, now);
  if (decision.kind !== 'send') return decision;
  return {
    kind: 'send',
    channel: route.channel,
    address: input.channels[route.channel]!.address!,
    cost: route.cost,
    cascadeIndex: route.index ?? null,
    timeout: route.timeout ?? null,
  };
}

/**
 * A retry of a try the provider refused for now: the same channel and address, through the whole gate again with
 * today's facts (a STOP, a suppression, quiet hours or a cap that arrived meanwhile hold it like a first send). It keeps
 * its cascade step and timeout, so a cascade still waits for a delivery report after it. When the gate refuses it, the
 * try is abandoned and a cascade moves on to its next step.
 */
function planRetry(input: PlanInput, previous: PreviousTry, now: Date): Plan {
  const cascade = cascadeOf(input.policy);
  const step = cascade ? cascade.findIndex((c) => c.channel === previous.channel) : -1;
  const f = input.channels[previous.channel];
  const decision = f
    ? gate(input, previous.channel, now)
    : {
        kind: 'skip' as const,
        reason: 'unreachable' as const,
        detail: `no ${previous.channel} provider is configured any more (PUT /api/v1/channels/${previous.channel})`,
      };
  if (decision.kind === 'defer') return decision;
  if (decision.kind === 'send') {
    return {
      kind: 'send',
      channel: previous.channel,
      address: f!.address!,
      cost: costOf(candidateOf(input, previous.channel, f!)),
      cascadeIndex: step >= 0 ? step : null,
      timeout: step >= 0 ? cascade![step]!.timeout : null,
    };
  }
  const abandoned = { channel: previous.channel, detail: `not retried: ${decision.detail}` };
  if (!cascade || step < 0) return { ...decision, abandoned };
  if (step + 1 >= cascade.length) return { ...exhausted({ channel: previous.channel, status: 'failed' }), abandoned };
  return { ...routeThroughGate(input, step + 1, now), abandoned };
}

/** The send gate's verdict on one channel of this intent, as a plan (send is completed by the caller). */
function gate(
  input: PlanInput,
  channel: Channel,
  now: Date,
): { kind: 'send' } | Extract<Plan, { kind: 'skip' | 'defer' }> {
  const f = input.channels[channel]!;
  const decision = decide(
    {
      purpose: input.purpose,
      channel,
      timezone: input.timezone,
      duplicate: false,
      inControlGroup: input.inControlGroup,
      consent: f.consent,
      suppressed: f.suppressed,
      address: f.address,
      recentMarketingSends: input.recentMarketingSends,
      settings: input.settings,
      expiresAt: input.expiresAt,
    },
    now,
  );
  if (decision.kind === 'skip')
    return { kind: 'skip', reason: decision.reason, detail: decision.detail ?? decision.reason };
  if (decision.kind === 'defer') return decision;
  return { kind: 'send' };
}
