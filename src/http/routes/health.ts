// Liveness (/healthz: the process answers) and readiness (/readyz: the database answers and every migration is
// applied) for load balancers and orchestrators, as JSON without a key; /health and /ready are the older names.
import type { RouteContext, App } from '../app.ts';
import { z } from 'zod';
import { pendingMigrations } from '../../store/index.ts';

const alive = z.object({ status: z.literal('ok') });
const ready = z.object({ status: z.literal('ready'), database: z.string() });
const notReady = z.object({
  status: z.literal('unavailable'),
  message: z.string(),
  pending: z.array(z.string()).optional(),
});

export async function healthRoutes(app: App, ctx: RouteContext) {
  const health = { schema: { tags: ['ops'], response: { 200: alive } } };
  const readiness = { schema: { tags: ['ops'], response: { 200: ready, 503: notReady } } };
  for (const path of ['/healthz', '/health']) app.get(path, health, async () => ({ status: 'ok' as const }));
  for (const path of ['/readyz', '/ready']) {
    app.get(path, readiness, async (_req, reply) => {
      const r = await readinessOf(ctx);
      return r.ok ? r.body : reply.status(503).send(r.body);
    });
  }
}

type Readiness = { ok: true; body: z.infer<typeof ready> } | { ok: false; body: z.infer<typeof notReady> };

async function readinessOf(ctx: RouteContext): Promise<Readiness> {
  let pending: string[];
  try {
    pending = await pendingMigrations(ctx.db);
  } catch (err) {
    return { ok: false, body: { status: 'unavailable', message: `database not reachable: ${(err as Error).message}` } };
  }
  if (pending.length > 0) {
    return {
      ok: false,
      body: {
        status: 'unavailable',
        message: `database migrations not applied: ${pending.join(', ')}; run \`retain migrate\``,
        pending,
      },
    };
  }
  return { ok: true, body: { status: 'ready', database: ctx.db.kind } };
}
