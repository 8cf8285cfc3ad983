// The dispatcher: drains the outbox of message intents through the send gate to the channels. A round is a pipeline,
// claim → decide → record → send → mark (dispatchDue): it claims due intents fairly (claim.ts), decides each through
// the gate (plan.ts) and records each send as a 'claimed' message under a lease; then, in lanes per provider connection
// (lanes.ts), each message is handed off alone ('sending', committed) right before its provider is called, and marked
// as soon as its provider answers. A worker that dies leaves at most one message per lane in doubt; the others were
// never handed off, and go back to the outbox when their lease ends (recover.ts). Every send, a retry included, passes
// the gate; every decision and status is an event in the customer's log. The statements are in store.ts.
import type { Db, Queryable } from '../../store/index.ts';
import type { ChannelPolicy } from '../routing.ts';
import type { OutcomeReason } from '../types.ts';
import type { Channel, OutgoingMessage, Provider, ProviderResult, Purpose } from '../../channels/index.ts';
import { planIntent, type Plan } from './plan.ts';
import { loadFacts, type IntentRow } from './facts.ts';
import { logOwnEvents, type OwnEvent } from '../../customers/index.ts';
import { suppress } from '../../consent/index.ts';
import { smsSegments } from '../sms-segments.ts';
import { addDuration } from '../../time/index.ts';
import { trackEmail } from '../tracking/email.ts';
import { replaceableBy } from './status.ts';
import { groupCommit } from './group-commit.ts';
import { exitedRuns } from './exits.ts';
import { applyHeldReceipts, lockProviderIds } from './receipts.ts';
import { claimAllowance, claimDue, handOff, CLAIM_LEASE_MS } from './claim.ts';
import { inLanes, laneCount } from './lanes.ts';
import { randomUUID } from 'node:crypto';
import { assertNever, sendKey } from '../../lib/index.ts';
import { assignCoupons, releaseCoupons } from '../../coupons/index.ts';
import {
  failQueuedTry,
  leaseClaimed,
  lockDeciding,
  markAnswered,
  recordClaimed,
  writeIntentChanges,
  type AnswerMark,
  type IntentChangeRow,
  type SendRow,
} from './store.ts';

/**
 * How long the first answer of a batch's sends waits for the others before they are marked together: short beside any
 * provider's delivery report (seconds), long enough that a batch is marked in a few transactions rather than one per
 * message (on PGlite a transaction per message cost ~4 ms of CPU per e-mail).
 */
const MARK_GATHER_MS = 25;

/** Attempts on retryable errors (429, 5xx, timeouts) before a message is given up as failed. */
export const MAX_ATTEMPTS = 5;
const backoffMs = (attempt: number, retryAfterMs?: number) => Math.max(retryAfterMs ?? 0, 30_000 * 2 ** (attempt - 1));

/** A channel's provider as configured for the workspace, with its rate limit and price. */
export interface ProviderSource {
  get(
    db: Queryable,
    ws: string,
    channel: Channel,
  ): Promise<{ provider: Provider; perSecond: number | null; price: number } | null>;
  /** Waits for (or refuses) a slot under the provider's per-second limit, counted across workers. */
  slot?(
    db: Db,
    ws: string,
    channel: Channel,
    perSecond: number,
    now: Date,
  ): Promise<{ ok: true } | { ok: false; waitMs: number }>;
}

/** A message's own links by name (unsubscribe, preferences, confirm…): the same for every channel, or each channel's own. */
export type MessageLinkSet = Record<string, string> | ((channel: Channel) => Record<string, string>);

/**
 * Renders an intent's template for the channels it may go to (those whose content the template has), each with its
 * links; answers the variant's locale per channel (and the first one's, or the template default, as `locale`).
 */
export interface Renderer {
  /** Reads what the batch's messages need beyond the customer (their carts) in a few statements, before the renders. */
  prepare?(tx: Queryable, intents: IntentRow[], now: Date): Promise<void>;
  render(
    db: Queryable,
    intent: IntentRow,
    customer: Record<string, unknown>,
    channels: Channel[],
    links: MessageLinkSet,
    now: Date,
  ): Promise<
    | {
        ok: true;
        locale: string;
        locales: Partial<Record<Channel, string>>;
        content: Partial<Record<Channel, Omit<OutgoingMessage, 'key' | 'channel' | 'to' | 'purpose'>>>;
      }
    | { ok: false; error: string }
  >;
}

export interface DispatchOptions {
  providers: ProviderSource;
  renderer: Renderer;
  /** Public base URL of this Retain (links in messages). */
  baseUrl: string;
  limit?: number;
  /** How long the round's claimed messages are held for it before another worker may send them (default CLAIM_LEASE_MS). */
  leaseMs?: number;
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  skipped: number;
  deferred: number;
  failed: number;
  retried: number;
  /** Handed over, and the provider's answer never came (a timeout after the request was sent): never sent again. */
  unknown: number;
  /** Claimed, then given back before their hand-off (the lease ended first): another worker sends them. */
  released: number;
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
  messageKey: i.message_key,
  template: i.template,
  journeyId: i.journey_id,
  stepId: i.step_id,
  purpose: i.purpose,
  ...extra,
});

/**
 * Workers decide a customer's marketing messages in turn: until this transaction commits its 'claimed' rows, another
 * worker deciding for the same customer waits, then counts them against the caps. The locks are taken in key order,
 * so workers never wait on each other in a circle.
 */
async function decideInTurn(tx: Queryable, intents: IntentRow[]): Promise<void> {
  const customers = [
    ...new Set(intents.filter((i) => i.purpose === 'marketing').map((i) => `${i.workspace_id}/${i.customer_id}`)),
  ];
  if (customers.length) await lockDeciding(tx, customers);
}

const emptyResult = (): DispatchResult => ({
  claimed: 0,
  sent: 0,
  skipped: 0,
  deferred: 0,
  failed: 0,
  retried: 0,
  unknown: 0,
  released: 0,
});

/**
 * One round, as a pipeline: claim due intents; decide each through the gate; record the sends as claimed (one
 * transaction, so far); then, in lanes, hand off and send each, and mark it with its provider's answer.
 */
export async function dispatchDue(db: Db, now: Date, opts: DispatchOptions): Promise<DispatchResult> {
  const result = emptyResult();
  const claim = randomUUID();
  const sending = await db.transaction(async (tx) => {
    Object.assign(result, emptyResult()); // a retried transaction counts afresh
    const intents = await claimDue(tx, now, opts.limit ?? 100);
    result.claimed = intents.length;
    if (!intents.length) return [] as Sending[];
    const round = new Round(now, result);
    await decide(tx, round, intents, opts);
    const handOffs = await record(tx, round, claim, opts);
    await round.writes.apply(tx, now);
    await logByWorkspace(tx, intents, round.events);
    return handOffs;
  });
  await sendAndMark(db, sending, claim, now, opts, result);
  return result;
}

/** A send the gate let through, with its provider and rendered content: recorded next. */
interface Decided {
  intent: IntentRow;
  plan: Extract<Plan, { kind: 'send' }>;
  provider: { provider: Provider; perSecond: number | null; price: number };
  content: Record<string, unknown>;
  locale: string | null;
}

/** A queued try the gate no longer lets through (or whose run is over): closed as failed; `channel` null = any. */
interface Abandoned {
  intent: IntentRow;
  channel: Channel | null;
  detail: string;
}

/** What a round's transaction writes besides the messages: the intents' changes and the customers' events. */
class Round {
  readonly events: OwnEvent[] = [];
  readonly writes = new IntentWrites();
  readonly abandoned: Abandoned[] = [];
  readonly toSend: Decided[] = [];
  /** Skipped messages that carried a coupon: theirs goes back to the pool unless a try was handed over. */
  readonly unsent: IntentRow[] = [];
  constructor(
    readonly now: Date,
    readonly result: DispatchResult,
  ) {}

  skip(intent: IntentRow, reason: OutcomeReason, detail: string, name = 'Message Skipped', status = 'skipped') {
    if (intent.coupon_pool) this.unsent.push(intent);
    this.writes.set(intent.id, { status, decided: true, reason, detail });
    this.events.push({
      customerId: intent.customer_id,
      name,
      messageId: `msg:${intent.message_key}:skipped`,
      at: this.now,
      properties: eventProps(intent, { reason, detail }),
    });
    this.result.skipped++;
  }
}

/**
 * Decide: each claimed intent through the gate with the facts of now (every send, a retry included): skipped,
 * deferred, done, or a send on one channel (Round.toSend). Queued tries no longer let through are closed here.
 */
async function decide(tx: Queryable, round: Round, intents: IntentRow[], opts: DispatchOptions): Promise<void> {
  const { now, result, writes, events } = round;
  await decideInTurn(tx, intents);
  // The run's goal reached, or the customer gone from its segment, since the message was written: it is not sent.
  const exited = await exitedRuns(tx, intents);
  // Each message of a send step with a coupon pool carries its code (the same one on every try), or is not sent.
  const coupons = await assignCoupons(
    tx,
    intents.filter((i) => !exited.has(i.id)),
    now,
  );
  for (const i of intents) {
    const coupon = coupons.coupons.get(i.id);
    if (coupon) i.params = { ...i.params, coupon };
  }
  const facts = await loadFacts(
    tx,
    intents.filter((i) => !exited.has(i.id) && !coupons.refused.has(i.id)),
    now,
    opts,
  );
  // Marketing sends decided earlier in this batch count towards the caps of the same customer's later intents.
  const decided = new Map<string, { channel: Channel; at: Date }[]>();
  // A rate-limited channel's sends beyond what it takes in CLAIM_AHEAD_SECONDS stay in the outbox for a later round.
  const held = new Map<string, number>();
  for (const intent of intents) {
    const exit = exited.get(intent.id);
    if (exit) {
      round.skip(intent, exit.reason, exit.detail);
      round.abandoned.push({ intent, channel: null, detail: `not retried: ${exit.detail}` });
      continue;
    }
    const noCoupon = coupons.refused.get(intent.id);
    if (noCoupon) {
      round.skip(intent, 'coupon_pool_empty', noCoupon);
      continue;
    }
    const f = facts.get(intent.id)!;
    if (!f.customer) {
      if (intent.coupon_pool) round.unsent.push(intent);
      writes.set(intent.id, {
        status: 'skipped',
        decided: true,
        reason: 'customer_erased',
        detail: 'the customer was erased',
      });
      result.skipped++;
      continue;
    }
    if (f.renderError) {
      round.skip(intent, 'template_error', f.renderError);
      continue;
    }
    f.plan!.recentMarketingSends = [...f.plan!.recentMarketingSends, ...(decided.get(intent.customer_id) ?? [])];
    // Every send, a retry included, passes the gate with the facts of now.
    const plan = planIntent(f.plan!, now);
    if (plan.kind === 'send') {
      const limit = claimAllowance(f.providers.get(plan.channel)?.perSecond ?? null);
      const key = `${intent.workspace_id}\u0000${plan.channel}`;
      if ((held.get(key) ?? 0) >= limit) {
        result.claimed--;
        continue; // left pending, untouched: the next round decides it afresh
      }
      held.set(key, (held.get(key) ?? 0) + 1);
    }
    if (plan.kind !== 'done' && plan.abandoned) round.abandoned.push({ intent, ...plan.abandoned });
    switch (plan.kind) {
      case 'done':
        writes.set(intent.id, { status: 'sent', decided: true, reason: null });
        break;
      case 'skip':
        if (plan.reason === 'undelivered')
          round.skip(intent, plan.reason, plan.detail, 'Message Undelivered', 'failed');
        else round.skip(intent, plan.reason, plan.detail);
        break;
      case 'defer': {
        const detail = plan.detail ?? `until ${plan.until.toISOString()}`;
        writes.set(intent.id, { notBefore: plan.until, reason: plan.reason, detail, deferred: true });
        events.push({
          customerId: intent.customer_id,
          name: 'Message Deferred',
          messageId: `msg:${intent.message_key}:deferred:${plan.until.toISOString()}`,
          at: now,
          properties: eventProps(intent, { reason: plan.reason, detail, until: plan.until.toISOString() }),
        });
        result.deferred++;
        break;
      }
      case 'send': {
        const provider = f.providers.get(plan.channel);
        const content = f.content?.[plan.channel];
        const unreachable = !provider
          ? `no provider configured for ${plan.channel} (PUT /api/v1/channels/${plan.channel})`
          : !content
            ? `template "${intent.template}" has no ${plan.channel} content`
            : null;
        if (unreachable) {
          round.skip(intent, 'unreachable', unreachable);
          if (f.previous?.status === 'queued' && f.previous.channel === plan.channel)
            round.abandoned.push({ intent, channel: plan.channel, detail: `not retried: ${unreachable}` });
        } else {
          round.toSend.push({
            intent,
            plan,
            provider: provider!,
            content: content!,
            locale: f.locales[plan.channel] ?? null,
          });
          if (intent.purpose === 'marketing')
            decided.set(intent.customer_id, [
              ...(decided.get(intent.customer_id) ?? []),
              { channel: plan.channel, at: now },
            ]);
        }
        break;
      }
      default:
        assertNever(plan, 'plan kind');
    }
  }
  await closeAbandoned(tx, round.abandoned, now, events);
  await releaseCoupons(tx, round.unsent);
}

/**
 * Record: the round's sends, all at once, as 'claimed' messages under this round's lease (the unique (message key,
 * channel) row makes a second attempt of the same send impossible: one sent or in doubt before is skipped as a
 * duplicate). Answers the hand-offs, in order, each with its tracked content.
 */
async function record(tx: Queryable, round: Round, claim: string, opts: DispatchOptions): Promise<Sending[]> {
  const { now, result, writes, events } = round;
  const rows = round.toSend.map(({ intent, plan, provider, content, locale }): SendRow => {
    const sms = content.sms ? smsSegments((content.sms as { text: string }).text) : null;
    return {
      ws: intent.workspace_id,
      intent_id: intent.id,
      message_key: intent.message_key,
      customer_id: intent.customer_id,
      purpose: intent.purpose,
      channel: plan.channel,
      address: plan.address,
      template: intent.template,
      locale,
      provider: provider.provider.name,
      cost: plan.cost || provider.price * (sms?.segments ?? 1),
      segments: sms?.segments ?? null,
    };
  });
  const recorded = new Map<string, { id: string; attempts: number }>();
  if (rows.length) {
    const inserted = await recordClaimed(tx, rows, now);
    await leaseClaimed(
      tx,
      inserted.map((r) => r.id),
      claim,
      new Date(now.getTime() + (opts.leaseMs ?? CLAIM_LEASE_MS)),
    );
    for (const r of inserted)
      recorded.set(`${r.workspace_id}\u0000${r.message_key}\u0000${r.channel}`, { id: r.id, attempts: r.attempts });
  }
  const out: Sending[] = [];
  for (const { intent, plan, provider, content } of round.toSend) {
    const row = recorded.get(`${intent.workspace_id}\u0000${intent.message_key}\u0000${plan.channel}`);
    if (!row) {
      // Sent (or in doubt) before: never again.
      writes.set(intent.id, {
        status: 'skipped',
        decided: true,
        reason: 'duplicate',
        detail: `already handed over on ${plan.channel}`,
      });
      events.push({
        customerId: intent.customer_id,
        name: 'Message Skipped',
        messageId: `msg:${intent.message_key}:${plan.channel}:duplicate`,
        at: now,
        properties: eventProps(intent, { reason: 'duplicate', channel: plan.channel }),
      });
      result.skipped++;
      continue;
    }
    writes.set(intent.id, { status: 'sending', reason: null });
    // Tracking (src/messaging/tracking/email.ts): open pixel, signed click links and UTM parameters in the e-mail's HTML.
    await trackEmail(tx, content, { intent, messageId: row.id, channel: plan.channel }, opts.baseUrl);
    out.push({
      intent,
      messageId: row.id,
      attempt: row.attempts,
      channel: plan.channel,
      provider: provider.provider,
      perSecond: provider.perSecond,
      cascadeTimeout: plan.timeout,
      message: {
        ...content,
        key: sendKey(intent.message_key, plan.channel),
        channel: plan.channel,
        to: plan.address,
        purpose: intent.purpose as Purpose,
      },
    });
  }
  return out;
}

/**
 * Send and mark, outside any transaction, one message per lane at a time: each is handed off (committed as 'sending')
 * right before its provider call, so a crash leaves in doubt only the messages in the lanes. Each send is marked as
 * soon as it returns (with those of the other lanes), so a delivery report that follows at once finds its message by
 * the provider's id; the lane waits for that mark before its next hand-off.
 */
async function sendAndMark(
  db: Db,
  sending: Sending[],
  claim: string,
  now: Date,
  opts: DispatchOptions,
  result: DispatchResult,
): Promise<void> {
  const mark = groupCommit<Handed>(
    (handed) => markHandedOver(db, handed, now, result),
    MARK_GATHER_MS,
    laneCount(sending),
  );
  await inLanes(sending, async (s) => {
    await waitForSlot(db, s, opts);
    // Stamped with the round's time, like every other row of the round: another worker's caps compare it with its own
    // clock, and a stamp later than that would not count.
    if (!(await handOff(db, s.messageId, claim, now))) {
      result.released++;
      return;
    }
    await mark({ s, r: await send(s) });
  });
}

/** Closes each abandoned queued try as failed, never retried, with its event. */
async function closeAbandoned(tx: Queryable, abandoned: Abandoned[], now: Date, events: OwnEvent[]) {
  for (const { intent, channel, detail } of abandoned) {
    const closed = await failQueuedTry(tx, intent.workspace_id, intent.message_key, channel, detail, now);
    for (const c of closed)
      events.push({
        customerId: intent.customer_id,
        name: 'Message Failed',
        messageId: `msg:${intent.message_key}:${c.channel}:failed`,
        at: now,
        properties: eventProps(intent, { channel: c.channel, error: detail, suppressed: null }),
      });
  }
}

interface Handed {
  s: Sending;
  r: ProviderResult;
}

/** Waits for a slot under the provider's rate limit (counted across workers). */
async function waitForSlot(db: Db, s: Sending, opts: DispatchOptions): Promise<void> {
  if (!opts.providers.slot || !s.perSecond) return;
  for (let i = 0; i < 50; i++) {
    const slot = await opts.providers.slot(db, s.intent.workspace_id, s.channel, s.perSecond, new Date());
    if (slot.ok) return;
    await new Promise((r) => setTimeout(r, slot.waitMs));
  }
}

/** Hands the message to its provider; a throw is a retryable refusal. */
async function send(s: Sending): Promise<ProviderResult> {
  try {
    return await s.provider.send(s.message);
  } catch (err) {
    return { ok: false, retryable: true, error: (err as Error).message };
  }
}

/**
 * Marks messages the providers answered: sent (a cascade then waits for its step's timeout), queued for a retry with
 * back-off, or failed / bounced with the suppression. A delivery report may have come first: a message only moves
 * forward (status.ts), and an intent a report has already closed stays closed.
 */
async function markHandedOver(db: Db, handed: Handed[], now: Date, result: DispatchResult): Promise<void> {
  const tally = { sent: 0, retried: 0, failed: 0, unknown: 0 };
  await db.transaction(async (tx) => {
    Object.assign(tally, { sent: 0, retried: 0, failed: 0, unknown: 0 });
    // Delivery reports by provider id that came before this answer wait on these locks, or were kept (below).
    const answered = handed.flatMap(({ s, r }) =>
      r.ok && r.providerMessageId ? [{ ws: s.intent.workspace_id, providerMessageId: r.providerMessageId }] : [],
    );
    await lockProviderIds(tx, answered);
    const events: OwnEvent[] = [];
    const writes = new IntentWrites();
    const marks: AnswerMark[] = [];
    const markAs = (
      s: Sending,
      status: string,
      extra: { sent_at?: Date; provider_message_id?: string | null; error?: string | null },
    ) =>
      marks.push({
        id: s.messageId,
        status,
        replaces: replaceableBy(status).join(','),
        sent_at: extra.sent_at ?? null,
        provider_message_id: extra.provider_message_id ?? null,
        error: extra.error ?? null,
      });
    for (const { s, r } of handed) {
      const props = eventProps(s.intent, { channel: s.channel, attempt: s.attempt });
      if (r.ok) {
        markAs(s, 'sent', { sent_at: now, provider_message_id: r.providerMessageId ?? null });
        // A cascade waits for a delivery report before trying its next channel.
        if (s.cascadeTimeout) {
          const until = cascadeDeadline(now, s.cascadeTimeout);
          writes.set(s.intent.id, {
            status: 'pending',
            notBefore: until,
            reason: 'cascade_wait',
            detail: `sent on ${s.channel}; the next channel unless it is delivered by ${until.toISOString()}`,
          });
        } else writes.set(s.intent.id, { status: 'sent', decided: true });
        events.push({
          customerId: s.intent.customer_id,
          name: 'Message Sent',
          messageId: `msg:${s.intent.message_key}:${s.channel}:sent`,
          at: now,
          properties: { ...props, providerMessageId: r.providerMessageId ?? null },
        });
        tally.sent++;
      } else if (r.inDoubt && !(s.provider.deduplicates && s.attempt < MAX_ATTEMPTS)) {
        // It may have gone out: without a provider that recognises a repeat, never again (at most once). A cascade
        // treats it as sent without a delivery report: its next channel after the step's timeout.
        const detail = `${r.error}: it may have been delivered, so it is not sent again`;
        markAs(s, 'unknown', { error: detail });
        if (s.cascadeTimeout) {
          const until = cascadeDeadline(now, s.cascadeTimeout);
          writes.set(s.intent.id, {
            status: 'pending',
            notBefore: until,
            reason: 'cascade_wait',
            detail: `${s.channel} in doubt; the next channel unless it is delivered by ${until.toISOString()}`,
          });
        } else writes.set(s.intent.id, { status: 'unknown', decided: true, reason: 'in_doubt', detail });
        events.push({
          customerId: s.intent.customer_id,
          name: 'Message Status Unknown',
          messageId: `msg:${s.intent.message_key}:${s.channel}:unknown`,
          at: now,
          properties: { ...props, reason: 'in_doubt', error: r.error },
        });
        tally.unknown++;
      } else if ((r.retryable || r.inDoubt) && s.attempt < MAX_ATTEMPTS) {
        // A provider that deduplicates gets a send in doubt again, with the same idempotency key.
        markAs(s, 'queued', { error: r.error });
        const until = new Date(now.getTime() + backoffMs(s.attempt, r.retryAfterMs));
        writes.set(s.intent.id, {
          status: 'pending',
          notBefore: until,
          reason: 'retry',
          detail: `${r.error}; try ${s.attempt + 1} of ${MAX_ATTEMPTS} at ${until.toISOString()}`,
        });
        tally.retried++;
      } else {
        markAs(s, r.suppress === 'hard_bounce' ? 'bounced' : 'failed', { error: r.error });
        if (r.suppress) await suppress(tx, s.intent.workspace_id, s.channel, s.message.to, r.suppress, r.error, now);
        // A cascade moves on to its next channel at once; otherwise the message has failed.
        const failure = { reason: 'provider_error' as const, detail: `${s.channel}: ${r.error}` };
        writes.set(
          s.intent.id,
          'cascade' in (s.intent.channel as ChannelPolicy)
            ? { status: 'pending', notBefore: null, ...failure }
            : { status: 'failed', decided: true, ...failure },
        );
        events.push({
          customerId: s.intent.customer_id,
          name: 'Message Failed',
          messageId: `msg:${s.intent.message_key}:${s.channel}:failed`,
          at: now,
          properties: { ...props, error: r.error, suppressed: r.suppress ?? null },
        });
        tally.failed++;
      }
    }
    await markAnswered(tx, marks, now);
    // Only intents still waiting on their send: a delivery report (or recovery) that closed one meanwhile wins.
    await writes.apply(tx, now, 'sending');
    await logByWorkspace(
      tx,
      handed.map((h) => h.s.intent),
      events,
    );
    // Delivery reports that came by provider id before this answer told us the id: kept, and applied now.
    await applyHeldReceipts(tx, answered);
  });
  result.sent += tally.sent;
  result.retried += tally.retried;
  result.failed += tally.failed;
  result.unknown += tally.unknown;
}

/** One intent's change: status, when it is due, decided, and why it is not sent (null clears the reason). */
interface IntentChange {
  status?: string;
  notBefore?: Date | null;
  decided?: boolean;
  reason?: OutcomeReason | null;
  detail?: string;
  /** A deferral (quiet hours, a cap): the first one is kept for analytics. */
  deferred?: boolean;
}

/** Intent changes of a batch, written with one statement (status, not_before, decided_at, the reason). */
class IntentWrites {
  private readonly rows = new Map<string, IntentChange>();
  set(id: string, change: IntentChange) {
    this.rows.set(id, { ...this.rows.get(id), ...change });
  }
  /** Writes the changes; with `whileStatus`, only to intents still in that status. */
  async apply(tx: Queryable, now: Date, whileStatus: string | null = null) {
    if (!this.rows.size) return;
    const rows = [...this.rows].map(
      ([id, c]): IntentChangeRow => ({
        id,
        status: c.status ?? null,
        set_not_before: c.notBefore !== undefined,
        not_before: c.notBefore ?? null,
        decided: !!c.decided,
        set_reason: c.reason !== undefined,
        reason: c.reason ?? null,
        detail: c.reason ? (c.detail ?? null) : null,
        deferred: !!c.deferred,
      }),
    );
    await writeIntentChanges(tx, rows, now, whileStatus);
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
