// POST /api/v1/demo (admin key): fills the key's workspace with the generated demo shop (the empty dashboard's button).
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { fillDemoShop, DEMO_CUSTOMERS } from '../../demo/index.ts';

const counts = z.object({
  customers: z.number(),
  products: z.number(),
  orders: z.number(),
  refunds: z.number(),
  abandonedCarts: z.number(),
  consents: z.number(),
  events: z.number(),
});

export async function demoRoutes(app: App, ctx: RouteContext) {
  app.post(
    '/api/v1/demo',
    {
      schema: {
        tags: ['workspace'],
        summary:
          'Fill this workspace with a generated demo shop (customers, a year of carts, orders, returns, consents); running it again adds nothing',
        body: z.strictObject({ customers: z.number().int().min(50).max(5000).optional() }).optional(),
        response: {
          200: z.object({
            shop: counts,
            stored: z.object({ events: z.number(), duplicates: z.number(), consents: z.number() }),
          }),
        },
      },
    },
    async (req) => {
      const owner = await ctx.guard(req, 'admin');
      return fillDemoShop(ctx.db, owner.workspaceId, {
        now: ctx.clock(),
        customers: req.body?.customers ?? DEMO_CUSTOMERS,
      });
    },
  );
}
