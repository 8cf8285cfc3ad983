// branch: goes on by `yes` or `no` as the customer meets a segment condition now (the runner answers it in one query
// per journey step over the batch's customers).
import { z } from 'zod';
import { segmentRefsAt, validateDefinition as validateCondition, type Condition } from '../../segments/index.ts';
import type { DefinitionError } from '../definition.ts';
import { id, stepBase } from '../schema-parts.ts';
import { segmentProblems } from '../workspace-facts.ts';
import { need, next, type StepHandler } from './handler.ts';

export const BranchStep = z.strictObject({
  ...stepBase,
  type: z.literal('branch'),
  condition: z.unknown(),
  yes: id.optional(),
  no: id.optional(),
});

export const branch: StepHandler<z.infer<typeof BranchStep>> = {
  schema: BranchStep,
  edges: (step) => [
    { key: 'yes', to: step.yes },
    { key: 'no', to: step.no },
  ],
  check(step, at) {
    const v = validateCondition(step.condition);
    const errors = v.ok
      ? []
      : v.errors.map(
          (e): DefinitionError => ({
            path: `${at}.condition${e.path.slice(1)}`,
            message: e.message,
            code: 'condition',
            values: { detail: e.message },
          }),
        );
    if (!step.yes && !step.no)
      errors.push({ path: at, message: 'a branch needs "yes", "no" or both', code: 'branch_needs_edge' });
    return errors;
  },
  // its condition was validated with the definition; its segment conditions name segments like a trigger does
  ready: (step, at, ws) =>
    segmentRefsAt(step.condition as Condition, `${at}.condition`).flatMap((ref) =>
      segmentProblems(ref.segment, `${ref.path}.segment`, ws),
    ),
  advance(step, { take, log }) {
    const yes = take('branch');
    if (yes === undefined) return need({ kind: 'branch', stepId: step.id });
    log(yes ? 'yes' : 'no');
    return next(yes ? step.yes : step.no);
  },
};
