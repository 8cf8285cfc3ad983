// The journey runner: claims due runs in batches (FOR UPDATE SKIP LOCKED, so any number of workers share them),
// advances each through the step machine, and writes the new run states, the step log, message intents and customer
// updates in the same transaction: a step is recorded exactly once or, after a crash, not at all and done again.
// runDue reads as that pipeline; its statements are named in runs.ts (and the reads below).
import { webhookHeaders, assertNever } from '../../lib/index.ts';
import { type Db, type Queryable, bulkRows } from '../../store/index.ts';
import { compile, type Condition } from '../../segments/index.ts';
import { stepById, type JourneyDefinition } from '../definition.ts';
import { exitDetail, exitsOf, waitOf, type ExitRule } from '../listen.ts';
import { outboundRequest, OutboundRefused, type OutboundPolicy } from '../../net/index.ts';
import { advance, type Advance, type Answers, type CustomerView, type Run, type WebhookRequest } from '../steps.ts';
import { customerZone } from '../../time/index.ts';
import { getJourneySettings } from './control.ts';
import { productIntervals } from './intervals.ts';
import { replenishDays } from '../replenish.ts';
import { definitionKey, loadDefinitions } from './journeys.ts';
import { queueChanges } from '../../customers/index.ts';
import { heardInLog, type Heard } from './heard.ts';
import { cancelHeldMessages } from './outbox.ts';
import {
  appendStepLog,
  claimDueRuns,
  endRunsByExit,
  queueIntents,
  saveRunStates,
  type IntentRow,
  type RunRow,
} from './runs.ts';
import { scoreColumnsSql, type ScoreName } from '../../scores/index.ts';

export interface RunnerOptions {
  batch?: number;
  /** Which inside addresses webhook steps may reach; default: the operator's RETAIN_ALLOW_PRIVATE_HOSTS. */
  outbound?: OutboundPolicy;
  webhookTimeoutMs?: number;
  /** Runner loops a tick runs side by side (default: 2 on PostgreSQL, 1 on PGlite). */
  parallel?: number;
}

export interface RunnerResult {
  claimed: number;
  steps: number;
  intents: number;
  /** Runs ended by an exit found in the event log, and the messages not sent yet that it cancelled. */
  goals: number;
  cancelled: number;
  /** Lateness of each claimed run (ms between its wake time and `now`), for the benchmark. */
  lateness: number[];
}

/** A customer as a run sees it: every score by its name (src/scores/descriptor.ts), for a send step's {by}. */
interface CustomerRow extends Record<ScoreName, string | number | null> {
  workspace_id: string;
  id: string;
  user_id: string | null;
  timezone: string | null;
  traits: Record<string, unknown>;
}

/** Claims and advances one batch of due runs; returns what it did (claimed = 0 when nothing is due). */
export async function runDue(db: Db, now: Date, opts: RunnerOptions = {}): Promise<RunnerResult> {
  return db.transaction(async (tx) => {
    // 1. Claim the due runs.
    const rows = await claimDueRuns(tx, now, opts.batch ?? 500);
    const result: RunnerResult = {
      claimed: rows.length,
      steps: 0,
      intents: 0,
      goals: 0,
      cancelled: 0,
      lateness: rows.map((r) => now.getTime() - new Date(r.wake_at).getTime()),
    };
    if (!rows.length) return result;
    // 2. Read what deciding needs: definitions, customers, and what the event log says each run heard.
    const defs = await loadDefinitions(
      tx,
      rows.map((r) => ({ ws: r.workspace_id, journeyId: r.journey_id, version: r.version })),
    );
    const def = (r: Pick<RunRow, 'workspace_id' | 'journey_id' | 'version'>) =>
      defs.get(definitionKey(r.workspace_id, r.journey_id, r.version))!;
    const customers = await loadCustomers(tx, rows);
    const check = (r: RunRow) => ({ id: r.id, ws: r.workspace_id, customerId: r.customer_id });
    const exited = await heardInLog(
      tx,
      rows.map((r) => ({ ...check(r), rules: exitsOf(def(r), toRunView(r)) })),
    );
    const waitMatched = await heardInLog(
      tx,
      rows.map((r) => ({ ...check(r), rules: [waitOf(def(r), toRunView(r))].filter((l) => l !== null) })),
    );

    // 3. Advance: a run whose exit was heard ends; the others go through their steps, their needs answered in rounds.
    const done: Advance[] = [];
    const goals: { row: RunRow; heard: Heard<ExitRule> }[] = [];
    let pending: { row: RunRow; run: Run; answers: Answers }[] = [];
    for (const row of rows) {
      const heard = exited.get(row.id);
      if (heard) {
        goals.push({ row, heard });
        continue;
      }
      pending.push({ row, run: toRun(row), answers: { waitMatched: waitMatched.has(row.id) } });
    }
    // Rounds: advance every run; those that need a branch condition or a webhook get it answered, then go again.
    for (let round = 0; pending.length && round < 250; round++) {
      const needs: { row: RunRow; adv: Advance }[] = [];
      for (const p of pending) {
        const adv = advance(
          def(p.row),
          p.run,
          customers.get(`${p.row.workspace_id}:${p.row.customer_id}`)!,
          now,
          p.answers,
        );
        if (adv.need) {
          needs.push({ row: p.row, adv });
          keepPartial(done, adv);
        } else done.push(adv);
      }
      const answers = await answerNeeds(tx, needs, def, now, opts);
      pending = needs.map((n, i) => ({ row: n.row, run: n.adv.run, answers: answers[i]! }));
    }
    // 4. Record what happened (exits and their cancelled messages; states, step logs, customer updates), 5. queue messages.
    result.cancelled = await writeGoals(tx, goals, now);
    await writeAdvances(tx, done, rows, def, now);
    result.goals = goals.length;
    result.steps = done.reduce((n, a) => n + a.logs.length, 0) + goals.length;
    result.intents = done.reduce((n, a) => n + a.intents.length, 0);
    return result;
  });
}

/** A run that stopped on a need has already done some steps: keep those effects (the final state comes later). */
function keepPartial(done: Advance[], adv: Advance) {
  if (adv.logs.length || adv.intents.length || adv.updates.length)
    done.push({ ...adv, need: undefined, partial: true } as Advance & { partial: true });
}

function toRun(r: RunRow): Run {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    journeyId: r.journey_id,
    version: r.version,
    customerId: r.customer_id,
    entryKey: r.entry_key,
    stepId: r.step_id,
    seq: r.seq,
    status: r.status,
    context: r.context,
  };
}

/** Reads the runs' customers with the fields steps use (zone, traits, every score), across workspaces. */
async function readCustomers(tx: Queryable, rows: RunRow[]): Promise<CustomerRow[]> {
  const w = bulkRows(
    { ws: 'text', id: 'bigint' },
    rows.map((r) => ({ ws: r.workspace_id, id: r.customer_id })),
    { at: 1, as: 'w' },
  );
  return tx.query<CustomerRow>(
    `SELECT c.workspace_id, c.id::text, c.user_id, c.timezone, c.traits, ${scoreColumnsSql()}
     FROM customers c JOIN ${w.from} ON c.workspace_id = w.ws AND c.id = w.id`,
    w.params,
  );
}

/** Each run's customer as the step machine sees it, in the customer's zone or else the workspace's. */
async function loadCustomers(tx: Queryable, rows: RunRow[]): Promise<Map<string, CustomerView>> {
  const found = await readCustomers(tx, rows);
  const zones = new Map<string, string>();
  for (const ws of new Set(rows.map((r) => r.workspace_id))) zones.set(ws, (await getJourneySettings(tx, ws)).timezone);
  const out = new Map<string, CustomerView>();
  for (const c of found) {
    const { workspace_id: ws, id, user_id, timezone, ...fields } = c;
    out.set(`${ws}:${id}`, { id, userId: user_id, timezone: customerZone(timezone, zones.get(ws)!), fields });
  }
  // A customer erased while a run waited: the run still needs a view (it ends at its next send or goes on harmlessly).
  for (const r of rows) {
    if (!out.has(`${r.workspace_id}:${r.customer_id}`))
      out.set(`${r.workspace_id}:${r.customer_id}`, {
        id: r.customer_id,
        userId: null,
        timezone: zones.get(r.workspace_id)!,
        fields: {},
      });
  }
  return out;
}

const toRunView = (r: RunRow) => ({ entryKey: r.entry_key, context: r.context });

/**
 * Answers branch conditions (one query per journey step, over its customers), replenishment delays (the products'
 * usual interval, one query each) and calls webhooks (in parallel).
 */
async function answerNeeds(
  tx: Queryable,
  needs: { row: RunRow; adv: Advance }[],
  def: (r: RunRow) => JourneyDefinition,
  now: Date,
  opts: RunnerOptions,
): Promise<Answers[]> {
  const answers: Answers[] = needs.map(() => ({}));
  const branches = new Map<string, number[]>();
  const webhooks: { i: number; request: WebhookRequest }[] = [];
  const intervals: number[] = [];
  needs.forEach((n, i) => {
    const need = n.adv.need!;
    switch (need.kind) {
      case 'branch': {
        const k = `${n.row.workspace_id}\u0000${n.row.journey_id}\u0000${n.row.version}\u0000${need.stepId}`;
        branches.set(k, [...(branches.get(k) ?? []), i]);
        break;
      }
      case 'webhook':
        webhooks.push({ i, request: need.request });
        break;
      case 'interval':
        intervals.push(i);
        break;
      default:
        assertNever(need, 'step need');
    }
  });
  for (const idx of branches.values()) {
    const first = needs[idx[0]!]!;
    const step = stepById(def(first.row), (first.adv.need as { stepId: string }).stepId);
    if (step.type !== 'branch') continue;
    const matched = await customersMeeting(
      tx,
      first.row.workspace_id,
      step.condition as Condition,
      idx.map((i) => needs[i]!.row.customer_id),
      now,
    );
    for (const i of idx) answers[i]!.branch = matched.has(needs[i]!.row.customer_id);
  }
  for (const i of intervals) {
    const { row, adv } = needs[i]!;
    const need = adv.need as Extract<NonNullable<Advance['need']>, { kind: 'interval' }>;
    const step = stepById(def(row), need.stepId);
    const minRepeats = step.type === 'delay' ? (step.productInterval?.minRepeats ?? 3) : 3;
    answers[i]!.interval = replenishDays(await productIntervals(tx, row.workspace_id, need.products, now), minRepeats);
  }
  await Promise.all(
    webhooks.map(async ({ i, request }) => {
      answers[i]!.webhook = await callWebhook(request, now, opts);
    }),
  );
  return answers;
}

/** Which of these customers meet a branch's segment condition now. */
async function customersMeeting(
  tx: Queryable,
  ws: string,
  condition: Condition,
  ids: string[],
  now: Date,
): Promise<Set<string>> {
  const { where, params } = compile(condition, now);
  const rows = await tx.query<{ id: string }>(
    `SELECT c.id::text FROM customers c WHERE c.workspace_id = $1 AND c.id = ANY($${params.length + 2}::bigint[]) AND ${where}`,
    [ws, ...params, ids],
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * POSTs the step's JSON body, signed when the step has a secret (X-Retain-Signature: t=<unix>,v1=<HMAC-SHA256 of
 * "<t>.<body>">) and carrying an Idempotency-Key that is the same on every retry: a receiver that honours it sees
 * each step once even when a worker crashed after the call and the step is done again.
 */
export async function callWebhook(
  req: WebhookRequest,
  now: Date,
  opts: RunnerOptions,
): Promise<NonNullable<Answers['webhook']>> {
  const body = JSON.stringify(req.body);
  const t = Math.floor(now.getTime() / 1000);
  const headers = { ...webhookHeaders(body, req.idempotencyKey, req.secret, t), 'user-agent': 'Retain-Journeys' };
  try {
    const res = await outboundRequest(req.url, {
      headers,
      body: Buffer.from(body),
      timeoutMs: opts.webhookTimeoutMs ?? 10_000,
      policy: opts.outbound,
    });
    // The receiver's answer is not kept: the step log says the status only.
    return res.status >= 200 && res.status < 300
      ? { ok: true, status: res.status }
      : { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    if (err instanceof OutboundRefused) return { ok: false, error: err.message, permanent: true };
    return { ok: false, error: (err as Error).message };
  }
}

/** Ends the runs an exit was found for (goal reached, left the segment) and cancels their messages not sent yet. */
async function writeGoals(tx: Queryable, goals: { row: RunRow; heard: Heard<ExitRule> }[], now: Date): Promise<number> {
  if (!goals.length) return 0;
  await endRunsByExit(
    tx,
    goals.map(({ row: r, heard }) => ({
      run_id: r.id,
      seq: r.seq + 1,
      workspace_id: r.workspace_id,
      journey_id: r.journey_id,
      customer_id: r.customer_id,
      step_id: r.step_id,
      outcome: heard.rule.reason,
      detail: { event: heard.event.name, messageId: heard.event.messageId },
    })),
    now,
  );
  let cancelled = 0;
  for (const ws of new Set(goals.map((g) => g.row.workspace_id))) {
    const mine = goals.filter((g) => g.row.workspace_id === ws);
    cancelled += await cancelHeldMessages(
      tx,
      ws,
      mine.map(({ row, heard }) => ({
        runId: row.id,
        reason: heard.rule.reason,
        detail: exitDetail(heard.rule, heard.event),
      })),
      now,
    );
  }
  return cancelled;
}

/** Writes every advanced run's new state, its step log, intents and customer updates: a handful of set-based statements. */
async function writeAdvances(
  tx: Queryable,
  advances: Advance[],
  rows: RunRow[],
  def: (r: RunRow) => JourneyDefinition,
  now: Date,
) {
  const byId = new Map(rows.map((r) => [r.id, r]));
  await saveRunStates(
    tx,
    advances
      .filter((a) => !(a as { partial?: boolean }).partial)
      .map((a) => ({
        id: a.run.id,
        status: a.run.status,
        step_id: a.run.stepId,
        seq: a.run.seq,
        wake_at: a.wakeAt,
        context: a.run.context,
        ended: a.ended,
      })),
    now,
  );
  await appendStepLog(
    tx,
    advances.flatMap((a) =>
      a.logs.map((l) => ({
        run_id: a.run.id,
        seq: l.seq,
        workspace_id: a.run.workspaceId,
        journey_id: a.run.journeyId,
        customer_id: a.run.customerId,
        step_id: l.stepId,
        type: l.type,
        outcome: l.outcome,
        detail: l.detail ?? null,
      })),
    ),
    now,
  );
  await queueIntents(
    tx,
    advances.flatMap((a) =>
      a.intents.map((m): IntentRow => {
        const ctx = a.run.context;
        return {
          workspace_id: a.run.workspaceId,
          message_key: m.messageKey,
          customer_id: a.run.customerId,
          journey_id: a.run.journeyId,
          journey_version: a.run.version,
          step_id: m.stepId,
          run_id: a.run.id,
          purpose: def(byId.get(a.run.id)!).purpose,
          template: m.template,
          channel: m.channel,
          params: m.params,
          context: { key: ctx.key ?? '', trigger: ctx.trigger ?? null, arms: ctx.arms ?? {} },
          expires_at: m.expiresAt,
          coupon_pool: m.couponPool ?? null,
        };
      }),
    ),
    now,
  );
  for (const a of advances)
    for (const u of a.updates) await updateCustomer(tx, a.run.workspaceId, a.run.customerId, u, now);
}

/** An update step: traits set (null removes), tags added and removed (traits.tags), queued for segment re-evaluation. */
async function updateCustomer(
  tx: Queryable,
  ws: string,
  customerId: string,
  u: { traits: Record<string, unknown>; addTags: string[]; removeTags: string[] },
  now: Date,
) {
  const set = Object.fromEntries(Object.entries(u.traits).filter(([, v]) => v !== null));
  const removed = Object.keys(u.traits).filter((k) => u.traits[k] === null);
  const times = Object.fromEntries(Object.keys(u.traits).map((k) => [k, now.toISOString()]));
  await tx.query(
    `UPDATE customers SET
       traits = CASE WHEN cardinality($6::text[]) + cardinality($7::text[]) = 0 THEN (traits || $3::jsonb) - $4::text[]
         ELSE jsonb_set((traits || $3::jsonb) - $4::text[], '{tags}', (
           SELECT coalesce(jsonb_agg(DISTINCT t ORDER BY t), '[]'::jsonb) FROM (
             SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(traits->'tags') = 'array' THEN traits->'tags' ELSE '[]'::jsonb END) AS t
             UNION SELECT unnest($6::text[])) tags WHERE NOT (t = ANY($7::text[])))) END,
       trait_times = trait_times || $5::jsonb
     WHERE workspace_id = $1 AND id = $2`,
    [ws, customerId, JSON.stringify(set), removed, JSON.stringify(times), u.addTags, u.removeTags],
  );
  await queueChanges(tx, ws, [customerId], now);
}
