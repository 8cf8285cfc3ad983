// Customers API: search, profile, timeline, export, erasure, and the product catalogue.
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { DomainError, decodeCursor, readCursor } from '../../lib/index.ts';
import {
  customerProfile,
  customerTimeline,
  eraseCustomer,
  exportCustomer,
  getCustomer,
  searchCustomers,
  upsertProducts,
  CUSTOMER_SORTS,
  listCursor,
  listOrder,
} from '../../customers/index.ts';
import { scoreNotes, loadModelSettings } from '../../models/index.ts';
import { customerSegments } from '../../segments/index.ts';

const idParams = z.object({ id: z.string().describe('customer id (as returned by search)') });
const notFound = (id: string) =>
  new DomainError('not_found', 404, `No customer ${id} in this workspace. Find ids with GET /api/v1/customers?q=…`);
const limit = z.coerce.number().int().min(1).max(500).default(50);

// Cursors are opaque to clients but decoded here: one that is not the shape this list hands out is refused, rather than
// restarting the list or reaching the database as a bad cast (a 500).
const isTimelineCursor = (c: unknown[]) =>
  c.length === 2 &&
  typeof c[0] === 'string' &&
  /^\d{4}-\d\d-\d\dT/.test(c[0]) &&
  !Number.isNaN(Date.parse(c[0])) &&
  typeof c[1] === 'string';

/** Customer ids are bigints: anything else is no customer of ours (and must not reach the database as a bad cast). */
function customerId(id: string): string {
  if (!/^\d{1,18}$/.test(id)) throw notFound(id);
  return id;
}

export async function customerRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/customers',
    {
      schema: {
        tags: ['customers'],
        summary:
          'List customers: by user id, e-mail, phone, anonymous id or words of the name (q), or by one trait (trait=key:value); sorted by a column (customers without a value last)',
        querystring: z.object({
          q: z.string().max(400).optional(),
          trait: z
            .string()
            .regex(/^[^:]+:.*$/, 'use key:value')
            .optional(),
          rfm: z
            .string()
            .regex(/^[1-5]-[1-5]$/, 'use R-F, e.g. 5-1 (scores 1 to 5)')
            .optional()
            .describe('only the customers of one RFM cell: R-F'),
          sort: z
            .enum(CUSTOMER_SORTS)
            .default('newest')
            .describe('newest, lastOrder, orders, revenue, rfm (R, F, M), churnRisk (highest first), clv'),
          direction: z
            .enum(['asc', 'desc'])
            .optional()
            .describe('default: the most recent / the most / the highest risk first'),
          limit,
          cursor: z.string().optional(),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const { q, trait, rfm, sort, direction, limit: n, cursor } = req.query;
      const order = listOrder(sort, direction);
      const parts = decodeCursor(cursor);
      const after = parts ? listCursor(parts, order) : null;
      if (cursor && !after)
        throw new DomainError(
          'invalid_cursor',
          400,
          'cursor: pass back the nextCursor of the previous page unchanged, with the same sort and direction',
        );
      const t = trait
        ? { key: trait.slice(0, trait.indexOf(':')), value: trait.slice(trait.indexOf(':') + 1) }
        : undefined;
      const cell = rfm ? { r: Number(rfm[0]), f: Number(rfm[2]) } : undefined;
      return ctx.adminRead(key.workspaceId, 'customer_search', (db) =>
        searchCustomers(db, key.workspaceId, {
          q,
          trait: t,
          rfm: cell,
          sort,
          direction: order.direction,
          limit: n,
          after,
        }),
      );
    },
  );

  app.get(
    '/api/v1/customers/:id',
    {
      schema: {
        tags: ['customers'],
        summary:
          'One customer: profile, aggregates, scores with notes where they seem to disagree, per-event counters, open carts and the segments they are in',
        params: idParams,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const found = await customerProfile(ctx.db, key.workspaceId, customerId(req.params.id));
      if (!found) throw notFound(req.params.id);
      const [{ lifecycle }, segments] = await Promise.all([
        loadModelSettings(ctx.db, key.workspaceId),
        customerSegments(ctx.db, key.workspaceId, found.customer.id),
      ]);
      const { customer } = found;
      const s = customer.scores;
      const notes = s
        ? scoreNotes(
            {
              lastOrderAt: customer.aggregates.lastOrderAt,
              ordersCount: customer.aggregates.ordersCount,
              lifecycleStage: s.lifecycleStage,
              churnRisk: s.churnRisk,
              pAlive: s.pAlive,
              rfm: s.rfm,
              scoredAt: s.scoredAt,
            },
            ctx.clock(),
            lifecycle,
          )
        : [];
      return { ...found, segments, scoreNotes: notes };
    },
  );

  app.get(
    '/api/v1/customers/:id/events',
    {
      schema: {
        tags: ['customers'],
        summary: "The customer's event timeline, newest first",
        params: idParams,
        querystring: z.object({ limit, cursor: z.string().optional() }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const found = await getCustomer(ctx.db, key.workspaceId, customerId(req.params.id));
      if (!found) throw notFound(req.params.id);
      return customerTimeline(
        ctx.db,
        key.workspaceId,
        found.customer.id,
        req.query.limit,
        readCursor(req.query.cursor, isTimelineCursor),
      );
    },
  );

  app.get(
    '/api/v1/customers/:id/export',
    { schema: { tags: ['customers'], summary: 'Everything held about the customer (JSON)', params: idParams } },
    async (req, reply) => {
      const key = await ctx.guard(req, 'admin');
      const doc = await exportCustomer(ctx.db, key.workspaceId, customerId(req.params.id));
      if (!doc) throw notFound(req.params.id);
      reply.header('content-disposition', `attachment; filename="customer-${doc.customer.id}.json"`);
      return doc;
    },
  );

  app.delete(
    '/api/v1/customers/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'Erase the customer (right to be forgotten); a PII-free tombstone stops replays',
        params: idParams,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const result = await eraseCustomer(ctx.db, key.workspaceId, customerId(req.params.id));
      if (!result.erased) throw notFound(req.params.id);
      return { erased: true, eventsDeleted: result.events };
    },
  );

  app.put(
    '/api/v1/products',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Upsert products of the catalogue',
        body: z.object({
          products: z
            .array(
              z.object({
                id: z.string().min(1),
                name: z.string().optional(),
                price: z.number().nonnegative().optional(),
                category: z.string().optional(),
                url: z.url().optional(),
                imageUrl: z.url().optional(),
                inStock: z.boolean().optional(),
              }),
            )
            .max(10_000),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { upserted: await upsertProducts(ctx.db, key.workspaceId, req.body.products) };
    },
  );
}
