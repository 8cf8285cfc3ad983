// The step machine (pure): moves one run through its steps until it must wait (a delay, an event, a retry) or ends,
// returning what to record and which effects to apply. Whatever needs I/O (a branch condition, a webhook) is asked
// for as a `need` and answered on the next call.
import { stepById, type JourneyDefinition, type Step } from './definition.ts';
import { handlerOf, type StepCall } from './step-types/index.ts';
import { assertNever } from '../lib/index.ts';

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
  /** The coupon pool whose code the message carries (given when it is dispatched: src/coupons/assign.ts). */
  couponPool?: string;
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

export type Need =
  | { kind: 'branch'; stepId: string }
  | { kind: 'webhook'; request: WebhookRequest }
  /** A replenishment delay: how many days these products usually last (null: too few repeat purchases to say). */
  | { kind: 'interval'; stepId: string; products: string[] };

export interface Answers {
  branch?: boolean;
  interval?: number | null;
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

/**
 * Advances `run` at `now` as far as it can go. Call again with `answers` when the result has a `need`.
 * The run passed in is not changed; the returned one is its next state.
 */
export function advance(
  def: JourneyDefinition,
  input: Run,
  customer: CustomerView,
  now: Date,
  answers: Answers = {},
): Advance {
  const run: Run = { ...input, context: structuredClone(input.context) };
  const out: Advance = { run, wakeAt: null, ended: false, logs: [], intents: [], updates: [] };
  const zone = customer.timezone;
  const pending: Answers = { ...answers };

  // Each step's type does its part (step-types/) and says where the run goes.
  for (let guard = 0; guard <= def.steps.length * 2 + 2; guard++) {
    const step = stepById(def, run.stepId);
    const call: StepCall = {
      def,
      run,
      customer,
      now,
      zone,
      take(key) {
        const answer = pending[key];
        delete pending[key];
        return answer;
      },
      log(outcome, detail) {
        run.seq += 1;
        out.logs.push({ seq: run.seq, stepId: step.id, type: step.type, outcome, ...(detail ? { detail } : {}) });
      },
      send: (intent) => out.intents.push(intent),
      update: (change) => out.updates.push(change),
    };
    const move = handlerOf(step).advance(step, call);
    switch (move.kind) {
      case 'next':
        if (!move.to) return end(out, 'completed');
        run.stepId = move.to;
        break;
      case 'sleep':
        run.status = move.status;
        out.wakeAt = move.until;
        return out;
      case 'end':
        return end(out, move.status);
      case 'need':
        out.need = move.need;
        return out;
      default:
        return assertNever(move, 'step move');
    }
  }
  throw new Error(`journey ${run.journeyId} run ${run.id}: too many steps in one advance (a cycle?)`);
}

function end(out: Advance, status: RunStatus): Advance {
  out.run.status = status;
  out.ended = true;
  out.wakeAt = null;
  return out;
}
