// holdout: a stable share of the journey's customers leaves here (held out), to measure what the rest gained.
import { z } from 'zod';
import { unitHash } from '../../experiments/index.ts';
import { next as nextId, stepBase } from '../schema-parts.ts';
import { end, next, type StepHandler } from './handler.ts';

export const HoldoutStep = z.strictObject({
  ...stepBase,
  type: z.literal('holdout'),
  percent: z.number().gt(0).lt(100),
  next: nextId,
});

export const holdout: StepHandler<z.infer<typeof HoldoutStep>> = {
  schema: HoldoutStep,
  edges: (step) => [{ key: 'next', to: step.next }],
  advance(step, { run, log }) {
    if (unitHash(run.journeyId, step.id, 'holdout', run.customerId) < step.percent / 100) {
      log('held_out');
      return end('exited');
    }
    log('passed');
    return next(step.next);
  },
};
