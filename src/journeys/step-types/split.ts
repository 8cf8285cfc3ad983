// split: an A/B test: each customer lands in one arm, by weight, the same arm every time (a stable draw).
import { z } from 'zod';
import { pickArm, unitHash } from '../../experiments/index.ts';
import { id, name, stepBase } from '../schema-parts.ts';
import { next, type StepHandler } from './handler.ts';

export const SplitStep = z.strictObject({
  ...stepBase,
  type: z.literal('split'),
  arms: z
    .array(z.strictObject({ name, weight: z.number().positive(), next: id.optional() }))
    .min(2)
    .max(10),
});

export const split: StepHandler<z.infer<typeof SplitStep>> = {
  schema: SplitStep,
  edges: (step) => step.arms.map((a, i) => ({ key: `arms[${i}].next`, to: a.next })),
  advance(step, { run, log }) {
    const arm =
      step.arms[
        pickArm(
          step.arms.map((a) => a.weight),
          unitHash(run.journeyId, step.id, run.customerId),
        )
      ]!;
    (run.context.arms ??= {})[step.id] = arm.name;
    log(arm.name);
    return next(arm.next);
  },
};
