// delay: waits a duration, until the next moment inside a local time window, until a date the trigger carries, or for
// as long as the ordered products usually last (the median gap between repeat purchases; a fallback duration else).
import { z } from 'zod';
import { addDuration, atLocalTime, DAY_MS, nextInWindow } from '../../time/index.ts';
import { propertyAt } from '../../lib/index.ts';
import { next as nextId, propertyPath, stepBase, timeOfDay, duration, weekdays } from '../schema-parts.ts';
import type { RunContext } from '../steps.ts';
import { next, sleep, end, need, type StepHandler } from './handler.ts';
import { productsOf } from '../replenish.ts';

export const DelayStep = z
  .strictObject({
    ...stepBase,
    type: z.literal('delay'),
    next: nextId,
    duration: duration.optional(),
    window: z.strictObject({ from: timeOfDay, to: timeOfDay, weekdays: weekdays.optional() }).optional(),
    untilProperty: z
      .strictObject({
        property: propertyPath,
        offsetDays: z.number().int().min(-366).max(366).default(0),
        at: timeOfDay.optional(),
      })
      .optional(),
    productInterval: z
      .strictObject({ fallback: duration, minRepeats: z.number().int().min(1).max(1000).default(3) })
      .optional(),
  })
  .superRefine((s, ctx) => {
    const kinds = ['duration', 'window', 'untilProperty', 'productInterval'].filter(
      (k) => s[k as keyof typeof s] !== undefined,
    );
    if (kinds.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: 'a delay has exactly one of "duration", "window", "untilProperty" or "productInterval"',
        params: { code: 'delay_one_kind' },
      });
  });
type DelayStep = z.infer<typeof DelayStep>;

export const delay: StepHandler<DelayStep> = {
  schema: DelayStep,
  edges: (step) => [{ key: 'next', to: step.next }],
  advance(step, { run, now, zone, log, take }) {
    const ctx = run.context;
    if (ctx.timer?.step === step.id) {
      const until = new Date(ctx.timer.until);
      if (now < until) return sleep(until);
      delete ctx.timer;
      log('passed');
      return next(step.next);
    }
    let until: Date | null;
    if (step.productInterval) {
      const products = productsOf(ctx.trigger?.properties);
      const days = products.length ? take('interval') : null;
      if (days === undefined) return need({ kind: 'interval', stepId: step.id, products });
      until =
        days === null
          ? addDuration(now, step.productInterval.fallback, zone)
          : new Date(now.getTime() + Math.round(days * 86_400_000));
    } else until = delayEnd(step, ctx, now, zone);
    if (!until) {
      log('failed', { reason: `the event has no date in property "${step.untilProperty?.property}"` });
      return end('failed');
    }
    if (until <= now) {
      log('passed', { late: true });
      return next(step.next);
    }
    ctx.timer = { step: step.id, until: until.toISOString() };
    return sleep(until);
  },
};

/** When a delay step ends, or null when it waits for a date the event does not carry. */
function delayEnd(step: DelayStep, ctx: RunContext, now: Date, zone: string): Date | null {
  if (step.duration) return addDuration(now, step.duration, zone);
  if (step.window) return nextInWindow(now, zone, step.window);
  const u = step.untilProperty!;
  const value = propertyAt(ctx.trigger?.properties, u.property);
  if (u.at) return atLocalTime(value, u.offsetDays, u.at, zone);
  const instant = typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
  if (!instant || Number.isNaN(instant.getTime())) return null;
  return new Date(instant.getTime() + u.offsetDays * DAY_MS);
}
