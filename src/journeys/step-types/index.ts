// The step types: the union a definition's steps are parsed with, and one handler per type. A type in the union
// without a handler (or a handler without its type) does not compile: see "How to add a step type" in
// docs/architecture.md.
import { z } from 'zod';
import type { StepHandler } from './handler.ts';
import { branch, BranchStep } from './branch.ts';
import { delay, DelayStep } from './delay.ts';
import { exit, ExitStep } from './exit.ts';
import { holdout, HoldoutStep } from './holdout.ts';
import { send, SendStep } from './send.ts';
import { split, SplitStep } from './split.ts';
import { update, UpdateStep } from './update.ts';
import { wait, WaitStep } from './wait.ts';
import { webhook, WebhookStep } from './webhook.ts';

export const Step = z.discriminatedUnion('type', [
  DelayStep,
  WaitStep,
  BranchStep,
  SplitStep,
  HoldoutStep,
  SendStep,
  UpdateStep,
  WebhookStep,
  ExitStep,
]);
export type Step = z.infer<typeof Step>;
export type StepType = Step['type'];
export type StepOf<T extends StepType> = Extract<Step, { type: T }>;

/** One handler for every step type: TypeScript refuses this record while one is missing. */
export type StepHandlers = { [T in StepType]: StepHandler<StepOf<T>> };

export const STEP_TYPES: StepHandlers = { delay, wait, branch, split, holdout, send, update, webhook, exit };

/** The handler of this step's type; a type nobody handles (a row written by another version) fails loudly. */
export function handlerOf(step: Step): StepHandler<Step> {
  const handler = STEP_TYPES[step.type] as StepHandler<Step> | undefined;
  if (!handler) throw new Error(`no handler for step type ${JSON.stringify(step.type)} (step "${step.id}")`);
  return handler;
}

export type { StepCall, StepHandler } from './handler.ts';
