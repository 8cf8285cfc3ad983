// The words journey definitions are written in (pure zod schemas): ids, names, durations, times of day, zones, event
// filters. The trigger kinds (triggers.ts) and the step types (step-types/) build their schemas from these.
import { z } from 'zod';
import type { JourneyProblemCode } from './problem-codes.ts';
import { cronError, durationError, isValidZone, timeOfDayError } from '../time/index.ts';

export const id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "-" and "." (at most 64)');
export const name = z.string().min(1).max(200);
export const scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);
/** A string that `fn` checks: null when valid, else what is wrong. */
export const check = (fn: (s: string) => string | null, code: JourneyProblemCode) =>
  z.string().superRefine((s, ctx) => {
    const err = fn(s);
    if (err) ctx.addIssue({ code: 'custom', message: err, params: { code } });
  });
export const duration = check(durationError, 'bad_duration');
export const timeOfDay = check(timeOfDayError, 'bad_time_of_day');
export const cron = check(cronError, 'bad_cron');
export const zone = check(
  (s) => (isValidZone(s) ? null : `unknown time zone ${JSON.stringify(s)} (an IANA name such as "Europe/Warsaw")`),
  'bad_zone',
);
export const weekdays = z.array(z.number().int().min(1).max(7)).max(7).describe('1 = Monday … 7 = Sunday');
/** Event property filter: every listed property must equal its value. */
export const where = z.record(z.string().min(1).max(200), scalar);
export const propertyPath = z
  .string()
  .min(1)
  .max(200)
  .describe('a property of the triggering event, e.g. "dueDate" or "cart.id"');
/** What every step has: its id, a label for people and its place on the editor's canvas. */
export const stepBase = {
  id,
  label: z.string().max(200).optional(),
  ui: z.strictObject({ x: z.number(), y: z.number() }).optional(),
};
export const next = id.optional().describe('the following step; none = the run ends here');
