// Channels API: each channel's provider and credentials (shown masked), and the Web Push pieces websites load from Retain.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { DomainError } from '../../lib/index.ts';
import { randomUUID } from 'node:crypto';
import {
  checkConnection,
  PROVIDER_NAMES,
  PROVIDERS,
  validateSettings,
  type ProviderName,
  type ProviderSpec,
  deleteChannel,
  listChannels,
  resolveSettings,
  saveChannel,
  storedSettings,
  FORMS,
  sendTest,
  defaultSecretKey,
  MIN_PER_SECOND,
  subscribeWebPush,
} from '../../channels/index.ts';

const sdkFile = (name: string) => readFileSync(new URL(`../../channels/sdk/${name}`, import.meta.url), 'utf8');
const SDK = { 'retain-sw.js': sdkFile('retain-sw.js'), 'webpush.js': sdkFile('webpush.js') };

const channelParams = z.object({
  channel: z.string().max(40).describe('email, sms, push, webpush, telegram or webhook'),
});
const base64url = (what: string, min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+=*$/, `${what} must be base64url`);

/** The secret key decides whether credentials can be read at all: a problem with it (SecretKeyError, 500) is the operator's to fix. */
const key = () => defaultSecretKey();

/** What a check or a test runs with: the settings in the body (a form not saved yet; •••• keeps a stored secret), else the saved ones. */
const trial = z.object({
  provider: z.string().min(1).max(40).optional().describe('with config: try these settings instead of the saved ones'),
  config: z.record(z.string(), z.unknown()).optional(),
});

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-max-age': '86400',
};

export async function channelRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/channels',
    {
      schema: {
        tags: ['channels'],
        summary: 'The configured channels with their provider and settings (credentials masked as ••••)',
      },
    },
    async (req) => {
      const owner = await ctx.guard(req, 'admin');
      return { channels: await listChannels(ctx.db, owner.workspaceId, key()) };
    },
  );

  app.get(
    '/api/v1/channels/providers',
    {
      schema: {
        tags: ['channels'],
        summary:
          'The providers of each channel, their settings (JSON Schema), which settings are secret, and the form the dashboard shows',
      },
    },
    async (req) => {
      await ctx.guard(req, 'admin');
      const providers = PROVIDER_NAMES.map((name): [ProviderName, ProviderSpec] => [name, PROVIDERS[name]]).map(
        ([name, spec]) => ({
          name,
          channel: spec.channel,
          secrets: spec.secrets,
          form: FORMS[name],
          settings: z.toJSONSchema(spec.settings, { io: 'input', unrepresentable: 'any' }),
        }),
      );
      return { providers };
    },
  );

  app.put(
    '/api/v1/channels/:channel',
    {
      schema: {
        tags: ['channels'],
        summary:
          'Set the provider of a channel (replacing the one before); a secret sent as •••• keeps its stored value',
        params: channelParams,
        body: z.object({
          provider: z
            .string()
            .min(1)
            .max(40)
            .describe('smtp (email); sms-http or twilio (sms); webpush; fcm (push); telegram; webhook'),
          config: z
            .record(z.string(), z.unknown())
            .describe("the provider's settings: see GET /api/v1/channels/providers"),
          perSecond: z
            .number()
            .min(MIN_PER_SECOND)
            .nullable()
            .optional()
            .describe('sends per second across all workers; null: no limit'),
          pricePerMessage: z.number().min(0).optional().describe('what one message costs'),
        }),
      },
    },
    async (req) => {
      const owner = await ctx.guard(req, 'admin');
      return saveChannel(ctx.db, owner.workspaceId, req.params.channel, req.body, key());
    },
  );

  /** The provider and settings a check or a test uses; ChannelConfigError names the fields. */
  async function trialSettings(ws: string, channel: string, body: z.infer<typeof trial>) {
    if (body.provider) {
      const { spec, settings } = await resolveSettings(
        ctx.db,
        ws,
        channel,
        { provider: body.provider, config: body.config ?? {} },
        key(),
      );
      return { name: body.provider, spec, settings };
    }
    // credentials that cannot be read with the key in force are a SecretKeyError with status 409: save them again
    const stored = await storedSettings(ctx.db, ws, channel, key());
    if (!stored)
      throw new DomainError('not_found', 404, `No provider is set for "${channel}": fill in its settings first.`);
    const { spec, settings } = validateSettings(channel, stored.provider, stored.config);
    return { name: stored.provider, spec, settings };
  }

  app.post(
    '/api/v1/channels/:channel/check',
    {
      schema: {
        tags: ['channels'],
        summary: "Check the connection to the channel's provider (SMTP: connect and log in); the answer in words",
        params: channelParams,
        body: trial.optional(),
      },
    },
    async (req) => {
      const owner = await ctx.guard(req, 'admin');
      const { name, settings } = await trialSettings(owner.workspaceId, req.params.channel, req.body ?? {});
      return checkConnection(name, settings);
    },
  );

  app.post(
    '/api/v1/channels/:channel/test',
    {
      schema: {
        tags: ['channels'],
        summary: 'Send a test message through the provider to `to`; the answer in words',
        params: channelParams,
        body: trial.extend({
          to: z
            .string()
            .max(4000)
            .optional()
            .describe('e-mail address, phone number, chat id, device token or push subscription JSON'),
        }),
      },
    },
    async (req) => {
      const owner = await ctx.guard(req, 'admin');
      const { name, spec, settings } = await trialSettings(owner.workspaceId, req.params.channel, req.body);
      return sendTest(name, spec, settings, req.body.to, `test-${randomUUID()}`);
    },
  );

  app.delete(
    '/api/v1/channels/:channel',
    {
      schema: {
        tags: ['channels'],
        summary: "Remove a channel's provider: nothing more is sent on it",
        params: channelParams,
      },
    },
    async (req, reply) => {
      const owner = await ctx.guard(req, 'admin');
      if (!(await deleteChannel(ctx.db, owner.workspaceId, req.params.channel))) {
        throw new DomainError(
          'not_found',
          404,
          `No provider is set for "${req.params.channel}". List them with GET /api/v1/channels.`,
        );
      }
      return reply.status(204).send();
    },
  );

  // Web Push: the service worker and the snippet, public (they hold no secret; the page gives its keys).
  for (const [name, source] of Object.entries(SDK)) {
    app.get(
      `/sdk/${name}`,
      {
        schema: {
          tags: ['channels'],
          summary:
            name === 'webpush.js'
              ? 'Web Push snippet for websites'
              : 'Web Push service worker (import it from your site)',
        },
      },
      async (_req, reply) =>
        reply
          .type('text/javascript; charset=utf-8')
          .header('cache-control', 'public, max-age=300')
          .header('access-control-allow-origin', '*')
          .send(source),
    );
  }

  // Websites call /v1/push/subscribe from their own origin: the browser first asks (OPTIONS, without the key) whether it may.
  // The app's key check lets OPTIONS through (a preflight carries no key); this route answers it.
  app.options('/v1/push/subscribe', { schema: { hide: true } }, async (_req, reply) => {
    return reply.headers(CORS).status(204).send();
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.routeOptions.url === '/v1/push/subscribe') reply.headers(CORS);
  });

  app.post(
    '/v1/push/subscribe',
    {
      schema: {
        tags: ['channels'],
        summary:
          "Store a browser's Web Push subscription on the customer (trait webpush_subscriptions); the snippet /sdk/webpush.js calls this",
        body: z.object({
          userId: z.string().min(1).max(400).optional(),
          anonymousId: z.string().min(1).max(400).optional(),
          subscription: z.object({
            endpoint: z
              .string()
              .max(2000)
              .regex(/^https:\/\/[^\s/]+/, 'must be the https:// URL of a push service'),
            expirationTime: z.number().nullable().optional(),
            keys: z.object({ p256dh: base64url('p256dh', 40, 200), auth: base64url('auth', 8, 100) }),
          }),
        }),
      },
    },
    async (req) => {
      const owner = await ctx.guard(req, 'public');
      return { success: true, ...(await subscribeWebPush(ctx.db, owner.workspaceId, req.body, ctx.clock())) };
    },
  );
}
