// Templates API: list, create, read, change and delete templates, validate one without saving, preview any template
// (or a draft) for any customer, sample or recent event and channel, the e-mail layouts to start from, and send a test
// through the channel's provider.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { DomainError } from '../../lib/index.ts';
import { CHANNELS, type Channel, getProvider } from '../../channels/index.ts';
import {
  createTemplate,
  deleteTemplate,
  EMAIL_LAYOUTS,
  findCustomer,
  getTemplate,
  InvalidTemplate,
  listTemplates,
  outgoingMessage,
  previewTemplate,
  recentEvents,
  SAMPLE_EVENT_IDS,
  SAMPLE_EVENTS,
  updateTemplate,
  validateTemplate,
  type PreviewRequest,
} from '../../messaging/index.ts';

const idParams = z.object({ id: z.string().max(200).describe('template id') });
const content = z
  .unknown()
  .describe(
    '{ [locale]: { email?: {subject, preheader?, mjml | html, text?}, sms?: {text}, push?: {title, body, url?, icon?}, telegram?: {text, buttons?}, webhook?: {body} } }: every text is Liquid',
  );
const defaultLocale = z
  .string()
  .min(1)
  .max(35)
  .describe('the variant used when neither the customer’s locale, its language nor the workspace default has one');
const channel = z.enum(CHANNELS).describe('email, sms, push, webpush, telegram or webhook');
const previewFields = {
  customer: z.string().min(1).max(200).optional().describe('customer id or user id; none: a customer without data'),
  channel,
  locale: z
    .string()
    .min(1)
    .max(35)
    .optional()
    .describe('preview this locale instead of the customer’s (the fallback chain still applies)'),
  trigger: z
    .object({ event: z.string().max(200).optional(), properties: z.record(z.string(), z.unknown()).optional() })
    .optional()
    .describe('the triggering event: its properties, or its name to use the customer’s latest such event'),
  sample: z
    .enum(SAMPLE_EVENT_IDS)
    .optional()
    .describe(
      'a built-in sample event instead of trigger (its sample cart when the customer has none): product_added, order_completed or signed_up',
    ),
  params: z.record(z.string(), z.unknown()).optional().describe('the send step’s params, e.g. {"coupon": "WELCOME10"}'),
};

async function mustGet(ws: string, id: string, ctx: RouteContext) {
  const template = await getTemplate(ctx.db, ws, id);
  if (!template)
    throw new DomainError(
      'not_found',
      404,
      `No template "${id}" in this workspace. List them with GET /api/v1/templates.`,
    );
  return template;
}

/** A test goes to an address the operator typed: it must at least look like one for the channel. */
function addressProblem(ch: Channel, to: string): string | null {
  if (ch === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to)) return `"${to}" is not an e-mail address.`;
  if (ch === 'sms' && !/^\+[1-9]\d{6,14}$/.test(to))
    return `"${to}" is not a phone number in international form, e.g. +48600100200.`;
  return null;
}

export async function templateRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/templates',
    { schema: { tags: ['templates'], summary: 'All templates with their locales and channels' } },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { templates: await listTemplates(ctx.db, key.workspaceId) };
    },
  );

  app.post(
    '/api/v1/templates',
    {
      schema: {
        tags: ['templates'],
        summary: 'Create a template (refused with every problem: its path, line and column)',
        body: z.object({
          id: z.string().max(64).optional().describe('letters, digits, _ . or -; derived from the name when absent'),
          name: z.string().min(1).max(200),
          defaultLocale,
          content,
        }),
      },
    },
    async (req, reply) => {
      const key = await ctx.guard(req, 'admin');
      return reply.status(201).send(await createTemplate(ctx.db, key.workspaceId, req.body, ctx.clock()));
    },
  );

  app.post(
    '/api/v1/templates/validate',
    {
      schema: {
        tags: ['templates'],
        summary: 'Check a template without saving it: every Liquid and MJML problem with its path, line and column',
        body: z.object({ defaultLocale, content }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const problems = await validateTemplate(req.body, key.workspaceId);
      if (problems.length) throw new InvalidTemplate(problems);
      return { ok: true };
    },
  );

  app.post(
    '/api/v1/templates/preview',
    {
      schema: {
        tags: ['templates'],
        summary: 'Preview a template that is not saved (the editor’s draft) for a customer and channel',
        body: z.object({ template: z.object({ defaultLocale, content }), ...previewFields }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const { template, ...request } = req.body;
      // a draft being typed is often not whole yet: 422 with every problem, each at its path
      const problems = await validateTemplate(template, key.workspaceId);
      if (problems.length) throw new InvalidTemplate(problems, 422);
      return previewTemplate(
        ctx.db,
        key.workspaceId,
        template as Parameters<typeof previewTemplate>[2],
        request as PreviewRequest,
        ctx.clock(),
      );
    },
  );

  app.get(
    '/api/v1/templates/layouts',
    {
      schema: {
        tags: ['templates'],
        summary: 'E-mail layouts (MJML) a new template can start from, each with the legal footer',
      },
    },
    async (req) => {
      await ctx.guard(req, 'admin');
      return { layouts: EMAIL_LAYOUTS };
    },
  );

  app.get(
    '/api/v1/templates/preview/samples',
    { schema: { tags: ['templates'], summary: 'The built-in sample events a preview can use (sample)' } },
    async (req) => {
      await ctx.guard(req, 'admin');
      return {
        samples: SAMPLE_EVENT_IDS.map((id) => ({
          id,
          event: SAMPLE_EVENTS[id].event,
          label: SAMPLE_EVENTS[id].label,
          properties: SAMPLE_EVENTS[id].properties,
        })),
      };
    },
  );

  app.get(
    '/api/v1/templates/preview/events',
    {
      schema: {
        tags: ['templates'],
        summary:
          'The latest events of a name, of a customer or of the workspace, to preview a template with (as its trigger)',
        querystring: z.object({
          name: z.string().min(1).max(200).describe('the event name, e.g. Product Added'),
          customer: z.string().min(1).max(200).optional().describe('customer id or user id; none: the whole workspace'),
          limit: z.coerce.number().int().min(1).max(50).default(10),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const { name, customer, limit } = req.query;
      const found = customer ? await findCustomer(ctx.db, key.workspaceId, customer) : null;
      if (customer && !found)
        throw new DomainError(
          'not_found',
          404,
          `customer: no customer "${customer}" (by customer id or user id) in this workspace.`,
        );
      return { events: await recentEvents(ctx.db, key.workspaceId, name, found?.id ?? null, limit) };
    },
  );

  app.get(
    '/api/v1/templates/:id',
    { schema: { tags: ['templates'], summary: 'One template', params: idParams } },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return mustGet(key.workspaceId, req.params.id, ctx);
    },
  );

  app.put(
    '/api/v1/templates/:id',
    {
      schema: {
        tags: ['templates'],
        params: idParams,
        summary: 'Rename, change the default locale or replace the content (checked as a whole)',
        body: z.object({
          name: z.string().min(1).max(200).optional(),
          defaultLocale: defaultLocale.optional(),
          content: content.optional(),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const { name, defaultLocale: locale, content: body } = req.body;
      if (name === undefined && locale === undefined && body === undefined)
        throw new DomainError('invalid_request', 400, 'Nothing to change: send name, defaultLocale or content.');
      return updateTemplate(ctx.db, key.workspaceId, req.params.id, req.body, ctx.clock());
    },
  );

  app.delete(
    '/api/v1/templates/:id',
    { schema: { tags: ['templates'], summary: 'Delete a template that no journey sends', params: idParams } },
    async (req, reply) => {
      const key = await ctx.guard(req, 'admin');
      await deleteTemplate(ctx.db, key.workspaceId, req.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/templates/:id/preview',
    {
      schema: {
        tags: ['templates'],
        params: idParams,
        body: z.object(previewFields),
        summary:
          'The template rendered for a customer and channel: the content, which locale was used and why, SMS segments and price',
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const template = await mustGet(key.workspaceId, req.params.id, ctx);
      return previewTemplate(ctx.db, key.workspaceId, template, req.body as PreviewRequest, ctx.clock());
    },
  );

  app.post(
    '/api/v1/templates/:id/test',
    {
      schema: {
        tags: ['templates'],
        params: idParams,
        summary:
          'Send the template, rendered for a customer (or none), to an address through the channel’s provider; no consent or caps apply',
        body: z.object({
          ...previewFields,
          to: z
            .string()
            .min(1)
            .max(2000)
            .describe('e-mail address, E.164 phone, push token, Telegram chat id or webhook URL'),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const { to, ...request } = req.body;
      const wrongAddress = addressProblem(request.channel, to);
      if (wrongAddress) throw new DomainError('invalid_request', 400, `to: ${wrongAddress}`);
      const template = await mustGet(key.workspaceId, req.params.id, ctx);
      const preview = await previewTemplate(ctx.db, key.workspaceId, template, request as PreviewRequest, ctx.clock());
      const provider = await getProvider(ctx.db, key.workspaceId, request.channel);
      if (!provider)
        throw new DomainError(
          'no_provider',
          409,
          `No ${request.channel} provider is set up: configure one with PUT /api/v1/channels/${request.channel}.`,
        );
      const message = outgoingMessage(preview, {
        key: `test:${template.id}:${randomUUID()}`,
        channel: request.channel,
        to,
        purpose: 'transactional',
      });
      const result = await provider.send(message);
      if (!result.ok)
        throw new DomainError('send_failed', 502, `The ${request.channel} provider refused the test: ${result.error}`);
      return {
        sent: true,
        channel: request.channel,
        to,
        providerMessageId: result.providerMessageId ?? null,
        locale: preview.locale,
        localeSource: preview.localeSource,
        message,
      };
    },
  );
}
