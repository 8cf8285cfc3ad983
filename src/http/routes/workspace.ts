// Workspace routes: who am I (key check for the dashboard) and the Overview figures.
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { overviewStats } from '../../customers/stats.ts';

export async function workspaceRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['workspace'],
        summary: 'The workspace and kind of the key presented',
        response: { 200: z.object({ workspace: z.object({ id: z.string(), name: z.string() }), keyKind: z.enum(['write', 'admin']) }) },
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { workspace: { id: key.workspaceId, name: key.workspaceName }, keyKind: key.kind };
    },
  );
  app.get('/api/v1/stats/overview', { schema: { tags: ['workspace'], summary: 'Customers, events, orders, revenue, events per day and the latest events' } }, async (req) => {
    const key = await ctx.guard(req, 'admin');
    return overviewStats(ctx.db, key.workspaceId);
  });
}
