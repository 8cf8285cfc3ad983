// update: sets or removes customer traits and adds or removes tags (the runner writes them and queues the customer
// for segment re-evaluation).
import { z } from 'zod';
import { name, next as nextId, scalar, stepBase } from '../schema-parts.ts';
import { next, type StepHandler } from './handler.ts';

export const UpdateStep = z.strictObject({
  ...stepBase,
  type: z.literal('update'),
  traits: z.record(z.string().min(1).max(200), z.union([scalar, z.null()])).optional(),
  addTags: z.array(name).max(50).optional(),
  removeTags: z.array(name).max(50).optional(),
  next: nextId,
});

export const update: StepHandler<z.infer<typeof UpdateStep>> = {
  schema: UpdateStep,
  edges: (step) => [{ key: 'next', to: step.next }],
  advance(step, call) {
    call.update({
      stepId: step.id,
      traits: step.traits ?? {},
      addTags: step.addTags ?? [],
      removeTags: step.removeTags ?? [],
    });
    call.log('updated');
    return next(step.next);
  },
};
