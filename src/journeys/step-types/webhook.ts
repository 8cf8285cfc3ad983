// webhook: POSTs the run to a URL (signed with the step's secret, with an idempotency key the same on every retry);
// retried with backoff, then logged failed, and the run goes on either way.
import { z } from 'zod';
import { urlRefusal } from '../../net/index.ts';
import { next as nextId, stepBase } from '../schema-parts.ts';
import { need, next, sleep, type StepHandler } from './handler.ts';
import { journeyWebhookKey } from '../../lib/index.ts';

/** Webhook attempts before the step is given up (logged failed) and the run goes on. */
export const WEBHOOK_ATTEMPTS = 5;

export const WebhookStep = z.strictObject({
  ...stepBase,
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().min(8).max(500).optional(),
  next: nextId,
});

export const webhook: StepHandler<z.infer<typeof WebhookStep>> = {
  schema: WebhookStep,
  edges: (step) => [{ key: 'next', to: step.next }],
  check(step, at, _def, allow) {
    const refused = allow ? urlRefusal(step.url, allow) : null;
    return refused ? [{ path: `${at}.url`, message: refused, code: 'address_refused' }] : [];
  },
  advance(step, { run, customer, now, take, log }) {
    const answer = take('webhook');
    const ctx = run.context;
    if (!answer) {
      return need({
        kind: 'webhook',
        request: {
          stepId: step.id,
          url: step.url,
          secret: step.secret,
          idempotencyKey: journeyWebhookKey(run.journeyId, run.id, step.id),
          body: {
            journey: run.journeyId,
            version: run.version,
            run: run.id,
            step: step.id,
            customer: { id: customer.id, userId: customer.userId },
            key: ctx.key ?? '',
            trigger: ctx.trigger ?? null,
          },
        },
      });
    }
    const attempts = (ctx.attempts?.[step.id] ?? 0) + 1;
    if (answer.ok) {
      log('called', { status: answer.status, attempts });
      return next(step.next);
    }
    if (attempts < WEBHOOK_ATTEMPTS && !answer.permanent) {
      (ctx.attempts ??= {})[step.id] = attempts;
      log('retry', { status: answer.status, error: answer.error, attempts });
      return sleep(new Date(now.getTime() + 60_000 * 2 ** (attempts - 1)));
    }
    log('failed', { status: answer.status, error: answer.error, attempts });
    return next(step.next);
  },
};
