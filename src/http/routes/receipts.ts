// Delivery receipts from providers: Twilio status callbacks and a generic JSON receipt for SMS gateways and e-mail
// bounce / complaint notifications. A provider proves itself with the workspace's hook token in the callback URL
// (?hook=…, from GET /api/v1/settings/hooks) as well as a server key: the write keys of old are server keys now and
// websites may still carry them, and a forged bounce or complaint would suppress addresses, a forged delivery would
// stop cascades. The public key is refused here outright.
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { App, RouteContext } from '../app.ts';
import { DomainError } from '../../lib/index.ts';
import { applyReceipt, RECEIPT_STATUSES, type ReceiptStatus, publicUrl } from '../../messaging/index.ts';
import { CHANNELS } from '../../channels/index.ts';
import { HOOK_PARAM, hookUrls, isHookToken } from '../../consent/index.ts';

/** Twilio's MessageStatus → ours (queued/sending/sent are not news: the message is already sent). */
const TWILIO: Record<string, ReceiptStatus | undefined> = {
  delivered: 'delivered',
  read: 'opened',
  undelivered: 'failed',
  failed: 'failed',
};

export const hookQuery = z.object({
  [HOOK_PARAM]: z.string().max(200).optional().describe("the workspace's hook token (GET /api/v1/settings/hooks)"),
});

/**
 * The workspace whose server key and hook token a provider callback carries; 403 saying how to set the URL up when the
 * token is missing or wrong (or the key is the public one).
 */
export async function hookCaller(ctx: RouteContext, req: FastifyRequest, what: string): Promise<string> {
  const key = await ctx.guard(req, 'server');
  const token = (req.query as Record<string, unknown> | undefined)?.[HOOK_PARAM];
  if (!(await isHookToken(ctx.db, key.workspaceId, token))) {
    throw new DomainError(
      'hook_token_required',
      403,
      `${what} must carry this workspace's hook token: put the callback URLs from GET /api/v1/settings/hooks (…?${HOOK_PARAM}=…) into your provider's settings. A key alone is not enough: websites may still carry the write keys of old, which are server keys now.`,
    );
  }
  return key.workspaceId;
}

export async function receiptRoutes(app: App, ctx: RouteContext) {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get(
    '/api/v1/settings/hooks',
    {
      schema: {
        tags: ['messaging'],
        summary: 'The callback URLs (with the hook token) for delivery reports and inbound SMS',
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return {
        ...(await hookUrls(ctx.db, key.workspaceId, publicUrl())),
        auth: 'Each URL also needs a server key (not the public key) as basic-auth user name: https://SERVER_KEY:@host/… (or Authorization: Bearer SERVER_KEY).',
      };
    },
  );

  app.post(
    '/v1/receipts',
    {
      schema: {
        tags: ['messaging'],
        summary:
          "A delivery status for a message: by the provider's message id, or by our message key and channel (server key and hook token)",
        querystring: hookQuery,
        body: z.object({
          providerMessageId: z.string().min(1).max(500).optional(),
          messageKey: z.string().min(1).max(500).optional(),
          channel: z.enum(CHANNELS).optional(),
          status: z.enum(RECEIPT_STATUSES),
          detail: z.string().max(2000).optional(),
          at: z.iso.datetime({ offset: true }).optional(),
        }),
      },
    },
    async (req, reply) => {
      const ws = await hookCaller(ctx, req, 'Delivery reports');
      const b = req.body;
      if (!b.providerMessageId && !(b.messageKey && b.channel)) {
        throw new DomainError(
          'invalid_request',
          400,
          'Say which message: providerMessageId, or messageKey and channel.',
        );
      }
      const r = await applyReceipt(ctx.db, ws, { ...b, at: b.at ? new Date(b.at) : ctx.clock() }, ctx.clock());
      // Kept: a send is still waiting for its provider's answer, which may name this id (applied then, or dropped after a day).
      if (r.held) return reply.status(202).send(r);
      if (!r.found)
        throw new DomainError(
          'not_found',
          404,
          'No message with that id in this workspace (a receipt for another workspace, or sent before Retain).',
        );
      return r;
    },
  );

  app.post(
    '/v1/receipts/twilio',
    {
      schema: {
        tags: ['messaging'],
        summary:
          'Twilio status callback (StatusCallback URL from GET /api/v1/settings/hooks, with a server key as basic auth user)',
        querystring: hookQuery,
        body: z
          .object({ MessageSid: z.string().min(1), MessageStatus: z.string().min(1), ErrorCode: z.string().optional() })
          .loose(),
      },
    },
    async (req, reply) => {
      const ws = await hookCaller(ctx, req, 'Twilio status callbacks');
      const status = TWILIO[req.body.MessageStatus];
      if (!status) return reply.status(204).send();
      const r = await applyReceipt(
        ctx.db,
        ws,
        {
          providerMessageId: req.body.MessageSid,
          status,
          detail: req.body.ErrorCode ? `Twilio error ${req.body.ErrorCode}` : undefined,
          at: ctx.clock(),
        },
        ctx.clock(),
      );
      // not silent: Twilio's debugger shows the report as lost (a message of another workspace, or sent before Retain)
      if (!r.found && !r.held)
        throw new DomainError('not_found', 404, `No message with MessageSid ${req.body.MessageSid} in this workspace.`);
      return reply.status(204).send();
    },
  );
}
