// exit: the run ends here (exited).
import { z } from 'zod';
import { stepBase } from '../schema-parts.ts';
import { end, type StepHandler } from './handler.ts';

export const ExitStep = z.strictObject({ ...stepBase, type: z.literal('exit') });

export const exit: StepHandler<z.infer<typeof ExitStep>> = {
  schema: ExitStep,
  edges: () => [],
  advance(_step, { log }) {
    log('exit');
    return end('exited');
  },
};
