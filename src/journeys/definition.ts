// Journey definitions (pure): the JSON language of triggers, entry rules and steps, validated with the JSON path of
// every bad field, and checked as a graph (every `next` exists, every step reachable, no cycles).
//
// Example (abandoned cart):
//   { "purpose": "marketing",
//     "trigger": { "type": "event", "event": "Product Added", "key": "cartId" },
//     "goal": { "event": "Order Completed", "sameKey": true },
//     "start": "wait",
//     "steps": [
//       { "id": "wait", "type": "delay", "duration": "PT1H", "next": "remind" },
//       { "id": "remind", "type": "send", "template": "cart-reminder", "channel": { "fixed": "email" } } ] }
import { z } from 'zod';
import { validateDefinition as validateCondition, type Condition } from '../segments/dsl.ts';
import { cronError, durationError, isValidZone, timeOfDayError } from '../time/index.ts';
import { validForDefault } from './validity.ts';
import { urlRefusal, type AllowList } from '../net/policy.ts';

const id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "-" and "." (at most 64)');
const name = z.string().min(1).max(200);
const scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);
const check = (fn: (s: string) => string | null) => z.string().superRefine((s, ctx) => {
  const err = fn(s);
  if (err) ctx.addIssue({ code: 'custom', message: err });
});
const duration = check(durationError);
const timeOfDay = check(timeOfDayError);
const zone = check((s) => (isValidZone(s) ? null : `unknown time zone ${JSON.stringify(s)} (an IANA name such as "Europe/Warsaw")`));
const weekdays = z.array(z.number().int().min(1).max(7)).max(7).describe('1 = Monday … 7 = Sunday');
/** Event property filter: every listed property must equal its value. */
const where = z.record(z.string().min(1).max(200), scalar);
const propertyPath = z.string().min(1).max(200).describe('a property of the triggering event, e.g. "dueDate" or "cart.id"');

// ---- triggers ----
const EventTrigger = z.strictObject({
  type: z.literal('event'), event: name, where: where.optional(),
  key: propertyPath.optional().describe('one run per value of this property (a cart id, an order id)'),
});
const SegmentTrigger = z.strictObject({
  type: z.literal('segment'), segment: id, on: z.enum(['enter', 'exit']),
  exitOnLeave: z.boolean().optional()
    .describe('with on "enter": the run ends when the customer leaves the segment, and its messages not sent yet are cancelled'),
});
const DateTrigger = z.strictObject({
  type: z.literal('date'), trait: z.string().min(1).max(200), yearly: z.boolean().default(false),
  offsetDays: z.number().int().min(-366).max(366).default(0), at: timeOfDay, segment: id.optional(),
});
const ScheduleTrigger = z.strictObject({
  type: z.literal('schedule'), cron: check(cronError), timezone: zone.optional().describe('default: each customer\'s own'), segment: id,
});
const BroadcastTrigger = z.strictObject({
  type: z.literal('broadcast'), segment: id, perMinute: z.number().int().min(1).max(10_000_000).default(60_000),
});
export const Trigger = z.discriminatedUnion('type', [EventTrigger, SegmentTrigger, DateTrigger, ScheduleTrigger, BroadcastTrigger]);
export type Trigger = z.infer<typeof Trigger>;

// ---- steps ----
const base = { id, label: z.string().max(200).optional(), ui: z.strictObject({ x: z.number(), y: z.number() }).optional() };
const next = id.optional().describe('the following step; none = the run ends here');
const DelayStep = z.strictObject({
  ...base, type: z.literal('delay'), next,
  duration: duration.optional(),
  window: z.strictObject({ from: timeOfDay, to: timeOfDay, weekdays: weekdays.optional() }).optional(),
  untilProperty: z.strictObject({ property: propertyPath, offsetDays: z.number().int().min(-366).max(366).default(0), at: timeOfDay.optional() }).optional(),
}).superRefine((s, ctx) => {
  const kinds = ['duration', 'window', 'untilProperty'].filter((k) => s[k as keyof typeof s] !== undefined);
  if (kinds.length !== 1) ctx.addIssue({ code: 'custom', message: 'a delay has exactly one of "duration", "window" or "untilProperty"' });
});
const WaitStep = z.strictObject({
  ...base, type: z.literal('wait'), event: name, where: where.optional(),
  sameKey: z.boolean().default(false).describe('the event must carry the run\'s key (the same cart)'),
  timeout: duration, next, timeoutNext: id.optional(),
});
const BranchStep = z.strictObject({ ...base, type: z.literal('branch'), condition: z.unknown(), yes: id.optional(), no: id.optional() });
const SplitStep = z.strictObject({
  ...base, type: z.literal('split'),
  arms: z.array(z.strictObject({ name, weight: z.number().positive(), next: id.optional() })).min(2).max(10),
});
const HoldoutStep = z.strictObject({ ...base, type: z.literal('holdout'), percent: z.number().gt(0).lt(100), next });
const byField = z.strictObject({
  by: z.string().min(1).max(200).describe('a customer field: rfm_segment, churn_risk, lifecycle_stage, or traits.NAME'),
  map: z.record(z.string(), scalar), default: scalar.optional(),
});
const ChannelPolicy = z.union([
  z.strictObject({ fixed: name }),
  z.strictObject({ best: z.array(name).min(1).max(10) }),
  z.strictObject({ cascade: z.array(z.strictObject({ channel: name, timeout: duration })).min(2).max(10) }),
]);
const SendStep = z.strictObject({
  ...base, type: z.literal('send'), template: id, channel: ChannelPolicy,
  params: z.record(z.string().min(1).max(100), z.union([scalar, byField])).optional()
    .describe('values for the template; {by, map, default} picks one by a customer field (a coupon worth more to Champions)'),
  validFor: duration.optional()
    .describe('how long after the step the message stays worth sending (PT12H); held longer by quiet hours, a cap or retries, it is dropped as expired. Default: marketing PT12H after an event trigger, P2D after a segment or broadcast, P1D after a date or schedule; transactional P3D'),
  next,
});
const UpdateStep = z.strictObject({
  ...base, type: z.literal('update'), traits: z.record(z.string().min(1).max(200), z.union([scalar, z.null()])).optional(),
  addTags: z.array(name).max(50).optional(), removeTags: z.array(name).max(50).optional(), next,
});
const WebhookStep = z.strictObject({
  ...base, type: z.literal('webhook'), url: z.url({ protocol: /^https?$/ }),
  secret: z.string().min(8).max(500).optional(), next,
});
const ExitStep = z.strictObject({ ...base, type: z.literal('exit') });
export const Step = z.discriminatedUnion('type', [DelayStep, WaitStep, BranchStep, SplitStep, HoldoutStep, SendStep, UpdateStep, WebhookStep, ExitStep]);
export type Step = z.infer<typeof Step>;
export type StepType = Step['type'];

export const JourneyDefinition = z.strictObject({
  purpose: z.enum(['marketing', 'transactional']).default('marketing')
    .describe('marketing journeys skip the global control group; transactional ones reach everyone'),
  trigger: Trigger,
  entry: z.strictObject({
    mode: z.enum(['once', 'every', 'cooldown']).default('every'),
    days: z.number().positive().max(3660).optional().describe('cooldown: at most one entry per this many days'),
    whilePaused: z.enum(['skip', 'catch_up']).optional()
      .describe('entries due while the journey is paused: skip them (default), or let them enter at the resume (catch_up)'),
  }).default({ mode: 'every' }),
  goal: z.strictObject({ event: name, where: where.optional(), sameKey: z.boolean().default(false) }).optional()
    .describe('a run ends as soon as the customer does this (the order that ends an abandoned-cart journey)'),
  start: id,
  steps: z.array(Step).min(1).max(200),
});
export type JourneyDefinition = z.infer<typeof JourneyDefinition>;

/** The validity of a send step's message: its own `validFor`, else the default for the journey's purpose and trigger. */
export const validForOf = (def: JourneyDefinition, step: Extract<Step, { type: 'send' }>): string =>
  step.validFor ?? validForDefault(def.purpose, def.trigger.type);

export interface DefinitionError {
  path: string; // JSON path, e.g. $.steps[2].duration
  message: string;
}

export class InvalidJourney extends Error {
  readonly code = 'invalid_definition';
  constructor(readonly errors: DefinitionError[]) {
    super(`invalid journey definition: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
}

const pathOf = (segments: readonly PropertyKey[]) =>
  segments.reduce<string>((p, s) => (typeof s === 'number' ? `${p}[${s}]` : `${p}.${String(s)}`), '$');

/** The steps a step can go to, with the JSON key naming each edge. */
export function edges(step: Step): { key: string; to: string }[] {
  const out: { key: string; to: string | undefined }[] = [];
  switch (step.type) {
    case 'branch': out.push({ key: 'yes', to: step.yes }, { key: 'no', to: step.no }); break;
    case 'split': step.arms.forEach((a, i) => out.push({ key: `arms[${i}].next`, to: a.next })); break;
    case 'wait': out.push({ key: 'next', to: step.next }, { key: 'timeoutNext', to: step.timeoutNext }); break;
    case 'exit': break;
    default: out.push({ key: 'next', to: step.next });
  }
  return out.filter((e): e is { key: string; to: string } => !!e.to);
}

/** Graph rules: unique ids, a start that exists, edges that exist, every step reachable from start, no cycle. */
function checkGraph(def: JourneyDefinition, errors: DefinitionError[]) {
  const index = new Map<string, number>();
  def.steps.forEach((s, i) => {
    if (index.has(s.id)) errors.push({ path: `$.steps[${i}].id`, message: `"${s.id}" is already the id of steps[${index.get(s.id)}]` });
    else index.set(s.id, i);
  });
  if (!index.has(def.start)) errors.push({ path: '$.start', message: `no step has the id "${def.start}"` });
  def.steps.forEach((s, i) => {
    for (const e of edges(s)) if (!index.has(e.to)) errors.push({ path: `$.steps[${i}].${e.key}`, message: `no step has the id "${e.to}"` });
  });
  if (errors.length) return;
  const state = new Map<string, 'open' | 'done'>();
  const visit = (sid: string): void => {
    state.set(sid, 'open');
    const i = index.get(sid)!;
    for (const e of edges(def.steps[i]!)) {
      if (state.get(e.to) === 'open') errors.push({ path: `$.steps[${i}].${e.key}`, message: `going back to "${e.to}" makes a loop; a journey is a graph without cycles` });
      else if (!state.has(e.to)) visit(e.to);
    }
    state.set(sid, 'done');
  };
  visit(def.start);
  def.steps.forEach((s, i) => {
    if (!state.has(s.id)) errors.push({ path: `$.steps[${i}]`, message: `step "${s.id}" cannot be reached from the start step "${def.start}"` });
  });
}

export type JourneyValidation = { ok: true; definition: JourneyDefinition } | { ok: false; errors: DefinitionError[] };

/**
 * Validates a definition: the typed, defaulted definition, or every error with its JSON path and what is wrong. With
 * `allow` (the operator's allow list), a webhook step whose URL is an address Retain never calls is an error too.
 */
export function validateJourney(input: unknown, allow?: AllowList): JourneyValidation {
  const parsed = JourneyDefinition.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message })) };
  }
  const def = parsed.data;
  const errors: DefinitionError[] = [];
  def.steps.forEach((s, i) => {
    const refused = allow && s.type === 'webhook' ? urlRefusal(s.url, allow) : null;
    if (refused) errors.push({ path: `$.steps[${i}].url`, message: refused });
    if (s.type !== 'branch') return;
    const v = validateCondition(s.condition);
    if (!v.ok) for (const e of v.errors) errors.push({ path: `$.steps[${i}].condition${e.path.slice(1)}`, message: e.message });
    if (s.type === 'branch' && !s.yes && !s.no) errors.push({ path: `$.steps[${i}]`, message: 'a branch needs "yes", "no" or both' });
  });
  if (def.entry.mode === 'cooldown' && !def.entry.days) errors.push({ path: '$.entry.days', message: 'is required with mode "cooldown"' });
  if (def.trigger.type === 'broadcast' && def.entry.whilePaused) {
    errors.push({ path: '$.entry.whilePaused', message: 'a broadcast goes on with its next customers when resumed; leave whilePaused out' });
  }
  if (def.trigger.type === 'segment' && def.trigger.exitOnLeave && def.trigger.on === 'exit') {
    errors.push({ path: '$.trigger.exitOnLeave', message: 'needs on "enter": a journey started by leaving the segment cannot end when the customer leaves it' });
  }
  if (def.trigger.type !== 'event' && def.goal?.sameKey) errors.push({ path: '$.goal.sameKey', message: 'needs an event trigger with a "key"' });
  if (def.trigger.type === 'event' && !def.trigger.key) {
    if (def.goal?.sameKey) errors.push({ path: '$.goal.sameKey', message: 'needs "key" on the trigger (which property identifies the entity)' });
    def.steps.forEach((s, i) => {
      if (s.type === 'wait' && s.sameKey) errors.push({ path: `$.steps[${i}].sameKey`, message: 'needs "key" on the trigger (which property identifies the entity)' });
    });
  }
  checkGraph(def, errors);
  return errors.length ? { ok: false, errors } : { ok: true, definition: def };
}

/** The typed definition, or throws InvalidJourney listing every error (`allow`: see validateJourney). */
export function parseJourney(input: unknown, allow?: AllowList): JourneyDefinition {
  const v = validateJourney(input, allow);
  if (!v.ok) throw new InvalidJourney(v.errors);
  return v.definition;
}

/** The step by id (definitions are validated, so a missing id is a bug). */
export function stepById(def: JourneyDefinition, stepId: string): Step {
  const s = def.steps.find((x) => x.id === stepId);
  if (!s) throw new Error(`journey has no step "${stepId}"`);
  return s;
}

/** What happens to the entries due while the journey is paused (see docs/architecture.md, "Pausing"). */
export type WhilePaused = 'skip' | 'catch_up';
export const whilePaused = (def: JourneyDefinition): WhilePaused => def.entry.whilePaused ?? 'skip';

/** The event names that start this journey (segment triggers start on segment events; time triggers on none). */
export function triggerEvents(def: JourneyDefinition): string[] {
  if (def.trigger.type === 'event') return [def.trigger.event];
  if (def.trigger.type === 'segment') return [def.trigger.on === 'enter' ? 'Segment Entered' : 'Segment Exited'];
  return [];
}

/** Event names this definition listens to while active: its trigger, waits and goal (segment triggers listen to segment events). */
export function watchedEvents(def: JourneyDefinition): string[] {
  const names = new Set<string>(triggerEvents(def));
  if (def.trigger.type === 'segment' && def.trigger.exitOnLeave) names.add('Segment Exited');
  if (def.goal) names.add(def.goal.event);
  for (const s of def.steps) if (s.type === 'wait') names.add(s.event);
  return [...names].sort();
}

export type { Condition };
export { validForDefault };
