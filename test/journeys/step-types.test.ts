// One definition per step type and trigger kind: each type of the schema has exactly one handler, with that schema, and
// a record or a switch that forgets one does not compile (the @ts-expect-error lines: `npx tsc --noEmit -p .` fails
// if they stop being errors). A step type nobody handles at run time fails loudly instead of completing the run.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import { STEP_TYPES, Step, type StepHandlers, type StepType } from '../../src/journeys/step-types/index.ts';
import { TRIGGER_KINDS, Trigger, type TriggerHandlers, type TriggerKind } from '../../src/journeys/triggers.ts';
import { SWEEPS } from '../../src/journeys/store/sweeps.ts';
import { advance, type Run } from '../../src/journeys/steps.ts';
import { parseJourney, type JourneyDefinition } from '../../src/journeys/definition.ts';
import { assertNever } from '../../src/lib/never.ts';

type Literal = z.ZodObject<{ type: z.ZodLiteral<string> }>;
const typeOf = (schema: unknown) => (schema as Literal).shape.type.value;

describe('step types and trigger kinds: one handler each', () => {
  it('every step type of the schema has a handler built on that very schema, and every handler a type', () => {
    const inSchema = Step.options.map(typeOf).sort();
    assert.deepEqual(Object.keys(STEP_TYPES).sort(), inSchema);
    for (const option of Step.options)
      assert.equal(STEP_TYPES[typeOf(option) as StepType].schema, option, typeOf(option));
  });

  it('every trigger kind of the schema has a handler built on its schema, and a sweep or none', () => {
    const inSchema = Trigger.options.map(typeOf).sort();
    assert.deepEqual(Object.keys(TRIGGER_KINDS).sort(), inSchema);
    assert.deepEqual(Object.keys(SWEEPS).sort(), inSchema);
    for (const option of Trigger.options)
      assert.equal(TRIGGER_KINDS[typeOf(option) as TriggerKind].schema, option, typeOf(option));
  });

  it('a step of a type nobody handles fails the advance instead of completing the run', () => {
    const def = parseJourney({
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'a',
      steps: [{ id: 'a', type: 'exit' }],
    });
    const unknown = { ...def, steps: [{ id: 'a', type: 'teleport' }] } as unknown as JourneyDefinition;
    const run: Run = {
      id: '1',
      workspaceId: 'w',
      journeyId: 'j',
      version: 1,
      customerId: '7',
      entryKey: '',
      stepId: 'a',
      seq: 0,
      status: 'active',
      context: { enteredAt: '2026-01-01T00:00:00.000Z' },
    };
    const customer = { id: '7', userId: null, timezone: 'UTC', fields: {} };
    assert.throws(
      () => advance(unknown, run, customer, new Date('2026-01-01T00:00:00Z')),
      /no handler for step type "teleport"/,
    );
    assert.equal(advance(def, run, customer, new Date('2026-01-01T00:00:00Z')).run.status, 'exited');
  });
});

// ---- compile-time proofs (checked by `npx tsc --noEmit -p .`, which covers test/) ----

// A handler record without one step type does not compile.
const { exit: _exit, ...withoutExit } = STEP_TYPES;
// @ts-expect-error — 'exit' is missing
export const incompleteSteps: StepHandlers = withoutExit;

// Nor does a trigger record without one kind.
const { broadcast: _broadcast, ...withoutBroadcast } = TRIGGER_KINDS;
// @ts-expect-error — 'broadcast' is missing
export const incompleteTriggers: TriggerHandlers = withoutBroadcast;

// A switch over the step types that forgets one ends in assertNever, which then refuses to compile.
export function forgetful(type: StepType): string {
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- forgetting 'exit' is what this proves
  switch (type) {
    case 'delay':
    case 'wait':
    case 'branch':
    case 'split':
    case 'holdout':
    case 'send':
    case 'update':
    case 'webhook':
      return type;
    default:
      // @ts-expect-error — 'exit' reaches here
      return assertNever(type, 'step type');
  }
}
