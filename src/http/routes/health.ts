// Health (the process is up) and readiness (the database answers) for load balancers and orchestrators.
import type { RouteContext, App } from '../app.ts';
import { z } from 'zod';

export async function healthRoutes(app: App, ctx: RouteContext) {
  app.get('/health', { schema: { tags: ['ops'], response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
  app.get('/ready', { schema: { tags: ['ops'] } }, async (_req, reply) => {
    try {
      await ctx.db.query('SELECT 1 FROM schema_migrations LIMIT 1');
      return { status: 'ready', database: ctx.db.kind };
    } catch (err) {
      return reply.status(503).send({ status: 'unavailable', message: `database not reachable: ${(err as Error).message}` });
    }
  });
}
