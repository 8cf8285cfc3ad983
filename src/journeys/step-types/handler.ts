// What a step type is (types only): one handler record with its schema, its edges in the journey graph, its own checks
// of a definition and of a workspace, the events it listens to, and how it moves a run. step-types/index.ts keeps one
// per type in a record that TypeScript refuses to leave incomplete.
import type { z } from 'zod';
import type { AllowList } from '../../net/index.ts';
import type { DefinitionError, JourneyDefinition } from '../definition.ts';
import type { WorkspaceFacts } from '../workspace-facts.ts';
import type { Answers, CustomerUpdate, CustomerView, MessageIntent, Need, Run } from '../steps.ts';

/** An edge of the journey graph: the JSON key that names it (in error paths) and the step it goes to, if any. */
export interface Edge {
  key: string;
  to: string | undefined;
}

/** Where the run goes once a step has done its part. */
export type Move =
  /** On to that step; none: the run is completed. */
  | { kind: 'next'; to: string | undefined }
  /** Due again at `until` (a timer, a wait's timeout, a retry); `waiting`: an event may wake it sooner. */
  | { kind: 'sleep'; until: Date; status: 'active' | 'waiting' }
  | { kind: 'end'; status: 'exited' | 'failed' }
  /** I/O the runner answers (a branch condition, a webhook call); the step is called again with the answer. */
  | { kind: 'need'; need: Need };

export const next = (to: string | undefined): Move => ({ kind: 'next', to });
export const sleep = (until: Date, status: 'active' | 'waiting' = 'active'): Move => ({ kind: 'sleep', until, status });
export const end = (status: 'exited' | 'failed'): Move => ({ kind: 'end', status });
export const need = (n: Need): Move => ({ kind: 'need', need: n });

/** What the step machine hands a step: the run as it stands (its context may be changed) and ways to record effects. */
export interface StepCall {
  def: JourneyDefinition;
  run: Run;
  customer: CustomerView;
  now: Date;
  /** The customer's zone (or the workspace's). */
  zone: string;
  /** The runner's answer to this step's need, taken once (the next step that asks gets its own). */
  take<K extends keyof Answers>(key: K): Answers[K];
  /** One row of the step log for this step. */
  log(outcome: string, detail?: Record<string, unknown>): void;
  send(intent: MessageIntent): void;
  update(change: CustomerUpdate): void;
}

export interface StepHandler<S extends { type: string; id: string }> {
  schema: z.ZodType<S>;
  /** The steps this one can go to, with the JSON key of each edge. */
  edges(step: S): Edge[];
  /** Definition errors beyond the schema (at: the step's JSON path); `allow` is the operator's outgoing allow list. */
  check?(step: S, at: string, def: JourneyDefinition, allow?: AllowList): DefinitionError[];
  /** What the workspace lacks for this step to go live (a template, a provider, a segment). */
  ready?(step: S, at: string, ws: WorkspaceFacts): DefinitionError[];
  /** Event names a run on this step listens to (they feed the journey inbox). */
  watches?(step: S): string[];
  /** Does the step's part of `advance` (steps.ts) and says where the run goes. */
  advance(step: S, call: StepCall): Move;
}
