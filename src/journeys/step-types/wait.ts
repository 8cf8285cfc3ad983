// wait: waits for an event (the same cart's, with sameKey) until a timeout; goes on by `next` when it came, else by
// `timeoutNext`. The inbox, the runner and the dispatcher hear it by the same rule (listen.ts waitOf).
import { z } from 'zod';
import { addDuration } from '../../time/index.ts';
import { duration, id, name, next as nextId, stepBase, where } from '../schema-parts.ts';
import { triggerHandler } from '../triggers.ts';
import { next, sleep, type StepHandler } from './handler.ts';

export const WaitStep = z.strictObject({
  ...stepBase,
  type: z.literal('wait'),
  event: name,
  where: where.optional(),
  sameKey: z.boolean().default(false).describe("the event must carry the run's key (the same cart)"),
  timeout: duration,
  next: nextId,
  timeoutNext: id.optional(),
});

export const wait: StepHandler<z.infer<typeof WaitStep>> = {
  schema: WaitStep,
  edges: (step) => [
    { key: 'next', to: step.next },
    { key: 'timeoutNext', to: step.timeoutNext },
  ],
  check: (step, at, def) =>
    step.sameKey && triggerHandler(def.trigger).keyed && !triggerHandler(def.trigger).keyPath(def.trigger)
      ? [
          {
            path: `${at}.sameKey`,
            message: 'needs "key" on the trigger (which property identifies the entity)',
            code: 'needs_trigger_key',
          },
        ]
      : [],
  watches: (step) => [step.event],
  advance(step, { run, now, zone, take, log }) {
    const ctx = run.context;
    if (ctx.wait?.step === step.id) {
      const until = new Date(ctx.wait.until);
      if (take('waitMatched') || ctx.wait.matched) {
        delete ctx.wait;
        log('matched');
        return next(step.next);
      }
      if (now < until) return sleep(until, 'waiting');
      delete ctx.wait;
      log('timeout');
      return next(step.timeoutNext);
    }
    const until = addDuration(now, step.timeout, zone);
    ctx.wait = { step: step.id, since: now.toISOString(), until: until.toISOString() };
    return sleep(until, 'waiting');
  },
};
