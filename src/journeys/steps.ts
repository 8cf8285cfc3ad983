// The step machine (pure): moves one run through its steps until it must wait (a delay, an event, a retry) or ends,
// returning what to record and which effects to apply. Whatever needs I/O (a branch condition, a webhook) is asked
// for as a `need` and answered on the next call.
import { stepById, validForOf, type JourneyDefinition, type Step } from './definition.ts';
import { pickArm, unitHash } from '../experiments/index.ts';
import { propertyAt } from './match.ts';
import { addDuration, atLocalTime, nextInWindow } from '../time/index.ts';

export type RunStatus = 'active' | 'waiting' | 'completed' | 'exited' | 'failed';

/** What a run remembers between steps (stored as jsonb on its row). */
export interface RunContext {
  /** When the run was triggered (ISO): a goal counts events from here. */
  enteredAt: string;
  /** The entity key (cart id, order id) or ''. */
  key?: string;
  /** The triggering event (its properties feed templates, waits and dates). */
  trigger?: { event?: string; messageId?: string; properties?: Record<string, unknown>; at?: string };
  timer?: { step: string; until: string };
  wait?: { step: string; since: string; until: string; matched?: boolean };
  arms?: Record<string, string>;
  attempts?: Record<string, number>;
  /** While the journey is paused: when the run is due again once it resumes (its wake time is NULL meanwhile). */
  pausedWake?: string;
}

export interface Run {
  id: string;
  workspaceId: string;
  journeyId: string;
  version: number;
  customerId: string;
  entryKey: string;
  stepId: string;
  seq: number;
  status: RunStatus;
  context: RunContext;
}

export interface CustomerView {
  id: string;
  userId: string | null;
  /** The customer's IANA zone, or the workspace default. */
  timezone: string;
  /** Scores and traits by the names a send step's {by} can use: rfm_segment, churn_risk, …, traits. */
  fields: Record<string, unknown>;
}

export interface StepLog {
  seq: number;
  stepId: string;
  type: Step['type'] | 'goal';
  outcome: string;
  detail?: Record<string, unknown>;
}

export interface MessageIntent {
  messageKey: string;
  stepId: string;
  template: string;
  channel: unknown;
  params: Record<string, unknown>;
  /** Held past this instant (ISO), the message is dropped as expired: the step's validFor after the step. */
  expiresAt: string;
}

export interface CustomerUpdate {
  stepId: string;
  traits: Record<string, unknown>;
  addTags: string[];
  removeTags: string[];
}

export interface WebhookRequest {
  stepId: string;
  url: string;
  secret?: string;
  /** The receiver's idempotency key: the same for every retry of this run's step. */
  idempotencyKey: string;
  body: Record<string, unknown>;
}

export type Need = { kind: 'branch'; stepId: string } | { kind: 'webhook'; request: WebhookRequest };

export interface Answers {
  branch?: boolean;
  /** `permanent`: another try would fail the same way (the address is refused), so the step fails at once. */
  webhook?: { ok: boolean; status?: number; error?: string; permanent?: boolean };
  /** For a run woken at a wait step: whether the awaited event came. */
  waitMatched?: boolean;
}

export interface Advance {
  run: Run;
  wakeAt: Date | null;
  ended: boolean;
  logs: StepLog[];
  intents: MessageIntent[];
  updates: CustomerUpdate[];
  need?: Need;
}

/** Webhook attempts before the step is given up (logged failed) and the run goes on. */
export const WEBHOOK_ATTEMPTS = 5;

/** The message key of a send step in a run: one message per run and step, ever. */
export const messageKey = (run: Pick<Run, 'journeyId' | 'id'>, stepId: string) => `journey:${run.journeyId}:run:${run.id}:${stepId}`;

/** A send step's params: plain values as they are; {by, map, default} looked up by the customer's field. */
export function resolveParams(params: Record<string, unknown> | undefined, customer: CustomerView): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value && typeof value === 'object' && 'by' in value) {
      const { by, map, default: fallback } = value as { by: string; map: Record<string, unknown>; default?: unknown };
      const field = by.startsWith('traits.') ? propertyAt(customer.fields.traits, by.slice(7)) : customer.fields[by];
      out[name] = (field !== undefined && field !== null ? map[String(field)] : undefined) ?? fallback ?? null;
    } else out[name] = value;
  }
  return out;
}

/**
 * Advances `run` at `now` as far as it can go. Call again with `answers` when the result has a `need`.
 * The run passed in is not changed; the returned one is its next state.
 */
export function advance(def: JourneyDefinition, input: Run, customer: CustomerView, now: Date, answers: Answers = {}): Advance {
  const run: Run = { ...input, context: structuredClone(input.context) };
  const ctx = run.context;
  const out: Advance = { run, wakeAt: null, ended: false, logs: [], intents: [], updates: [] };
  const zone = customer.timezone;
  let { branch, webhook, waitMatched } = answers;
  const log = (step: Step, outcome: string, detail?: Record<string, unknown>) => {
    run.seq += 1;
    out.logs.push({ seq: run.seq, stepId: step.id, type: step.type, outcome, ...(detail ? { detail } : {}) });
  };
  const end = (status: RunStatus) => {
    run.status = status;
    out.ended = true;
    out.wakeAt = null;
    return out;
  };
  const sleep = (until: Date, status: RunStatus = 'active') => {
    run.status = status;
    out.wakeAt = until;
    return out;
  };

  for (let guard = 0; guard <= def.steps.length * 2 + 2; guard++) {
    const step = stepById(def, run.stepId);
    let to: string | undefined;
    switch (step.type) {
      case 'delay': {
        if (ctx.timer?.step === step.id) {
          const until = new Date(ctx.timer.until);
          if (now < until) return sleep(until);
          delete ctx.timer;
          log(step, 'passed');
          to = step.next;
          break;
        }
        const until = delayEnd(step, ctx, now, zone);
        if (!until) {
          log(step, 'failed', { reason: `the event has no date in property "${step.untilProperty?.property}"` });
          return end('failed');
        }
        if (until <= now) {
          log(step, 'passed', { late: true });
          to = step.next;
          break;
        }
        ctx.timer = { step: step.id, until: until.toISOString() };
        return sleep(until);
      }
      case 'wait': {
        if (ctx.wait?.step === step.id) {
          const until = new Date(ctx.wait.until);
          if (waitMatched || ctx.wait.matched) {
            delete ctx.wait;
            waitMatched = undefined;
            log(step, 'matched');
            to = step.next;
            break;
          }
          if (now < until) return sleep(until, 'waiting');
          delete ctx.wait;
          log(step, 'timeout');
          to = step.timeoutNext;
          break;
        }
        const until = addDuration(now, step.timeout, zone);
        ctx.wait = { step: step.id, since: now.toISOString(), until: until.toISOString() };
        return sleep(until, 'waiting');
      }
      case 'branch': {
        if (branch === undefined) {
          out.need = { kind: 'branch', stepId: step.id };
          return out;
        }
        log(step, branch ? 'yes' : 'no');
        to = branch ? step.yes : step.no;
        branch = undefined;
        break;
      }
      case 'split': {
        const arm = step.arms[pickArm(step.arms.map((a) => a.weight), unitHash(run.journeyId, step.id, run.customerId))]!;
        (ctx.arms ??= {})[step.id] = arm.name;
        log(step, arm.name);
        to = arm.next;
        break;
      }
      case 'holdout': {
        if (unitHash(run.journeyId, step.id, 'holdout', run.customerId) < step.percent / 100) {
          log(step, 'held_out');
          return end('exited');
        }
        log(step, 'passed');
        to = step.next;
        break;
      }
      case 'send': {
        const key = messageKey(run, step.id);
        out.intents.push({
          messageKey: key, stepId: step.id, template: step.template, channel: step.channel, params: resolveParams(step.params, customer),
          expiresAt: addDuration(now, validForOf(def, step), zone).toISOString(),
        });
        log(step, 'queued', { messageKey: key, template: step.template });
        to = step.next;
        break;
      }
      case 'update': {
        out.updates.push({ stepId: step.id, traits: step.traits ?? {}, addTags: step.addTags ?? [], removeTags: step.removeTags ?? [] });
        log(step, 'updated');
        to = step.next;
        break;
      }
      case 'webhook': {
        if (!webhook) {
          out.need = {
            kind: 'webhook',
            request: {
              stepId: step.id, url: step.url, secret: step.secret, idempotencyKey: `journey:${run.journeyId}:run:${run.id}:${step.id}`,
              body: {
                journey: run.journeyId, version: run.version, run: run.id, step: step.id,
                customer: { id: customer.id, userId: customer.userId }, key: ctx.key ?? '', trigger: ctx.trigger ?? null,
              },
            },
          };
          return out;
        }
        const attempts = (ctx.attempts?.[step.id] ?? 0) + 1;
        if (webhook.ok) {
          log(step, 'called', { status: webhook.status, attempts });
          to = step.next;
        } else if (attempts < WEBHOOK_ATTEMPTS && !webhook.permanent) {
          (ctx.attempts ??= {})[step.id] = attempts;
          log(step, 'retry', { status: webhook.status, error: webhook.error, attempts });
          return sleep(new Date(now.getTime() + 60_000 * 2 ** (attempts - 1)));
        } else {
          log(step, 'failed', { status: webhook.status, error: webhook.error, attempts });
          to = step.next;
        }
        webhook = undefined;
        break;
      }
      case 'exit':
        log(step, 'exit');
        return end('exited');
    }
    if (!to) return end('completed');
    run.stepId = to;
  }
  throw new Error(`journey ${run.journeyId} run ${run.id}: too many steps in one advance (a cycle?)`);
}

/** When a delay step ends, or null when it waits for a date the event does not carry. */
function delayEnd(step: Extract<Step, { type: 'delay' }>, ctx: RunContext, now: Date, zone: string): Date | null {
  if (step.duration) return addDuration(now, step.duration, zone);
  if (step.window) return nextInWindow(now, zone, step.window);
  const u = step.untilProperty!;
  const value = propertyAt(ctx.trigger?.properties, u.property);
  if (u.at) return atLocalTime(value, u.offsetDays, u.at, zone);
  const instant = typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
  if (!instant || Number.isNaN(instant.getTime())) return null;
  return new Date(instant.getTime() + u.offsetDays * 86_400_000);
}
