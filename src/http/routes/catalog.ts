// Catalog API: what the workspace's data names (event names with counts, event property keys, trait keys, with
// sample values), for the pickers of the journey editor.
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { eventNames, eventPropertyKeys, traitKeys } from '../../catalog/index.ts';

const limit = z.coerce.number().int().min(1).max(500).default(100).describe('at most this many (1–500)');

export async function catalogRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/catalog/events',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Known event names with how often each happened, most frequent first',
        querystring: z.object({ limit }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { events: await eventNames(ctx.db, key.workspaceId, req.query.limit) };
    },
  );

  app.get(
    '/api/v1/catalog/events/properties',
    {
      schema: {
        tags: ['catalog'],
        summary: 'The property keys of recent events of one name (the latest 500 within 90 days), with sample values',
        querystring: z.object({
          event: z.string().min(1).max(200).describe('an event name, e.g. Product Added'),
          limit,
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return {
        event: req.query.event,
        properties: await eventPropertyKeys(ctx.db, key.workspaceId, req.query.event, ctx.clock(), req.query.limit),
      };
    },
  );

  app.get(
    '/api/v1/catalog/traits',
    {
      schema: {
        tags: ['catalog'],
        summary: 'The trait keys of the most recently seen customers (500), with sample values',
        querystring: z.object({ limit }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { traits: await traitKeys(ctx.db, key.workspaceId, req.query.limit) };
    },
  );
}
