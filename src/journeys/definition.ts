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
import { InvalidDefinitionError, schemaCode } from '../lib/index.ts';
import type { JourneyCoded } from './problem-codes.ts';
import { z } from 'zod';
import type { AllowList } from '../net/index.ts';
import { id, name, where } from './schema-parts.ts';
import { handlerOf, Step, type StepType } from './step-types/index.ts';
import { Trigger, triggerHandler } from './triggers.ts';
import { validForDefault } from './validity.ts';

export { Step, Trigger, type StepType };

export const JourneyDefinition = z.strictObject({
  purpose: z
    .enum(['marketing', 'transactional'])
    .default('marketing')
    .describe('marketing journeys skip the global control group; transactional ones reach everyone'),
  trigger: Trigger,
  entry: z
    .strictObject({
      mode: z.enum(['once', 'every', 'cooldown']).default('every'),
      days: z.number().positive().max(3660).optional().describe('cooldown: at most one entry per this many days'),
      whilePaused: z
        .enum(['skip', 'catch_up'])
        .optional()
        .describe(
          'entries due while the journey is paused: skip them (default), or let them enter at the resume (catch_up)',
        ),
    })
    .default({ mode: 'every' }),
  goal: z
    .strictObject({ event: name, where: where.optional(), sameKey: z.boolean().default(false) })
    .optional()
    .describe('a run ends as soon as the customer does this (the order that ends an abandoned-cart journey)'),
  start: id,
  steps: z.array(Step).min(1).max(200),
});
export type JourneyDefinition = z.infer<typeof JourneyDefinition>;

/** One problem: its JSON path (e.g. $.steps[2].duration), what is wrong in English, and the same as a stable code. */
export interface DefinitionError extends JourneyCoded {
  path: string;
  message: string;
}

export class InvalidJourney extends InvalidDefinitionError {
  constructor(errors: DefinitionError[]) {
    super('journey', errors);
  }
}

const pathOf = (segments: readonly PropertyKey[]) =>
  segments.reduce<string>((p, s) => (typeof s === 'number' ? `${p}[${s}]` : `${p}.${String(s)}`), '$');

/** A schema issue's code: a pattern in this schema is always an id's, a URL format a webhook's address. */
function journeyCode(issue: z.core.$ZodIssue, input: unknown): JourneyCoded {
  if (issue.code === 'invalid_format')
    return issue.format === 'regex'
      ? { code: 'bad_id' }
      : issue.format === 'url'
        ? { code: 'not_url' }
        : { code: 'bad_format' };
  return schemaCode(issue, input) as JourneyCoded;
}

/** The steps a step can go to, with the JSON key naming each edge (its type's handler knows them). */
export function edges(step: Step): { key: string; to: string }[] {
  return handlerOf(step)
    .edges(step)
    .filter((e): e is { key: string; to: string } => !!e.to);
}

/** Graph rules: unique ids, a start that exists, edges that exist, every step reachable from start, no cycle. */
function checkGraph(def: JourneyDefinition, errors: DefinitionError[]) {
  const index = new Map<string, number>();
  def.steps.forEach((s, i) => {
    if (index.has(s.id))
      errors.push({
        path: `$.steps[${i}].id`,
        message: `"${s.id}" is already the id of steps[${index.get(s.id)}]`,
        code: 'duplicate_id',
        values: { id: s.id, index: index.get(s.id)! },
      });
    else index.set(s.id, i);
  });
  if (!index.has(def.start))
    errors.push({
      path: '$.start',
      message: `no step has the id "${def.start}"`,
      code: 'no_such_step',
      values: { id: def.start },
    });
  def.steps.forEach((s, i) => {
    for (const e of edges(s))
      if (!index.has(e.to))
        errors.push({
          path: `$.steps[${i}].${e.key}`,
          message: `no step has the id "${e.to}"`,
          code: 'no_such_step',
          values: { id: e.to },
        });
  });
  if (errors.length) return;
  const state = new Map<string, 'open' | 'done'>();
  const visit = (sid: string): void => {
    state.set(sid, 'open');
    const i = index.get(sid)!;
    for (const e of edges(def.steps[i]!)) {
      if (state.get(e.to) === 'open')
        errors.push({
          path: `$.steps[${i}].${e.key}`,
          message: `going back to "${e.to}" makes a loop; a journey is a graph without cycles`,
          code: 'loop',
          values: { id: e.to },
        });
      else if (!state.has(e.to)) visit(e.to);
    }
    state.set(sid, 'done');
  };
  visit(def.start);
  def.steps.forEach((s, i) => {
    if (!state.has(s.id))
      errors.push({
        path: `$.steps[${i}]`,
        message: `step "${s.id}" cannot be reached from the start step "${def.start}"`,
        code: 'unreachable',
        values: { id: s.id, start: def.start },
      });
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
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message, ...journeyCode(i, input) })),
    };
  }
  const def = parsed.data;
  const errors: DefinitionError[] = [];
  def.steps.forEach((s, i) => errors.push(...(handlerOf(s).check?.(s, `$.steps[${i}]`, def, allow) ?? [])));
  if (def.entry.mode === 'cooldown' && !def.entry.days)
    errors.push({ path: '$.entry.days', message: 'is required with mode "cooldown"', code: 'cooldown_needs_days' });
  const trigger = triggerHandler(def.trigger);
  errors.push(...(trigger.check?.(def.trigger, def) ?? []));
  if (def.goal?.sameKey && !trigger.keyed)
    errors.push({
      path: '$.goal.sameKey',
      message: 'needs an event trigger with a "key"',
      code: 'goal_needs_keyed_trigger',
    });
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
  return triggerHandler(def.trigger).startsOn(def.trigger);
}

/** Event names this definition listens to while active: its trigger, waits and goal (segment triggers listen to segment events). */
export function watchedEvents(def: JourneyDefinition): string[] {
  const names = new Set<string>(triggerEvents(def));
  for (const event of triggerHandler(def.trigger).watches?.(def.trigger) ?? []) names.add(event);
  if (def.goal) names.add(def.goal.event);
  for (const s of def.steps) for (const event of handlerOf(s).watches?.(s) ?? []) names.add(event);
  return [...names].sort();
}

export { validForDefault };
