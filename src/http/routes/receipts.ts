// Delivery receipts from providers (write key, e.g. in the callback URL as basic auth): Twilio status callbacks and a
// generic JSON receipt for SMS gateways and e-mail bounce / complaint notifications.
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { HttpError } from '../errors.ts';
import { applyReceipt, RECEIPT_STATUSES, type ReceiptStatus } from '../../messaging/dispatch/receipts.ts';
import { CHANNELS } from '../../messaging/types.ts';

/** Twilio's MessageStatus → ours (queued/sending/sent are not news: the message is already sent). */
const TWILIO: Record<string, ReceiptStatus | undefined> = { delivered: 'delivered', read: 'opened', undelivered: 'failed', failed: 'failed' };

export async function receiptRoutes(app: App, ctx: RouteContext) {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.post(
    '/v1/receipts',
    {
      schema: {
        tags: ['messaging'], summary: 'A delivery status for a message: by the provider\'s message id, or by our message key and channel',
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
    async (req) => {
      const key = await ctx.guard(req, 'write');
      const b = req.body;
      if (!b.providerMessageId && !(b.messageKey && b.channel)) {
        throw new HttpError(400, 'invalid_request', 'Say which message: providerMessageId, or messageKey and channel.');
      }
      const r = await applyReceipt(ctx.db, key.workspaceId, { ...b, at: b.at ? new Date(b.at) : ctx.clock() });
      if (!r.found) throw new HttpError(404, 'not_found', 'No message with that id in this workspace (a receipt for another workspace, or sent before Retain).');
      return r;
    },
  );

  app.post(
    '/v1/receipts/twilio',
    { schema: { tags: ['messaging'], summary: 'Twilio status callback (StatusCallback URL with the write key as basic auth user)', body: z.object({ MessageSid: z.string().min(1), MessageStatus: z.string().min(1), ErrorCode: z.string().optional() }).loose() } },
    async (req, reply) => {
      const key = await ctx.guard(req, 'write');
      const status = TWILIO[req.body.MessageStatus];
      if (!status) return reply.status(204).send();
      await applyReceipt(ctx.db, key.workspaceId, { providerMessageId: req.body.MessageSid, status, detail: req.body.ErrorCode ? `Twilio error ${req.body.ErrorCode}` : undefined, at: ctx.clock() });
      return reply.status(204).send();
    },
  );
}
