// send: queues one message (a template on a channel policy) for the dispatcher, valid for a while; its params may be
// picked by a customer field ({by, map, default}: a coupon worth more to Champions).
import { z } from 'zod';
import { addDuration } from '../../time/index.ts';
import { propertyAt } from '../../lib/index.ts';
import { duration, id, name, next as nextId, scalar, stepBase } from '../schema-parts.ts';
import type { CustomerView, Run } from '../steps.ts';
import { validForDefault } from '../validity.ts';
import { channelProblems, templateProblems } from '../workspace-facts.ts';
import { next, type StepHandler } from './handler.ts';

const byField = z.strictObject({
  by: z.string().min(1).max(200).describe('a customer field: rfm_segment, churn_risk, lifecycle_stage, or traits.NAME'),
  map: z.record(z.string(), scalar),
  default: scalar.optional(),
});
const ChannelPolicy = z.union([
  z.strictObject({ fixed: name }),
  z.strictObject({ best: z.array(name).min(1).max(10) }),
  z.strictObject({
    cascade: z
      .array(z.strictObject({ channel: name, timeout: duration }))
      .min(2)
      .max(10),
  }),
]);
export const SendStep = z.strictObject({
  ...stepBase,
  type: z.literal('send'),
  template: id,
  channel: ChannelPolicy,
  params: z
    .record(z.string().min(1).max(100), z.union([scalar, byField]))
    .optional()
    .describe(
      'values for the template; {by, map, default} picks one by a customer field (a coupon worth more to Champions)',
    ),
  coupon: z
    .strictObject({ pool: id.describe('a coupon pool id (GET /api/v1/coupons/pools)') })
    .optional()
    .describe(
      'gives the customer one code of the pool for this run (templates print coupon.code, coupon.value, coupon.expires_at); an empty pool leaves the message unsent, with the reason',
    ),
  validFor: duration
    .optional()
    .describe(
      'how long after the step the message stays worth sending (PT12H); held longer by quiet hours, a cap or retries, it is dropped as expired. Default: marketing PT12H after an event trigger, P2D after a segment or broadcast, P1D after a date or schedule; transactional P3D',
    ),
  next: nextId,
});
type SendStep = z.infer<typeof SendStep>;

export const send: StepHandler<SendStep> = {
  schema: SendStep,
  edges: (step) => [{ key: 'next', to: step.next }],
  ready: (step, at, ws) => [
    ...templateProblems(step.template, at, ws),
    ...policyChannels(step.channel, `${at}.channel`).flatMap(({ channel, path }) =>
      channelProblems(step.template, channel, path, ws),
    ),
  ],
  advance(step, { def, run, customer, now, zone, log, send: queue }) {
    const key = messageKey(run, step.id);
    queue({
      messageKey: key,
      stepId: step.id,
      template: step.template,
      channel: step.channel,
      params: resolveParams(step.params, customer),
      expiresAt: addDuration(now, step.validFor ?? validForDefault(def.purpose, def.trigger.type), zone).toISOString(),
      ...(step.coupon ? { couponPool: step.coupon.pool } : {}),
    });
    log('queued', { messageKey: key, template: step.template });
    return next(step.next);
  },
};

/** The message key of a send step in a run: one message per run and step, ever. */
export const messageKey = (run: Pick<Run, 'journeyId' | 'id'>, stepId: string) =>
  `journey:${run.journeyId}:run:${run.id}:${stepId}`;

/** A send step's params: plain values as they are; {by, map, default} looked up by the customer's field. */
export function resolveParams(
  params: Record<string, unknown> | undefined,
  customer: CustomerView,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value && typeof value === 'object' && 'by' in value) {
      const { by, map, default: fallback } = value as { by: string; map: Record<string, unknown>; default?: unknown };
      const field = by.startsWith('traits.') ? propertyAt(customer.fields.traits, by.slice(7)) : customer.fields[by];
      out[name] = (field !== undefined && field !== null ? map[String(field)] : undefined) ?? fallback ?? null;
    } else out[name] = value;
  }
  return out;
}

/** Each channel a send step's policy can use, with its JSON path. */
function policyChannels(policy: SendStep['channel'], at: string): { channel: string; path: string }[] {
  if ('fixed' in policy) return [{ channel: policy.fixed, path: `${at}.fixed` }];
  if ('best' in policy) return policy.best.map((channel, k) => ({ channel, path: `${at}.best[${k}]` }));
  return policy.cascade.map((c, k) => ({ channel: c.channel, path: `${at}.cascade[${k}].channel` }));
}
