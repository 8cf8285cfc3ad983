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
import { trackEmail } from '../tracking/email.ts';

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
       ORDER BY message_intents.id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, opts.limit ?? 100],
    );
    result.claimed = intents.length;
    if (!intents.length) return [] as Sending[];
    const facts = await loadFacts(tx, intents, now, opts);
    const events: OwnEvent[] = [];
    const writes = new IntentWrites();
    const toSend: { intent: IntentRow; plan: Extract<Plan, { kind: 'send' }>; provider: { provider: Provider; perSecond: number | null; price: number }; content: Record<string, unknown>; locale: string | null }[] = [];
    const skip = (intent: IntentRow, reason: string, detail: string, name = 'Message Skipped', status = 'skipped') => {
      writes.set(intent.id, { status, decided: true });
      events.push({ customerId: intent.customer_id, name, messageId: `msg:${intent.message_key}:skipped`, at: now, properties: eventProps(intent, { reason, detail }) });
      result.skipped++;
    };
    // Marketing sends decided earlier in this batch count towards the caps of the same customer's later intents.
    const decided = new Map<string, { channel: Channel; at: Date }[]>();
    for (const intent of intents) {
      const f = facts.get(intent.id)!;
      if (!f.customer) {
        writes.set(intent.id, { status: 'skipped', decided: true });
        result.skipped++;
        continue;
      }
      if (f.renderError) {
        skip(intent, 'template_error', f.renderError);
        continue;
      }
      if (f.plan) f.plan.recentMarketingSends = [...f.plan.recentMarketingSends, ...(decided.get(intent.customer_id) ?? [])];
      const plan: Plan = f.retry ? { kind: 'send', channel: f.retry.channel, address: f.retry.address, cost: 0, cascadeIndex: null, timeout: null } : planIntent(f.plan!, now);
      if (plan.kind === 'done') {
        writes.set(intent.id, { status: 'sent', decided: true });
      } else if (plan.kind === 'skip') {
        if (plan.reason === 'undelivered') skip(intent, plan.reason, plan.detail, 'Message Undelivered', 'failed');
        else skip(intent, plan.reason, plan.detail);
      } else if (plan.kind === 'defer') {
        writes.set(intent.id, { notBefore: plan.until });
        events.push({ customerId: intent.customer_id, name: 'Message Deferred', messageId: `msg:${intent.message_key}:deferred:${plan.until.toISOString()}`, at: now, properties: eventProps(intent, { reason: plan.reason, until: plan.until.toISOString() }) });
        result.deferred++;
      } else {
        const provider = f.providers.get(plan.channel);
        const content = f.content?.[plan.channel];
        if (!provider) skip(intent, 'unreachable', `no provider configured for ${plan.channel} (PUT /api/v1/channels/${plan.channel})`);
        else if (!content) skip(intent, 'unreachable', `template "${intent.template}" has no ${plan.channel} content`);
        else {
          toSend.push({ intent, plan, provider, content, locale: f.locale });
          if (intent.purpose === 'marketing') decided.set(intent.customer_id, [...(decided.get(intent.customer_id) ?? []), { channel: plan.channel, at: now }]);
        }
      }
    }
    // Record first, all at once: the unique (message key, channel) row makes a second attempt of the same send impossible.
    const rows = toSend.map(({ intent, plan, provider, content, locale }) => {
      const sms = content.sms ? smsSegments((content.sms as { text: string }).text) : null;
      return {
        ws: intent.workspace_id, intent_id: intent.id, message_key: intent.message_key, customer_id: intent.customer_id, purpose: intent.purpose,
        channel: plan.channel, address: plan.address, template: intent.template, locale, provider: provider.provider.name,
        cost: plan.cost || provider.price * (sms?.segments ?? 1), segments: sms?.segments ?? null,
      };
    });
    const recorded = new Map<string, { id: string; attempts: number }>();
    if (rows.length) {
      const inserted = await tx.query<{ message_key: string; channel: string; id: string; attempts: number }>(
        `INSERT INTO messages (workspace_id, intent_id, message_key, customer_id, purpose, channel, address, template, locale, status, provider,
                               attempts, cost, segments, created_at, updated_at)
         SELECT ws, intent_id, message_key, customer_id, purpose, channel, address, template, locale, 'sending', provider, 1, cost, segments, $2, $2
         FROM jsonb_to_recordset($1::jsonb) AS m(ws text, intent_id bigint, message_key text, customer_id bigint, purpose text, channel text, address text,
           template text, locale text, provider text, cost double precision, segments int)
         ON CONFLICT (workspace_id, message_key, channel) DO UPDATE SET status = 'sending', attempts = messages.attempts + 1, updated_at = $2
           WHERE messages.status = 'queued'
         RETURNING message_key, channel, id::text, attempts`,
        [JSON.stringify(rows), now],
      );
      for (const r of inserted) recorded.set(`${r.message_key}\u0000${r.channel}`, { id: r.id, attempts: r.attempts });
    }
    const out: Sending[] = [];
    for (const { intent, plan, provider, content } of toSend) {
      const row = recorded.get(`${intent.message_key}\u0000${plan.channel}`);
      if (!row) {
        // Sent (or in doubt) before: never again.
        writes.set(intent.id, { status: 'skipped', decided: true });
        events.push({ customerId: intent.customer_id, name: 'Message Skipped', messageId: `msg:${intent.message_key}:${plan.channel}:duplicate`, at: now, properties: eventProps(intent, { reason: 'duplicate', channel: plan.channel }) });
        result.skipped++;
        continue;
      }
      writes.set(intent.id, { status: 'sending' });
      // Tracking (src/messaging/tracking/email.ts): open pixel, signed click links and UTM parameters in the e-mail's HTML.
      await trackEmail(tx, content, { intent, messageId: row.id, channel: plan.channel }, opts.baseUrl);
      out.push({
        intent, messageId: row.id, attempt: row.attempts, channel: plan.channel, provider: provider.provider, perSecond: provider.perSecond, cascadeTimeout: plan.timeout,
        message: { ...content, key: `${intent.message_key}:${plan.channel}`, channel: plan.channel, to: plan.address, purpose: intent.purpose as Purpose },
      });
    }
    await writes.apply(tx, now);
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
      const writes = new IntentWrites();
      const marks: { id: string; status: string; sent_at: Date | null; provider_message_id: string | null; error: string | null }[] = [];
      for (let i = 0; i < sending.length; i++) {
        const s = sending[i]!;
        const r = results[i]!;
        const props = eventProps(s.intent, { channel: s.channel, attempt: s.attempt });
        if (r.ok) {
          marks.push({ id: s.messageId, status: 'sent', sent_at: now, provider_message_id: r.providerMessageId ?? null, error: null });
          // A cascade waits for a delivery report before trying its next channel.
          writes.set(s.intent.id, s.cascadeTimeout ? { status: 'pending', notBefore: cascadeDeadline(now, s.cascadeTimeout) } : { status: 'sent', decided: true });
          events.push({ customerId: s.intent.customer_id, name: 'Message Sent', messageId: `msg:${s.intent.message_key}:${s.channel}:sent`, at: now, properties: { ...props, providerMessageId: r.providerMessageId ?? null } });
          result.sent++;
        } else if (r.retryable && s.attempt < MAX_ATTEMPTS) {
          marks.push({ id: s.messageId, status: 'queued', sent_at: null, provider_message_id: null, error: r.error });
          writes.set(s.intent.id, { status: 'pending', notBefore: new Date(now.getTime() + backoffMs(s.attempt, r.retryAfterMs)) });
          result.retried++;
        } else {
          marks.push({ id: s.messageId, status: r.suppress === 'hard_bounce' ? 'bounced' : 'failed', sent_at: null, provider_message_id: null, error: r.error });
          if (r.suppress) await suppress(tx, s.intent.workspace_id, s.channel, s.message.to, r.suppress, r.error, now);
          // A cascade moves on to its next channel at once; otherwise the message has failed.
          writes.set(s.intent.id, 'cascade' in (s.intent.channel as ChannelPolicy) ? { status: 'pending', notBefore: null } : { status: 'failed', decided: true });
          events.push({ customerId: s.intent.customer_id, name: 'Message Failed', messageId: `msg:${s.intent.message_key}:${s.channel}:failed`, at: now, properties: { ...props, error: r.error, suppressed: r.suppress ?? null } });
          result.failed++;
        }
      }
      await tx.query(
        `UPDATE messages m SET status = u.status, sent_at = COALESCE(u.sent_at, m.sent_at), provider_message_id = COALESCE(u.provider_message_id, m.provider_message_id),
           error = u.error, updated_at = $2
         FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, status text, sent_at timestamptz, provider_message_id text, error text) WHERE m.id = u.id`,
        [JSON.stringify(marks), now],
      );
      await writes.apply(tx, now);
      await logByWorkspace(tx, sending.map((s) => s.intent), events);
    });
  }
  return result;
}

/** Intent changes of a batch, written with one statement (status, not_before, decided_at). */
class IntentWrites {
  private readonly rows = new Map<string, { status?: string; notBefore?: Date | null; decided?: boolean }>();
  set(id: string, change: { status?: string; notBefore?: Date | null; decided?: boolean }) {
    this.rows.set(id, { ...this.rows.get(id), ...change });
  }
  async apply(tx: Queryable, now: Date) {
    if (!this.rows.size) return;
    const rows = [...this.rows].map(([id, c]) => ({
      id, status: c.status ?? null, set_not_before: c.notBefore !== undefined, not_before: c.notBefore ?? null, decided: !!c.decided,
    }));
    await tx.query(
      `UPDATE message_intents i SET status = COALESCE(u.status, i.status),
         not_before = CASE WHEN u.set_not_before THEN u.not_before ELSE i.not_before END,
         decided_at = CASE WHEN u.decided THEN $2::timestamptz ELSE i.decided_at END
       FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, status text, set_not_before boolean, not_before timestamptz, decided boolean) WHERE i.id = u.id`,
      [JSON.stringify(rows), now],
    );
  }
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
