// Coupons API (admin key): pools of unique codes (CRUD with stock), codes drawn by pattern or imported, the codes table.
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import {
  createPool,
  deletePool,
  generateCodes,
  getPool,
  GenerateInput,
  importCodes,
  ImportInput,
  listCodes,
  listPools,
  PoolInput,
  updatePool,
} from '../../coupons/index.ts';

const idParams = z.object({ id: z.string().min(1).max(64).describe('coupon pool id') });
const TAGS = ['coupons'];

export async function couponRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/coupons/pools',
    {
      schema: {
        tags: TAGS,
        summary: 'The coupon pools with their stock (available, assigned, redeemed, expired) and a low-stock warning',
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { pools: await listPools(ctx.db, key.workspaceId, ctx.clock()) };
    },
  );

  app.post(
    '/api/v1/coupons/pools',
    {
      schema: {
        tags: TAGS,
        summary:
          'Create a pool: its value (amount, percent or free shipping; optionally by RFM segment or tier), validity and low-stock threshold',
        body: PoolInput,
      },
    },
    async (req, reply) => {
      const key = await ctx.guard(req, 'admin');
      return reply.status(201).send(await createPool(ctx.db, key.workspaceId, req.body, ctx.clock()));
    },
  );

  app.get(
    '/api/v1/coupons/pools/:id',
    { schema: { tags: TAGS, summary: 'One pool with its stock', params: idParams } },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return getPool(ctx.db, key.workspaceId, req.params.id, ctx.clock());
    },
  );

  app.put(
    '/api/v1/coupons/pools/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Change a pool (codes given out keep the value and expiry they were given with)',
        params: idParams,
        body: PoolInput,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return updatePool(ctx.db, key.workspaceId, req.params.id, req.body, ctx.clock());
    },
  );

  app.delete(
    '/api/v1/coupons/pools/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a pool none of whose codes was given out (409 otherwise)',
        params: idParams,
      },
    },
    async (req, reply) => {
      const key = await ctx.guard(req, 'admin');
      await deletePool(ctx.db, key.workspaceId, req.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/coupons/pools/:id/generate',
    {
      schema: {
        tags: TAGS,
        summary: 'Add N codes drawn from a pattern (SPRING-####-????), none already in the workspace',
        params: idParams,
        body: GenerateInput,
      },
    },
    async (req, reply) => {
      const key = await ctx.guard(req, 'admin');
      return reply
        .status(201)
        .send(
          await generateCodes(ctx.db, key.workspaceId, req.params.id, req.body.pattern, req.body.count, ctx.clock()),
        );
    },
  );

  app.post(
    '/api/v1/coupons/pools/:id/import',
    {
      schema: {
        tags: TAGS,
        summary: 'Add codes from a CSV or JSON list; bad or repeated ones are refused by line, the good ones kept',
        params: idParams,
        body: ImportInput,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return importCodes(ctx.db, key.workspaceId, req.params.id, req.body.text, req.body.format, ctx.clock());
    },
  );

  app.get(
    '/api/v1/coupons/pools/:id/codes',
    {
      schema: {
        tags: TAGS,
        summary: "The pool's codes with their status, customer, journey, value and dates (newest assignment first)",
        params: idParams,
        querystring: z.object({
          status: z.enum(['available', 'assigned', 'redeemed', 'expired']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { codes: await listCodes(ctx.db, key.workspaceId, req.params.id, ctx.clock(), req.query) };
    },
  );
}
