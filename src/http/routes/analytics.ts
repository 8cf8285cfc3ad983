// Message analytics (admin key): delivery, open, click, conversion and unsubscribe rates by day, journey, step,
// channel, template or variant (messaging/metrics) with the messages deferred, skipped and expired beside them, and the
// message log (sent and not sent) with its filters.
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { DomainError } from '../../lib/index.ts';
import { findCustomer } from '../../consent/index.ts';
import {
  DIMENSIONS,
  messageMetrics,
  addDays,
  lastDays,
  parseDay,
  spanDays,
  notSentCounts,
  LOG_STATUSES,
  isCursor,
  listMessages,
  OUTCOME_REASONS,
} from '../../messaging/index.ts';

/** Longest range of one metrics request. */
export const MAX_RANGE_DAYS = 366;

/** An empty query parameter (?customer=) is the same as none. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const day = z.string().refine((s) => parseDay(s) !== null, 'a date as YYYY-MM-DD, such as 2026-05-31');
const wholeNumber = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d{1,6}$/, `${what}: a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${what}: a whole number from ${min} to ${max}`);

const metricsQuery = z.object({
  from: optional(day).describe('first day (UTC), included; default: 29 days before `to`'),
  to: optional(day).describe('last day (UTC), included; default: today'),
  by: optional(z.enum(DIMENSIONS)).describe(
    'the rows: one per day (default), journey, step, channel, template or variant (template, locale and A/B arms)',
  ),
  attributionDays: optional(
    wholeNumber(1, 90, 'days after a click in which an order counts as its conversion'),
  ).describe('default 7'),
});

const messagesQuery = z.object({
  customer: optional(z.string().max(400)).describe('customer id or user id'),
  journey: optional(z.string().max(200)).describe('journey id'),
  run: optional(z.string().regex(/^\d{1,18}$/, 'a journey run id (digits)')).describe(
    'only the messages of one journey run',
  ),
  status: optional(z.enum(LOG_STATUSES)).describe(
    "a message's status, or for one never handed over: skipped, deferred, expired, failed",
  ),
  reason: optional(z.enum(OUTCOME_REASONS)).describe(
    'only messages not sent for this reason (goal_reached, quiet_hours, expired, no_consent…)',
  ),
  limit: optional(wholeNumber(1, 200, 'messages per page')).describe('default 50'),
  cursor: optional(z.string().max(100).refine(isCursor, 'the nextCursor of an earlier page')),
});

export async function analyticsRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/analytics/messages',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Message metrics: counts and rates (fractions, null when nothing to divide by) per row, and totals',
        querystring: metricsQuery,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const q = req.query;
      const to = q.to ?? lastDays(ctx.clock()).to;
      const from = q.from ?? lastDays(parseDay(to)!).from;
      if (from > to)
        throw new DomainError(
          'invalid_request',
          400,
          `to: the last day (${to}) is before the first (${from}); swap them.`,
          { field: 'to' },
        );
      if (spanDays(from, to) > MAX_RANGE_DAYS) {
        throw new DomainError(
          'invalid_request',
          400,
          `from: at most ${MAX_RANGE_DAYS} days at a time (${from} to ${to} is ${spanDays(from, to)}); ask for a shorter range.`,
          { field: 'from' },
        );
      }
      const by = q.by ?? 'day';
      return ctx.adminRead(key.workspaceId, 'message_metrics', async (db) => {
        const report = await messageMetrics(db, key.workspaceId, {
          from,
          to,
          by,
          attributionDays: q.attributionDays ?? 7,
        });
        // Beside what was sent: what was deferred, skipped (by reason) and expired in the same days.
        const outcomes = await notSentCounts(db, key.workspaceId, by, {
          from: parseDay(from)!,
          until: addDays(parseDay(to)!, 1),
        });
        return { ...report, outcomes };
      });
    },
  );

  app.get(
    '/api/v1/messages',
    {
      schema: {
        tags: ['analytics'],
        summary:
          'The message log, newest first: messages sent, and those not sent (skipped, deferred, expired, cancelled) with their reason; pass nextCursor as cursor for the next page',
        querystring: messagesQuery,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const q = req.query;
      let customerId: string | undefined;
      if (q.customer) {
        const c = await findCustomer(ctx.db, key.workspaceId, q.customer);
        if (!c)
          throw new DomainError(
            'not_found',
            404,
            `No customer "${q.customer}" (by customer id or user id) in this workspace. Find ids with GET /api/v1/customers?q=…`,
          );
        customerId = c.id;
      }
      return ctx.adminRead(key.workspaceId, 'message_log', (db) =>
        listMessages(db, key.workspaceId, {
          customerId,
          journeyId: q.journey,
          runId: q.run,
          status: q.status,
          reason: q.reason,
          limit: q.limit ?? 50,
          cursor: q.cursor,
        }),
      );
    },
  );
}
