// Experiments API (admin key): every experiment of the workspace — all marketing against the global control group,
// each marketing journey against it, journeys' holdout steps and A/B splits, imported experiments — and each one's
// report: per arm n and metrics, against control the difference, intervals, p-values, lift and a verdict (src/measure).
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { DomainError } from '../../lib/index.ts';
import {
  allExperiments,
  reportById,
  cohortReport,
  ltvReport,
  retentionReport,
  sendAllToWinner,
} from '../../measure/index.ts';
import { isCurrencyCode } from '../../money/index.ts';
import { DAY_MS } from '../../time/index.ts';

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD, such as 2026-05-31')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'a real date as YYYY-MM-DD');

const reportQuery = z.object({
  confidence: optional(z.coerce.number().gt(0.5).lt(1)).describe(
    'of the fixed intervals, e.g. 0.9 (default 0.95); the verdict always reads the always-valid interval at α = 0.05',
  ),
  minimumLift: optional(z.coerce.number().gt(0).max(10)).describe(
    'the smallest relative lift worth finding, which sizes the experiment (default 0.1 = 10 %)',
  ),
  from: optional(day).describe('journeys: customers exposed from this day (UTC; default 90 days before `to`)'),
  to: optional(day).describe('journeys: … to this day, included (default: today)'),
  days: optional(z.coerce.number().int().min(1).max(365)).describe(
    'journeys: orders within this many days after exposure count (default 30)',
  ),
});

const spanQuery = z.object({
  from: optional(day).describe('first period: the one holding this day (default: a year before `to`)'),
  to: optional(day).describe('last period: the one holding this day (default: today)'),
  currency: optional(
    z
      .string()
      .transform((c) => c.trim().toUpperCase())
      .refine(isCurrencyCode, 'an ISO 4217 currency code, such as PLN'),
  ).describe(
    "only orders in this currency; default: all orders, converted to the base currency at the workspace's rates",
  ),
});

const dayStart = (s: string | undefined) => (s ? new Date(`${s}T00:00:00Z`) : undefined);

export async function experimentRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/measure/retention',
    {
      schema: {
        tags: ['measure'],
        summary:
          "Per month or quarter: customer retention rate (E − N) / S, churn rate, repeat purchase rate, purchase frequency, average order value, days between orders, revenue per customer; and the models' mean CLV",
        querystring: spanQuery.extend({ period: optional(z.enum(['month', 'quarter'])).describe('default month') }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const q = req.query;
      return retentionReport(
        ctx.db,
        key.workspaceId,
        q.period ?? 'month',
        { from: dayStart(q.from), to: dayStart(q.to), currency: q.currency },
        ctx.clock(),
      );
    },
  );

  app.get(
    '/api/v1/measure/cohorts',
    {
      schema: {
        tags: ['measure'],
        summary:
          'Customers by month of first order × months since: how many bought again each month, their share of the cohort and revenue',
        querystring: spanQuery,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const q = req.query;
      return cohortReport(
        ctx.db,
        key.workspaceId,
        { from: dayStart(q.from), to: dayStart(q.to), currency: q.currency },
        ctx.clock(),
      );
    },
  );

  app.get(
    '/api/v1/measure/ltv',
    {
      schema: {
        tags: ['measure'],
        summary:
          "Lifetime value with and without messages: realised revenue per customer of treated vs the global control group by months since assignment, and the models' CLV per arm",
        querystring: z.object({
          from: optional(day).describe('customers assigned from this day (UTC; default two years before `to`)'),
          to: optional(day).describe('… to this day, included (default: today)'),
          months: optional(z.coerce.number().int().min(1).max(36)).describe(
            'months since assignment to follow (default 12)',
          ),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const q = req.query;
      const until = q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY_MS) : undefined;
      const from = dayStart(q.from);
      if (from && until && from >= until)
        throw new DomainError(
          'invalid_request',
          400,
          `to: the last day (${q.to}) is before the first (${q.from}); swap them.`,
          { field: 'to' },
        );
      return ltvReport(ctx.db, key.workspaceId, { from, until, months: q.months }, ctx.clock());
    },
  );

  app.get(
    '/api/v1/experiments',
    {
      schema: {
        tags: ['measure'],
        summary:
          'The experiments of the workspace: the global control group, each marketing journey, holdout steps, A/B splits, imported experiments',
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { experiments: await allExperiments(ctx.db, key.workspaceId) };
    },
  );

  app.get(
    '/api/v1/experiments/:id/report',
    {
      schema: {
        tags: ['measure'],
        summary:
          "One experiment: per arm n and each metric's value; against control the difference, its interval and p-value, the always-valid interval, relative lift, incremental total and the verdict",
        params: z.object({ id: z.string().min(1).max(400) }),
        querystring: reportQuery,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const q = req.query;
      const until = q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY_MS) : undefined;
      const from = q.from ? new Date(`${q.from}T00:00:00Z`) : undefined;
      if (from && until && from >= until)
        throw new DomainError(
          'invalid_request',
          400,
          `to: the last day (${q.to}) is before the first (${q.from}); swap them.`,
          { field: 'to' },
        );
      const report = await reportById(
        ctx.db,
        key.workspaceId,
        req.params.id,
        { confidence: q.confidence, minimumRelativeLift: q.minimumLift, from, until, days: q.days },
        ctx.clock(),
      );
      if (!report)
        throw new DomainError(
          'not_found',
          404,
          `No experiment "${req.params.id}" in this workspace. List them with GET /api/v1/experiments.`,
        );
      return report;
    },
  );

  app.post(
    '/api/v1/experiments/:id/winner',
    {
      schema: {
        tags: ['measure'],
        summary:
          "Send all further traffic of a journey's A/B split to one arm: a new journey version without the split (live at once when the journey is active)",
        params: z.object({ id: z.string().min(1).max(400).describe('a split experiment: journey:JOURNEY:split:STEP') }),
        body: z.object({ arm: z.string().min(1).max(200).describe("the winning arm's name") }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const m = /^journey:(.+):split:([^:]+)$/.exec(req.params.id);
      if (!m)
        throw new DomainError(
          'invalid_request',
          400,
          `id: "${req.params.id}" is not an A/B split; a split's id is journey:JOURNEY:split:STEP (see GET /api/v1/experiments)`,
          { field: 'id' },
        );
      const journey = await sendAllToWinner(ctx.db, key.workspaceId, m[1]!, m[2]!, req.body.arm, ctx.clock());
      return { journey, winner: req.body.arm };
    },
  );
}
