// Models API: fit on demand, the models in use with their history and diagnostics, holdout validation, the RFM grid
// and the model settings (risk thresholds, RFM mapping, CLV horizon, lifecycle rules, fit schedule).
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import {
  runModels,
  currentModels,
  fitHistory,
  validateModels,
  rfmGrid,
  loadLastRun,
  loadLiveCalibration,
  loadModelSettings,
  updateModelSettings,
  modelSettingsPatch,
} from '../../models/index.ts';

const day = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d$/, 'a date YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a calendar date',
  );

export async function modelRoutes(app: App, ctx: RouteContext) {
  app.post(
    '/api/v1/models/fit',
    {
      schema: {
        tags: ['models'],
        summary: 'Fit BG/NBD and Gamma-Gamma now, then score every customer',
        description:
          'Fits as of calibrationEnd (inclusive; default today) and scores customers as of that day. That day becomes the live calibration end: ' +
          'another day than today stays the day the scheduled fits use (the scores are not moved to today behind your back); today, or none, ' +
          'lets them follow the clock again. A fit that fails (too few customers, no repeat buyers, no convergence) is recorded with its message ' +
          'and the last good model keeps scoring. For a what-if that stores nothing, use GET /api/v1/models/validation.',
        body: z.object({ calibrationEnd: day.optional() }).optional(),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return runModels(ctx.db, key.workspaceId, { calibrationEnd: req.body?.calibrationEnd, now: ctx.clock() });
    },
  );

  app.get(
    '/api/v1/models',
    {
      schema: {
        tags: ['models'],
        summary:
          'The models in use (newest good fit of each kind), the live calibration end, the fit history (live marked) with diagnostics, the last run and the settings',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const ws = key.workspaceId;
      const [current, history, lastRun, settings, live] = await Promise.all([
        currentModels(ctx.db, ws),
        fitHistory(ctx.db, ws, req.query.limit),
        loadLastRun(ctx.db, ws),
        loadModelSettings(ctx.db, ws),
        loadLiveCalibration(ctx.db, ws),
      ]);
      const inUse = new Set([current.bgnbd?.id, current.gammaGamma?.id]);
      return { current, live, history: history.map((f) => ({ ...f, live: inUse.has(f.id) })), lastRun, settings };
    },
  );

  app.get(
    '/api/v1/models/validation',
    {
      schema: {
        tags: ['models'],
        summary: 'Holdout check: predicted against actual holdout purchases per calibration frequency (0 … 7+)',
        description:
          'Without dates the holdout ends on the last purchase day and the holdout is the last quarter of the purchase history. Nothing is stored.',
        querystring: z.object({ calibrationEnd: day.optional(), holdoutEnd: day.optional() }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const settings = await loadModelSettings(ctx.db, key.workspaceId);
      return validateModels(ctx.db, key.workspaceId, { ...req.query, minCustomers: settings.minCustomers });
    },
  );

  app.get(
    '/api/v1/rfm/grid',
    {
      schema: {
        tags: ['models'],
        summary: 'The 5×5 R×F grid (customers and net revenue per cell) and the customers per named RFM segment',
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return rfmGrid(ctx.db, key.workspaceId, await loadModelSettings(ctx.db, key.workspaceId));
    },
  );

  app.get(
    '/api/v1/settings/models',
    { schema: { tags: ['models'], summary: 'The model settings in force (defaults where not set)' } },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return loadModelSettings(ctx.db, key.workspaceId);
    },
  );

  app.put(
    '/api/v1/settings/models',
    {
      schema: {
        tags: ['models'],
        summary:
          'Change model settings: risk thresholds, RFM mapping and frequency, horizon, CLV, lifecycle rules, fit schedule',
        description:
          'Any subset; objects are merged, the RFM segment list is replaced. The new settings apply from the next run (POST /api/v1/models/fit).',
        body: modelSettingsPatch,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return updateModelSettings(ctx.db, key.workspaceId, req.body);
    },
  );
}
