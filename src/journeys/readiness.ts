// What a journey needs from its workspace before it can go live (pure): every send step's template exists and has
// content for each channel its policy can use, each of those channels has a provider, and every segment the trigger
// or a branch names exists and is active. Each problem has the definition's JSON path and says what to do; each step
// type and trigger kind knows its own (step-types/, triggers.ts; the facts and their words: workspace-facts.ts).
import type { DefinitionError, JourneyDefinition } from './definition.ts';
import { handlerOf } from './step-types/index.ts';
import { triggerHandler } from './triggers.ts';
import { SEND_CHANNELS } from './channels.ts';
import { segmentProblems, type WorkspaceFacts } from './workspace-facts.ts';

export { SEND_CHANNELS, type WorkspaceFacts };

/** Every reason `def` cannot go live in this workspace (none: it can be activated). */
export function readinessProblems(def: JourneyDefinition, ws: WorkspaceFacts): DefinitionError[] {
  const segment = triggerHandler(def.trigger).segment(def.trigger);
  return [
    ...(segment !== undefined ? segmentProblems(segment, '$.trigger.segment', ws) : []),
    ...def.steps.flatMap((step, i) => handlerOf(step).ready?.(step, `$.steps[${i}]`, ws) ?? []),
  ];
}
