// The dispatcher: drains the outbox of message intents through the send gate to the channels. Record first, then
// send, then mark: a message row is written ('sending') and committed before the provider is called, so a crash after
// the call never leads to a second send (see recover.ts); every decision and status is an event in the customer's log.
import type { Db, Queryable } from '../../store/db.ts';
import type { ChannelPolicy } from '../routing.ts';
import type { Channel, OutgoingMessage, Provider, ProviderResult, Purpose } from '../types.ts';
import { planIntent, type ChannelFacts, type Plan } from './plan.ts';
import { loadFacts, type IntentRow } from './facts.ts';
import { logOwnEvents, type OwnEvent } from '../../customers/own-events.ts';
import { suppress } from '../../consent/store.ts';
import { smsSegments } from '../sms-segments.ts';
import { addDuration } from '../../journeys/time.ts';

/** Attempts on retryable errors (429, 5xx, timeouts) before a message is given up as failed. */
export const MAX_ATTEMPTS = 5;
const backoffMs = (attempt: number, retryAfterMs?: number) => Math.max(retryAfterMs ?? 0, 30_000 * 2 ** (attempt - 1));

/** A channel's provider as configured for the workspace, with its rate limit and price. */
export interface ProviderSource {
  get(db: Queryable, ws: string, channel: Channel): Promise<{ provider: Provider; perSecond: number | null; price: number } | null>;
  /** Waits for (or refuses) a slot under the provider's per-second limit, counted across workers. */
  slot?(db: Db, ws: string, channel: Channel, perSecond: number, now: Date): Promise<{ ok: true } | { ok: false; waitMs: number }>;
}

/** Renders an intent's template for the channels it may go to (those whose content the template has). */
export interface Renderer {
  render(db: Queryable, intent: IntentRow, customer: Record<string, unknown>, channels: Channel[], links: Record<string, string>, now: Date):
    Promise<{ ok: true; locale: string; content: Partial<Record<Channel, Omit<OutgoingMessage, 'key' | 'channel' | 'to' | 'purpose'>>> } | { ok: false; error: string }>;
}

export interface DispatchOptions {
  providers: ProviderSource;
  renderer: Renderer;
  /** Public base URL of this Retain (links in messages). */
  baseUrl: string;
  limit?: number;
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  skipped: number;
  deferred: number;
  failed: number;
  retried: number;
}

interface Sending {
  intent: IntentRow;
  messageId: string;
  attempt: number;
  channel: Channel;
  provider: Provider;
  perSecond: number | null;
  message: OutgoingMessage;
  cascadeTimeout: string | null;
}

const eventProps = (i: IntentRow, extra: Record<string, unknown>) => ({
  messageKey: i.message_key, template: i.template, journeyId: i.journey_id, stepId: i.step_id, purpose: i.purpose, ...extra,
});

/** One pass: claim due intents, decide, record, send, mark. */
export async function dispatchDue(db: Db, now: Date, opts: DispatchOptions): Promise<DispatchResult> {
  const result: DispatchResult = { claimed: 0, sent: 0, skipped: 0, deferred: 0, failed: 0, retried: 0 };
  const sending = await db.transaction(async (tx) => {
    const intents = await tx.query<IntentRow>(
      `SELECT id::text, workspace_id, message_key, customer_id::text, journey_id, step_id, purpose, template, channel, params, context,
              created_at, cascade_index
       FROM message_intents WHERE status = 'pending' AND (not_before IS NULL OR not_before <= $1)
       ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, opts.limit ?? 100],
    );
    result.claimed = intents.length;
    if (!intents.length) return [] as Sending[];
    const facts = await loadFacts(tx, intents, now, opts);
    const events: OwnEvent[] = [];
    const out: Sending[] = [];
    // Marketing sends decided earlier in this batch count towards the caps of the same customer's later intents.
    const decided = new Map<string, { channel: Channel; at: Date }[]>();
    for (const intent of intents) {
      const f = facts.get(intent.id)!;
      if (f.plan) f.plan.recentMarketingSends = [...f.plan.recentMarketingSends, ...(decided.get(intent.customer_id) ?? [])];
      if (!f.customer) {
        await setIntent(tx, intent.id, 'skipped', now);
        result.skipped++;
        continue;
      }
      if (f.renderError) {
        await setIntent(tx, intent.id, 'skipped', now);
        events.push({ customerId: intent.customer_id, name: 'Message Skipped', messageId: `msg:${intent.message_key}:skipped`, at: now, properties: eventProps(intent, { reason: 'template_error', detail: f.renderError }) });
        result.skipped++;
        continue;
      }
      const plan: Plan = f.retry ? { kind: 'send', channel: f.retry.channel, address: f.retry.address, cost: 0, cascadeIndex: null, timeout: null } : planIntent(f.plan!, now);
      if (plan.kind === 'done') {
        await setIntent(tx, intent.id, 'sent', now);
        continue;
      }
      if (plan.kind === 'skip') {
        await setIntent(tx, intent.id, plan.reason === 'undelivered' ? 'failed' : 'skipped', now);
        events.push({ customerId: intent.customer_id, name: plan.reason === 'undelivered' ? 'Message Undelivered' : 'Message Skipped', messageId: `msg:${intent.message_key}:skipped`, at: now, properties: eventProps(intent, { reason: plan.reason, detail: plan.detail }) });
        result.skipped++;
        continue;
      }
      if (plan.kind === 'defer') {
        await tx.query('UPDATE message_intents SET not_before = $2 WHERE id = $1', [intent.id, plan.until]);
        events.push({ customerId: intent.customer_id, name: 'Message Deferred', messageId: `msg:${intent.message_key}:deferred:${plan.until.toISOString()}`, at: now, properties: eventProps(intent, { reason: plan.reason, until: plan.until.toISOString() }) });
        result.deferred++;
        continue;
      }
      const provider = f.providers.get(plan.channel);
      const content = f.content?.[plan.channel];
      if (!provider || !content) {
        await setIntent(tx, intent.id, 'skipped', now);
        const detail = !provider ? `no provider configured for ${plan.channel} (PUT /api/v1/channels/${plan.channel})` : `template "${intent.template}" has no ${plan.channel} content`;
        events.push({ customerId: intent.customer_id, name: 'Message Skipped', messageId: `msg:${intent.message_key}:skipped`, at: now, properties: eventProps(intent, { reason: 'unreachable', detail }) });
        result.skipped++;
        continue;
      }
      const sms = content.sms ? smsSegments((content.sms as { text: string }).text) : null;
      // Record first: the unique (message key, channel) row makes a second attempt of the same send impossible.
      const [row] = await tx.query<{ id: string; attempts: number }>(
        `INSERT INTO messages (workspace_id, intent_id, message_key, customer_id, purpose, channel, address, template, locale, status, provider,
                               attempts, cost, segments, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'sending', $10, 1, $11, $12, $13, $13)
         ON CONFLICT (workspace_id, message_key, channel) DO UPDATE SET status = 'sending', attempts = messages.attempts + 1, updated_at = $13
           WHERE messages.status = 'queued'
         RETURNING id::text, attempts`,
        [intent.workspace_id, intent.id, intent.message_key, intent.customer_id, intent.purpose, plan.channel, plan.address, intent.template,
          f.locale, provider.provider.name, plan.cost || provider.price * (sms?.segments ?? 1), sms?.segments ?? null, now],
      );
      if (!row) {
        // Sent (or in doubt) before: never again.
        await setIntent(tx, intent.id, 'skipped', now);
        events.push({ customerId: intent.customer_id, name: 'Message Skipped', messageId: `msg:${intent.message_key}:${plan.channel}:duplicate`, at: now, properties: eventProps(intent, { reason: 'duplicate', channel: plan.channel }) });
        result.skipped++;
        continue;
      }
      await setIntent(tx, intent.id, 'sending', now);
      if (intent.purpose === 'marketing') decided.set(intent.customer_id, [...(decided.get(intent.customer_id) ?? []), { channel: plan.channel, at: now }]);
      out.push({
        intent, messageId: row.id, attempt: row.attempts, channel: plan.channel, provider: provider.provider, perSecond: provider.perSecond, cascadeTimeout: plan.timeout,
        message: { ...content, key: `${intent.message_key}:${plan.channel}`, channel: plan.channel, to: plan.address, purpose: intent.purpose as Purpose },
      });
    }
    await logByWorkspace(tx, intents, events);
    return out;
  });

  // Send outside any transaction: the rows above are committed, so a crash from here on is recovered as "unknown".
  const results = await Promise.all(sending.map(async (s) => {
    if (opts.providers.slot && s.perSecond) {
      {
        for (let i = 0; i < 50; i++) {
          const slot = await opts.providers.slot(db, s.intent.workspace_id, s.channel, s.perSecond, new Date());
          if (slot.ok) break;
          await new Promise((r) => setTimeout(r, slot.waitMs));
        }
      }
    }
    try {
      return await s.provider.send(s.message);
    } catch (err) {
      return { ok: false, retryable: true, error: (err as Error).message } satisfies ProviderResult;
    }
  }));

  if (sending.length) {
    await db.transaction(async (tx) => {
      const events: OwnEvent[] = [];
      for (let i = 0; i < sending.length; i++) {
        const s = sending[i]!;
        const r = results[i]!;
        const props = eventProps(s.intent, { channel: s.channel, attempt: s.attempt });
        if (r.ok) {
          await tx.query("UPDATE messages SET status = 'sent', sent_at = $2, provider_message_id = $3, error = NULL, updated_at = $2 WHERE id = $1", [s.messageId, now, r.providerMessageId ?? null]);
          // A cascade waits for a delivery report before trying its next channel.
          if (s.cascadeTimeout) {
            await tx.query("UPDATE message_intents SET status = 'pending', not_before = $2 WHERE id = $1", [s.intent.id, cascadeDeadline(now, s.cascadeTimeout)]);
          } else await setIntent(tx, s.intent.id, 'sent', now);
          events.push({ customerId: s.intent.customer_id, name: 'Message Sent', messageId: `msg:${s.intent.message_key}:${s.channel}:sent`, at: now, properties: { ...props, providerMessageId: r.providerMessageId ?? null } });
          result.sent++;
        } else if (r.retryable && s.attempt < MAX_ATTEMPTS) {
          await tx.query("UPDATE messages SET status = 'queued', error = $2, updated_at = $3 WHERE id = $1", [s.messageId, r.error, now]);
          await tx.query("UPDATE message_intents SET status = 'pending', not_before = $2 WHERE id = $1", [s.intent.id, new Date(now.getTime() + backoffMs(s.attempt, r.retryAfterMs))]);
          result.retried++;
        } else {
          await tx.query("UPDATE messages SET status = $2, error = $3, updated_at = $4 WHERE id = $1", [s.messageId, r.suppress === 'hard_bounce' ? 'bounced' : 'failed', r.error, now]);
          if (r.suppress) await suppress(tx, s.intent.workspace_id, s.channel, s.message.to, r.suppress, r.error, now);
          // A cascade moves on to its next channel at once; otherwise the message has failed.
          if ('cascade' in (s.intent.channel as ChannelPolicy)) await tx.query("UPDATE message_intents SET status = 'pending', not_before = NULL WHERE id = $1", [s.intent.id]);
          else await setIntent(tx, s.intent.id, 'failed', now);
          events.push({ customerId: s.intent.customer_id, name: 'Message Failed', messageId: `msg:${s.intent.message_key}:${s.channel}:failed`, at: now, properties: { ...props, error: r.error, suppressed: r.suppress ?? null } });
          result.failed++;
        }
      }
      await logByWorkspace(tx, sending.map((s) => s.intent), events);
    });
  }
  return result;
}

async function setIntent(tx: Queryable, id: string, status: string, now: Date) {
  await tx.query('UPDATE message_intents SET status = $2, decided_at = $3 WHERE id = $1', [id, status, now]);
}

/** Events of a batch that may span workspaces: one statement per workspace. */
async function logByWorkspace(tx: Queryable, intents: IntentRow[], events: OwnEvent[]) {
  const wsOf = new Map(intents.map((i) => [i.customer_id, i.workspace_id]));
  const byWs = new Map<string, OwnEvent[]>();
  for (const e of events) {
    const ws = wsOf.get(e.customerId)!;
    byWs.set(ws, [...(byWs.get(ws) ?? []), e]);
  }
  for (const [ws, list] of byWs) await logOwnEvents(tx, ws, list);
}

/** When a cascade step's wait for a delivery report ends (its ISO duration, as elapsed time). */
const cascadeDeadline = (now: Date, iso: string) => addDuration(now, iso, 'UTC');

export type { ChannelFacts };
