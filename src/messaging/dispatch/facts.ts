// What the dispatcher needs to know about a batch of intents before deciding: each customer (addresses per channel,
// zone, preferred channel), consent and suppressions, recent marketing sends, the control group, the gate settings,
// the configured providers, the previous try of the same message, and the rendered content.
import type { Queryable } from '../../store/db.ts';
import type { ChannelPolicy } from '../routing.ts';
import { CHANNELS, type Channel, type Provider } from '../types.ts';
import type { ChannelFacts, PlanInput } from './plan.ts';
import type { DispatchOptions } from './dispatcher.ts';
import { confirmationLink, consentFor, consentLinksFor, consentStates, getGateSettings, isConfirmationIntent, suppressedAmong } from '../../consent/store.ts';
import { getJourneySettings } from '../../journeys/store/control.ts';
import { inControlGroup } from '../../journeys/buckets.ts';
import { isValidZone } from '../../journeys/time.ts';

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
}

export interface IntentFacts {
  customer: Record<string, unknown> | null;
  providers: Map<Channel, { provider: Provider; perSecond: number | null; price: number }>;
  locale: string | null;
  content: Partial<Record<Channel, Record<string, unknown>>> | null;
  renderError: string | null;
  plan: PlanInput | null;
  /** The same channel again after a retryable error. */
  retry: { channel: Channel; address: string } | null;
}

const DAY = 86_400_000;

/** The customer's address on a channel: e-mail, phone, a push token or subscription, a Telegram chat, or their id. */
export function addressOn(channel: Channel, c: Record<string, any>): string | null {
  const t = (c.traits ?? {}) as Record<string, any>;
  switch (channel) {
    case 'email': return c.email ?? null;
    case 'sms': return c.phone ?? null;
    case 'push': return typeof t.push_token === 'string' ? t.push_token : null;
    case 'webpush': {
      const subs = t.webpush_subscriptions;
      return Array.isArray(subs) && subs.length ? JSON.stringify(subs[subs.length - 1]) : null;
    }
    case 'telegram': return t.telegram_chat_id !== undefined && t.telegram_chat_id !== null ? String(t.telegram_chat_id) : null;
    case 'webhook': return String(c.id);
  }
}

const policyChannels = (p: ChannelPolicy): Channel[] => {
  const names = 'fixed' in p ? [p.fixed] : 'best' in p ? p.best : p.cascade.map((c) => c.channel);
  return [...new Set(names)].filter((n): n is Channel => (CHANNELS as readonly string[]).includes(n));
};

export async function loadFacts(tx: Queryable, intents: IntentRow[], now: Date, opts: DispatchOptions): Promise<Map<string, IntentFacts>> {
  const out = new Map<string, IntentFacts>();
  const customers = new Map((await tx.query<Record<string, any>>(
    `SELECT c.*, c.id::text AS id FROM customers c JOIN unnest($1::text[], $2::bigint[]) AS w(ws, id) ON c.workspace_id = w.ws AND c.id = w.id`,
    [intents.map((i) => i.workspace_id), intents.map((i) => i.customer_id)],
  )).map((c) => [`${c.workspace_id}:${c.id}`, c]));
  const previous = new Map((await tx.query<{ workspace_id: string; message_key: string; channel: Channel; status: string; address: string }>(
    `SELECT DISTINCT ON (m.workspace_id, m.message_key) m.workspace_id, m.message_key, m.channel, m.status, m.address FROM messages m
     JOIN unnest($1::text[], $2::text[]) AS w(ws, k) ON m.workspace_id = w.ws AND m.message_key = w.k
     ORDER BY m.workspace_id, m.message_key, m.id DESC`,
    [intents.map((i) => i.workspace_id), intents.map((i) => i.message_key)],
  )).map((m) => [`${m.workspace_id}:${m.message_key}`, m]));
  const recent = await tx.query<{ workspace_id: string; customer_id: string; message_key: string; channel: Channel; sent_at: Date }>(
    `SELECT m.workspace_id, m.customer_id::text, m.message_key, m.channel, m.sent_at FROM messages m
     JOIN unnest($1::text[], $2::bigint[]) AS w(ws, id) ON m.workspace_id = w.ws AND m.customer_id = w.id
     WHERE m.purpose = 'marketing' AND m.sent_at > $3`,
    [intents.map((i) => i.workspace_id), intents.map((i) => i.customer_id), new Date(now.getTime() - 8 * DAY)],
  );
  type PerWs = {
    gate: Awaited<ReturnType<typeof getGateSettings>>; journeys: Awaited<ReturnType<typeof getJourneySettings>>; providers: IntentFacts['providers'];
    consents: Awaited<ReturnType<typeof consentStates>>; suppressed: Map<string, string>; links: Map<string, { unsubscribe: string; preferences: string; headers: Record<string, string> }>;
  };
  const perWs = new Map<string, PerWs>();
  // Everything per workspace in a handful of queries for the whole batch (not per intent).
  for (const ws of new Set(intents.map((i) => i.workspace_id))) {
    const mine = intents.filter((i) => i.workspace_id === ws);
    const providers: IntentFacts['providers'] = new Map();
    for (const ch of new Set(mine.flatMap((i) => policyChannels(i.channel)))) {
      const p = await opts.providers.get(tx, ws, ch);
      if (p) providers.set(ch, p);
    }
    const firstChannel = (i: IntentRow) => policyChannels(i.channel).find((c) => providers.has(c)) ?? 'email';
    const linkList = await consentLinksFor(tx, ws, mine.map((i) => ({ customerId: i.customer_id, channel: firstChannel(i) })), opts.baseUrl);
    const pairs = mine.flatMap((i) => {
      const c = customers.get(`${ws}:${i.customer_id}`);
      return c ? policyChannels(i.channel).flatMap((ch) => {
        const address = addressOn(ch, c);
        return address ? [{ channel: ch, address }] : [];
      }) : [];
    });
    perWs.set(ws, {
      gate: await getGateSettings(tx, ws), journeys: await getJourneySettings(tx, ws), providers,
      consents: await consentStates(tx, ws, mine.map((i) => i.customer_id)),
      suppressed: await suppressedAmong(tx, ws, pairs),
      links: new Map(mine.map((i, k) => [i.id, linkList[k]!])),
    });
  }

  for (const intent of intents) {
    const ws = perWs.get(intent.workspace_id)!;
    const customer = customers.get(`${intent.workspace_id}:${intent.customer_id}`) ?? null;
    const facts: IntentFacts = { customer, providers: ws.providers, locale: null, content: null, renderError: null, plan: null, retry: null };
    out.set(intent.id, facts);
    if (!customer) continue;
    const prev = previous.get(`${intent.workspace_id}:${intent.message_key}`) ?? null;
    const wanted = policyChannels(intent.channel).filter((c) => ws.providers.has(c));
    const links = ws.links.get(intent.id)!;
    // The double opt-in e-mail carries its confirmation link (made here, so the token exists only in this message).
    const confirm: Record<string, string> = isConfirmationIntent(intent) ? { confirm: await confirmationLink(tx, intent, opts.baseUrl) } : {};
    const rendered = await opts.renderer.render(tx, intent, customer, wanted, { unsubscribe: links.unsubscribe, preferences: links.preferences, ...confirm }, now);
    if (!rendered.ok) {
      facts.renderError = rendered.error;
      continue;
    }
    facts.locale = rendered.locale;
    const content = (facts.content = rendered.content as NonNullable<IntentFacts['content']>);
    // Marketing e-mail carries the one-click unsubscribe headers (RFC 2369 / RFC 8058).
    const email = (content.email as { email?: { headers?: Record<string, string> } } | undefined)?.email as { headers?: Record<string, string> } | undefined;
    if (email && intent.purpose === 'marketing') email.headers = { ...email.headers, ...links.headers };
    if (prev?.status === 'queued') {
      facts.retry = { channel: prev.channel, address: prev.address };
      continue;
    }
    const states = ws.consents.get(intent.customer_id) ?? [];
    const channels: PlanInput['channels'] = {};
    for (const ch of wanted) {
      const address = addressOn(ch, customer);
      const p = ws.providers.get(ch)!;
      const sms = ch === 'sms' ? (content.sms as { sms?: { text: string } } | undefined)?.sms : undefined;
      channels[ch] = {
        address, consent: consentFor(states, ch, intent.purpose as 'marketing' | 'transactional'),
        suppressed: address ? ((ws.suppressed.get(`${ch}\u0000${address}`) as ChannelFacts['suppressed']) ?? null) : null,
        cost: p.price, ...(sms ? { sms: { text: sms.text, pricePerSegment: p.price } } : {}),
      };
    }
    const zone = typeof customer.timezone === 'string' && isValidZone(customer.timezone) ? customer.timezone : ws.journeys.timezone;
    facts.plan = {
      purpose: intent.purpose as 'marketing' | 'transactional', policy: intent.channel, timezone: zone,
      preferred: typeof customer.traits?.preferred_channel === 'string' ? customer.traits.preferred_channel : null, channels,
      inControlGroup: inControlGroup(intent.workspace_id, intent.customer_id, now, ws.journeys), createdAt: new Date(intent.created_at),
      // A cascade's earlier channel is the same message, not another one against the caps.
      recentMarketingSends: recent.filter((r) => r.workspace_id === intent.workspace_id && r.customer_id === intent.customer_id && r.message_key !== intent.message_key).map((r) => ({ channel: r.channel, at: new Date(r.sent_at) })),
      settings: ws.gate, previous: prev ? { channel: prev.channel, status: prev.status } : null,
    };
  }
  return out;
}
