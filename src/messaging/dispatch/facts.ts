// What the dispatcher needs to know about a batch of intents before deciding: each customer (addresses per channel,
// zone, preferred channel), consent and suppressions, recent marketing sends (those still being sent included), the
// control group, the gate settings, the configured providers, the previous try of the same message, and the content
// rendered for each channel it may go to, with that channel's own unsubscribe and preference links.
import type { Queryable } from '../../store/index.ts';
import type { ChannelPolicy } from '../routing.ts';
import { CHANNELS, type Channel, type Provider, newestFirst } from '../../channels/index.ts';
import type { ChannelFacts, PlanInput, PreviousTry } from './plan.ts';
import type { DispatchOptions } from './dispatcher.ts';
import {
  confirmationLink,
  consentFor,
  consentLinksFor,
  consentStates,
  isConfirmationIntent,
  suppressedAmong,
  type ConsentLinks,
} from '../../consent/index.ts';
import { getGateSettings } from '../gate-settings.ts';
import { getJourneySettings } from '../../journeys/index.ts';
import { inControlGroup } from '../../experiments/index.ts';
import { DAY_MS, isValidZone } from '../../time/index.ts';
import { assertNever } from '../../lib/index.ts';
import { customersOf, lastTries, recentMarketing } from './store.ts';

export interface IntentRow {
  id: string;
  workspace_id: string;
  message_key: string;
  customer_id: string;
  journey_id: string | null;
  step_id: string | null;
  purpose: string;
  template: string;
  channel: ChannelPolicy;
  params: Record<string, unknown>;
  context: Record<string, unknown>;
  created_at: Date;
  cascade_index: number;
  /** The journey run that wrote it (its exits cancel it), or null for other messages (a double opt-in e-mail). */
  run_id: string | null;
  /** Held past this, it expires (the send step's validFor); null = for ever. */
  expires_at: Date | null;
  /** The coupon pool the send step gives a code from (src/coupons/assign.ts), or null. */
  coupon_pool?: string | null;
}

export interface IntentFacts {
  customer: Record<string, unknown> | null;
  providers: Map<Channel, { provider: Provider; perSecond: number | null; price: number }>;
  /** The template variant's locale per rendered channel (the customer's fallback chain can end differently per channel). */
  locales: Partial<Record<Channel, string>>;
  content: Partial<Record<Channel, Record<string, unknown>>> | null;
  renderError: string | null;
  plan: PlanInput | null;
  /** The last try of this message (a 'queued' one is retried through the gate on its channel and address). */
  previous: PreviousTry | null;
}

/** The customer's addresses on a channel, the preferred first: e-mail, phone, push token, Web Push subscriptions (newest first), Telegram chat, their id. */
export function addressesOn(channel: Channel, c: Record<string, any>): string[] {
  const t = (c.traits ?? {}) as Record<string, any>;
  const one = (v: unknown) => (typeof v === 'string' && v ? [v] : []);
  switch (channel) {
    case 'email':
      return one(c.email);
    case 'sms':
      return one(c.phone);
    case 'push':
      return one(t.push_token);
    case 'webpush':
      return newestFirst(t.webpush_subscriptions).map((s) => JSON.stringify(s));
    case 'telegram':
      return t.telegram_chat_id !== undefined && t.telegram_chat_id !== null ? [String(t.telegram_chat_id)] : [];
    case 'webhook':
      return [String(c.id)];
    default:
      return assertNever(channel, 'channel');
  }
}

/**
 * The address a message goes to on a channel: the first of addressesOn that is not suppressed (a browser that
 * unsubscribed leaves the customer's newer or other ones), else the first, which the gate then refuses as suppressed.
 */
export function addressOn(
  channel: Channel,
  c: Record<string, any>,
  suppressed: (address: string) => boolean = () => false,
): string | null {
  const all = addressesOn(channel, c);
  return all.find((a) => !suppressed(a)) ?? all[0] ?? null;
}

const policyChannels = (p: ChannelPolicy): Channel[] => {
  const names = 'fixed' in p ? [p.fixed] : 'best' in p ? p.best : p.cascade.map((c) => c.channel);
  return [...new Set(names)].filter((n): n is Channel => (CHANNELS as readonly string[]).includes(n));
};

export async function loadFacts(
  tx: Queryable,
  intents: IntentRow[],
  now: Date,
  opts: DispatchOptions,
): Promise<Map<string, IntentFacts>> {
  const out = new Map<string, IntentFacts>();
  const customers = new Map((await customersOf(tx, intents)).map((c) => [`${c.workspace_id}:${c.id}`, c]));
  const previous = new Map((await lastTries(tx, intents)).map((m) => [`${m.workspace_id}:${m.message_key}`, m]));
  const lastTry = (i: IntentRow) => previous.get(`${i.workspace_id}:${i.message_key}`) ?? null;
  // Caps count rolling 24 h and 7 × 24 h windows: eight days back is enough.
  const recent = await recentMarketing(tx, intents, new Date(now.getTime() - 8 * DAY_MS));
  type PerWs = {
    gate: Awaited<ReturnType<typeof getGateSettings>>;
    journeys: Awaited<ReturnType<typeof getJourneySettings>>;
    providers: IntentFacts['providers'];
    consents: Awaited<ReturnType<typeof consentStates>>;
    suppressed: Map<string, string>;
    links: Map<string, ConsentLinks>;
  };
  const perWs = new Map<string, PerWs>();
  const wantedOf = (i: IntentRow, providers: IntentFacts['providers']) =>
    policyChannels(i.channel).filter((c) => providers.has(c));
  // Everything per workspace in a handful of queries for the whole batch (not per intent).
  for (const ws of new Set(intents.map((i) => i.workspace_id))) {
    const mine = intents.filter((i) => i.workspace_id === ws);
    const providers: IntentFacts['providers'] = new Map();
    for (const ch of new Set(mine.flatMap((i) => policyChannels(i.channel)))) {
      const p = await opts.providers.get(tx, ws, ch);
      if (p) providers.set(ch, p);
    }
    // Each channel's message carries links naming that channel: an e-mail's one-click unsubscribe stops e-mail.
    const targets = mine.flatMap((i) =>
      wantedOf(i, providers).map((channel) => ({ intent: i.id, customerId: i.customer_id, channel })),
    );
    const linkList = await consentLinksFor(tx, ws, targets, opts.baseUrl);
    const pairs = mine.flatMap((i) => {
      const c = customers.get(`${ws}:${i.customer_id}`);
      const last = lastTry(i);
      const retried = last?.status === 'queued' ? [{ channel: last.channel, address: last.address }] : [];
      return c
        ? [
            ...retried,
            ...policyChannels(i.channel).flatMap((ch) =>
              addressesOn(ch, c).map((address) => ({ channel: ch, address })),
            ),
          ]
        : [];
    });
    perWs.set(ws, {
      gate: await getGateSettings(tx, ws),
      journeys: await getJourneySettings(tx, ws),
      providers,
      consents: await consentStates(
        tx,
        ws,
        mine.map((i) => i.customer_id),
      ),
      suppressed: await suppressedAmong(tx, ws, pairs),
      links: new Map(targets.map((t, k) => [`${t.intent}\u0000${t.channel}`, linkList[k]!])),
    });
  }

  await opts.renderer.prepare?.(
    tx,
    intents.filter((i) => customers.has(`${i.workspace_id}:${i.customer_id}`)),
    now,
  );
  for (const intent of intents) {
    const ws = perWs.get(intent.workspace_id)!;
    const customer = customers.get(`${intent.workspace_id}:${intent.customer_id}`) ?? null;
    const last = lastTry(intent);
    const facts: IntentFacts = {
      customer,
      providers: ws.providers,
      locales: {},
      content: null,
      renderError: null,
      plan: null,
      previous: last ? { channel: last.channel, status: last.status } : null,
    };
    out.set(intent.id, facts);
    if (!customer) continue;
    const wanted = wantedOf(intent, ws.providers);
    const linksOf = (ch: Channel) => ws.links.get(`${intent.id}\u0000${ch}`)!;
    // The double opt-in e-mail carries its confirmation link (made here, so the token exists only in this message).
    const confirm: Record<string, string> = isConfirmationIntent(intent)
      ? { confirm: await confirmationLink(tx, intent, opts.baseUrl) }
      : {};
    const links = (ch: Channel) => ({
      unsubscribe: linksOf(ch).unsubscribe,
      preferences: linksOf(ch).preferences,
      ...confirm,
    });
    const rendered = await opts.renderer.render(tx, intent, customer, wanted, links, now);
    if (!rendered.ok) {
      facts.renderError = rendered.error;
      continue;
    }
    facts.locales = rendered.locales;
    const content = (facts.content = rendered.content as NonNullable<IntentFacts['content']>);
    // Marketing e-mail carries the one-click unsubscribe headers (RFC 2369 / RFC 8058) of the e-mail channel.
    const email = (content.email as { email?: { headers?: Record<string, string> } } | undefined)?.email;
    if (email && intent.purpose === 'marketing') email.headers = { ...email.headers, ...linksOf('email').headers };
    const states = ws.consents.get(intent.customer_id) ?? [];
    const isSuppressed = (ch: Channel, address: string) => ws.suppressed.has(`${ch}\u0000${address}`);
    const channels: PlanInput['channels'] = {};
    for (const ch of wanted) {
      // A retry goes to the address the refused try went to; a new message to the customer's best usable one.
      const address =
        last?.status === 'queued' && last.channel === ch
          ? last.address
          : addressOn(ch, customer, (a) => isSuppressed(ch, a));
      const p = ws.providers.get(ch)!;
      const sms = ch === 'sms' ? (content.sms as { sms?: { text: string } } | undefined)?.sms : undefined;
      channels[ch] = {
        address,
        consent: consentFor(states, ch, intent.purpose as 'marketing' | 'transactional'),
        suppressed: address
          ? ((ws.suppressed.get(`${ch}\u0000${address}`) as ChannelFacts['suppressed']) ?? null)
          : null,
        cost: p.price,
        ...(sms ? { sms: { text: sms.text, pricePerSegment: p.price } } : {}),
      };
    }
    const zone =
      typeof customer.timezone === 'string' && isValidZone(customer.timezone)
        ? customer.timezone
        : ws.journeys.timezone;
    facts.plan = {
      purpose: intent.purpose as 'marketing' | 'transactional',
      policy: intent.channel,
      timezone: zone,
      preferred: typeof customer.traits?.preferred_channel === 'string' ? customer.traits.preferred_channel : null,
      channels,
      inControlGroup: inControlGroup(intent.workspace_id, intent.customer_id, now, ws.journeys),
      expiresAt: intent.expires_at ? new Date(intent.expires_at) : null,
      // A cascade's earlier channel (or this message's own try waiting for a retry) is the same message, not another one against the caps.
      recentMarketingSends: recent
        .filter(
          (r) =>
            r.workspace_id === intent.workspace_id &&
            r.customer_id === intent.customer_id &&
            r.message_key !== intent.message_key,
        )
        .map((r) => ({ channel: r.channel, at: new Date(r.at) })),
      settings: ws.gate,
      previous: facts.previous,
    };
  }
  return out;
}
