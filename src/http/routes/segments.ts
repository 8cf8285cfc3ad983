// Segments API: create, change and list segments, preview an unsaved definition, evaluate now, members and activity.
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { DomainError, encodeCursor, readCursor } from '../../lib/index.ts';
import {
  createSegment,
  evaluateSegment,
  getMembers,
  getSegment,
  listSegments,
  memberCount,
  parseDefinition,
  previewDefinition,
  segmentActivity,
  updateSegment,
} from '../../segments/index.ts';

const idParams = z.object({ id: z.string().max(200).describe('segment id') });
const definition = z
  .unknown()
  .describe('A segment definition (JSON): see "Segments" in the README. Refused with the path of the bad node.');
const notFound = (id: string) =>
  new DomainError('not_found', 404, `No segment "${id}" in this workspace. List them with GET /api/v1/segments.`);

export async function segmentRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/segments',
    { schema: { tags: ['segments'], summary: 'All segments of the workspace with their member counts, by name' } },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { segments: await listSegments(ctx.db, key.workspaceId) };
    },
  );

  app.post(
    '/api/v1/segments',
    {
      schema: {
        tags: ['segments'],
        summary: 'Create a segment; its members are computed by the next segment run, or at once with POST …/evaluate',
        body: z.object({
          id: z.string().optional().describe('1 to 64 letters, digits, _ . or -; generated when absent'),
          name: z.string().describe('1 to 200 characters'),
          definition,
        }),
      },
    },
    async (req, reply) => {
      const key = await ctx.guard(req, 'admin');
      const created = await createSegment(ctx.db, key.workspaceId, {
        id: req.body.id,
        name: req.body.name,
        definition: parseDefinition(req.body.definition),
      });
      return reply.status(201).send({ ...created, members: 0 });
    },
  );

  app.post(
    '/api/v1/segments/preview',
    {
      schema: {
        tags: ['segments'],
        summary: 'Count and a sample (newest customers first) of who an unsaved definition selects now',
        body: z.object({ definition, sampleSize: z.number().int().min(0).max(100).default(20) }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const def = parseDefinition(req.body.definition);
      return ctx.adminRead(key.workspaceId, 'segment_preview', (q) =>
        previewDefinition(q, key.workspaceId, def, ctx.clock(), req.body.sampleSize),
      );
    },
  );

  app.get(
    '/api/v1/segments/:id',
    { schema: { tags: ['segments'], summary: 'One segment with its member count', params: idParams } },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const segment = await getSegment(ctx.db, key.workspaceId, req.params.id);
      if (!segment) throw notFound(req.params.id);
      return { ...segment, members: await memberCount(ctx.db, key.workspaceId, segment.id) };
    },
  );

  app.patch(
    '/api/v1/segments/:id',
    {
      schema: {
        tags: ['segments'],
        summary: 'Rename, redefine (recomputed in full on the next run), archive or reactivate a segment',
        params: idParams,
        body: z.object({
          name: z.string().optional(),
          definition: definition.optional(),
          status: z.enum(['active', 'archived']).optional().describe('archived segments are no longer kept up to date'),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const { name, definition: def, status } = req.body;
      if (name === undefined && def === undefined && status === undefined) {
        throw new DomainError('invalid_request', 400, 'Nothing to change: send name, definition or status.');
      }
      const parsed = def === undefined ? undefined : parseDefinition(def);
      const updated = await updateSegment(ctx.db, key.workspaceId, req.params.id, { name, definition: parsed, status });
      return { ...updated, members: await memberCount(ctx.db, key.workspaceId, updated.id) };
    },
  );

  app.get(
    '/api/v1/segments/:id/members',
    {
      schema: {
        tags: ['segments'],
        summary: 'Current members, newest customer first, keyset-paginated',
        params: idParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().optional(),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const { limit, cursor } = req.query;
      const after = readCursor(cursor, (c) => c.length === 1 && typeof c[0] === 'string' && /^\d{1,18}$/.test(c[0]));
      if (!(await getSegment(ctx.db, key.workspaceId, req.params.id))) throw notFound(req.params.id);
      const page = await getMembers(ctx.db, key.workspaceId, req.params.id, {
        limit,
        after: after ? String(after[0]) : null,
      });
      return {
        members: page.members.map((m) => ({
          id: m.customer.id,
          userId: m.customer.userId,
          email: m.customer.email,
          enteredAt: m.enteredAt,
        })),
        nextCursor: page.nextCursor === null ? null : encodeCursor([page.nextCursor]),
      };
    },
  );

  app.post(
    '/api/v1/segments/:id/evaluate',
    {
      schema: {
        tags: ['segments'],
        summary: 'Recompute the membership in full now; entries and exits are logged as events',
        params: idParams,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const now = ctx.clock();
      const { entered, exited } = await evaluateSegment(ctx.db, key.workspaceId, req.params.id, now);
      return {
        id: req.params.id,
        entered,
        exited,
        members: await memberCount(ctx.db, key.workspaceId, req.params.id),
        evaluatedAt: now.toISOString(),
      };
    },
  );

  app.get(
    '/api/v1/segments/:id/activity',
    {
      schema: {
        tags: ['segments'],
        summary: 'Entries and exits per UTC day over the last `days` days (Segment Entered / Segment Exited events)',
        params: idParams,
        querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      if (!(await getSegment(ctx.db, key.workspaceId, req.params.id))) throw notFound(req.params.id);
      const days = await ctx.adminRead(key.workspaceId, 'segment_activity', (q) =>
        segmentActivity(q, key.workspaceId, req.params.id, ctx.clock(), req.query.days),
      );
      return {
        days,
        entered: days.reduce((s, d) => s + d.entered, 0),
        exited: days.reduce((s, d) => s + d.exited, 0),
      };
    },
  );
}
