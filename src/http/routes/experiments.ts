// Experiments API (admin key): the workspace's experiments and each one's report — per arm its customers and metrics,
// and against control the difference, intervals, p-values, lift and a verdict (src/measure).
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { HttpError } from '../errors.ts';
import { experimentReport, ExperimentReportError } from '../../measure/experiments/report.ts';
import { experimentWithArms, listExperiments } from '../../measure/store/experiments.ts';

const confidence = z.coerce.number().gt(0.5).lt(1).optional()
  .describe('of the fixed intervals, e.g. 0.9 (default 0.95); the verdict always reads the always-valid interval at α = 0.05');
const minimumLift = z.coerce.number().gt(0).max(10).optional()
  .describe('the smallest relative lift worth finding, which sizes the experiment (default 0.1 = 10 %)');

export async function experimentRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/experiments',
    { schema: { tags: ['measure'], summary: 'The experiments of the workspace (imported with `retain import experiment`), newest first' } },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { experiments: await listExperiments(ctx.db, key.workspaceId) };
    },
  );

  app.get(
    '/api/v1/experiments/:id/report',
    {
      schema: {
        tags: ['measure'],
        summary: 'One experiment: per arm n and each metric\'s value; against control the difference, its interval and p-value, the always-valid interval, relative lift, incremental total and the verdict',
        params: z.object({ id: z.string().min(1).max(63) }),
        querystring: z.object({ confidence, minimumLift }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const found = await experimentWithArms(ctx.db, key.workspaceId, req.params.id);
      if (!found) throw new HttpError(404, 'not_found', `No experiment "${req.params.id}" in this workspace. List them with GET /api/v1/experiments.`);
      const { experiment: e, arms } = found;
      try {
        const report = experimentReport(
          { id: e.id, name: e.name, controlArm: e.controlArm, metrics: e.metrics, arms },
          { confidence: req.query.confidence, minimumRelativeLift: req.query.minimumLift },
        );
        return { ...report, source: e.source, rejected: e.rejected, importedAt: e.importedAt.toISOString() };
      } catch (err) {
        if (err instanceof ExperimentReportError) throw new HttpError(409, 'experiment_incomplete', err.message, { field: 'control' });
        throw err;
      }
    },
  );
}
