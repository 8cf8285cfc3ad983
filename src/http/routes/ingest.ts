// Segment-compatible tracking API: /v1/identify, track, page, screen, group, alias and batch.
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import {
  ingest,
  batchSchema,
  ingestReplySchema,
  messageSchemas,
  MESSAGE_TYPES,
  plainlyValidBatch,
  fieldName,
  MAX_DEPTH,
  shapeProblem,
} from '../../ingest/index.ts';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { DomainError } from '../../lib/index.ts';

/** The most messages a batch sent with the public key may hold. */
export const PUBLIC_BATCH_MAX = 100;

export async function ingestRoutes(app: App, ctx: RouteContext) {
  // Like Segment's API, every body here is JSON whatever its Content-Type says: RudderStack's Node SDK sends its gzipped
  // batches as application/x-www-form-urlencoded, browser beacons send text/plain. (This scope only: /v1/*.)
  // A "__proto__" key (or "constructor" holding "prototype") is refused with the message that holds it, by field
  // (ingest/shape.ts), not with its whole batch as Fastify's secure parser would: JSON.parse makes such keys plain own
  // properties, which change no prototype. The secure parser only words the error for a body that is not JSON.
  const secure = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    if (typeof body === 'string' && body.length > 0) {
      try {
        return done(null, JSON.parse(body));
      } catch {
        // not JSON: the secure parser gives the error
      }
    }
    // Callback style: the secure parser answers through `done` (its type also allows a promise, which it never returns).
    void secure(req, body as string, done);
  });

  for (const type of MESSAGE_TYPES) {
    app.post(
      `/v1/${type}`,
      {
        config: { ownInputChecks: true },
        schema: {
          tags: ['ingest'],
          summary: `Record one ${type} message (Segment HTTP API)`,
          body: z.looseObject(messageSchemas[type].shape),
          response: { 200: ingestReplySchema, 400: z.looseObject({ error: z.string(), message: z.string() }) },
        },
      },
      async (req, reply) => {
        // alias merges two customers into one: a web page may not (a public key could fold anyone into anyone)
        const key = await ctx.guard(req, type === 'alias' ? 'server' : 'public');
        const result = await ingest(ctx.db, key.workspaceId, [req.body], {
          type,
          receivedAt: ctx.clock(),
          publicKey: key.kind === 'public',
        });
        if (result.rejected.length > 0) {
          const r = result.rejected[0]!;
          return reply
            .status(400)
            .send({ success: false, error: 'invalid_event', message: `${r.field || 'body'}: ${r.reason}`, ...result });
        }
        return { success: true, ...result };
      },
    );
  }

  app.post(
    '/v1/batch',
    {
      config: { ownInputChecks: true },
      schema: {
        tags: ['ingest'],
        summary: 'Record many messages at once; bad ones are reported by index and field, good ones are kept',
        body: batchSchema,
        response: { 200: ingestReplySchema },
      },
      // Items are validated one by one by ingest; a plainly valid body skips zod (which would copy every item first).
      validatorCompiler: (route) => {
        const full = validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]);
        return (data: unknown) => (route.httpPart === 'body' && plainlyValidBatch(data) ? { value: data } : full(data));
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'public');
      const body = req.body;
      const publicKey = key.kind === 'public';
      if (publicKey && body.batch.length > PUBLIC_BATCH_MAX) {
        throw new DomainError(
          'invalid_request',
          400,
          `batch: ${body.batch.length} messages; a batch sent with the public key holds at most ${PUBLIC_BATCH_MAX} (a browser sends a few at a time). Send bigger ones with the server key, from your backend.`,
          { field: 'batch' },
        );
      }
      // The batch's own context is merged into each message's (a level below the message): it is checked as theirs are.
      for (const part of ['context', 'integrations'] as const) {
        const problem = shapeProblem(body[part], MAX_DEPTH - 1);
        if (!problem) continue;
        const field = fieldName([part, ...problem.path]);
        throw new DomainError('invalid_request', 400, `${field}: ${problem.reason}`, { field });
      }
      const result = await ingest(ctx.db, key.workspaceId, body.batch, {
        receivedAt: ctx.clock(),
        batchSentAt: body.sentAt,
        batchContext: body.context,
        publicKey,
      });
      return { success: result.rejected.length === 0, ...result };
    },
  );
}
