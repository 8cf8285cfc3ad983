// Consent API and pages: a customer's consents and audit trail, website sign-ups (/v1/consent), inbound SMS STOP/START
// (the gateway's server key and hook token), topics, suppressions and the send gate's settings; and the pages behind
// links in messages (/c/confirm, /c/unsubscribe with RFC 8058 one-click, /c/preferences), authenticated by their
// signed token alone.
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, RouteContext } from '../app.ts';
import { DomainError, encodeCursor, readCursor } from '../../lib/index.ts';
import { iso } from '../../time/index.ts';
import { CHANNELS } from '../../channels/index.ts';
import {
  ANY_CHANNEL,
  SUPPRESSION_REASONS,
  confirm,
  consentState,
  consentTrail,
  createTopic,
  deleteTopic,
  findCustomer,
  listSuppressions,
  listTopics,
  preferenceChoices,
  readLink,
  recordConsent,
  regrantByPhone,
  removeSuppression,
  revokeByPhone,
  readerLanguage,
  savePreferences,
  signLink,
  signUp,
  smsKeyword,
  suppress,
  unsubscribeByLink,
  unsubscribeWhat,
  updateTopic,
  allOf,
  oneOf,
  parseMultipart,
  parseUrlEncoded,
  type FormFields,
  PAGE_HEADERS,
  confirmedPage,
  linkProblemPage,
  nothingChangedPage,
  preferencesPage,
  unsubscribePage,
  unsubscribedPage,
  publicSignUp,
} from '../../consent/index.ts';
import { getGateSettings, putGateSettings } from '../../messaging/index.ts';
import { headerLanguage } from '../../i18n/index.ts';
import { hookCaller, hookQuery } from './receipts.ts';
import { workspaceName } from '../../workspaces/index.ts';

const channel = z.enum(CHANNELS);
const purpose = z.enum(['transactional', 'marketing']);
const topicId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a topic id: 1 to 64 letters, digits, "_", "-" or "."');
const source = z.string().regex(/^[a-z0-9_.:-]{1,64}$/i, 'a short name such as "api" or "signup_form"');
const customerParams = z.object({ id: z.string().max(400).describe('customer id or user id') });
const tokenQuery = z.object({ t: z.string().max(2000).default('') });

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.status(status).headers(PAGE_HEADERS).send(body);
const LINK_STATUS: Record<string, number> = { expired: 410, unknown: 404 };
/** A link that does not work names no customer we can trust: the page is in the browser's language. */
const linkProblem = (req: FastifyRequest, reply: FastifyReply, reason: string) =>
  html(
    reply,
    LINK_STATUS[reason] ?? 400,
    linkProblemPage(reason, headerLanguage(req.headers['accept-language']) ?? 'en'),
  );

export async function consentRoutes(app: App, ctx: RouteContext) {
  // Pages post HTML forms and gateways post form fields (this scope only); JSON stays the default elsewhere.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, parseUrlEncoded(String(body))),
  );
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string' }, (req, body, done) =>
    done(null, parseMultipart(String(body), req.headers['content-type'] ?? '')),
  );

  /** Who the pages name as the sender: the messaging settings' sender name (what messages sign with), else the workspace's name. */
  const senderOf = async (ws: string) =>
    (await getGateSettings(ctx.db, ws)).senderName ?? (await workspaceName(ctx.db, ws));
  const customerOf = async (ws: string, ref: string) => {
    const c = await findCustomer(ctx.db, ws, ref);
    if (!c)
      throw new DomainError(
        'not_found',
        404,
        `No customer "${ref}" (by customer id or user id) in this workspace. Find ids with GET /api/v1/customers?q=…`,
      );
    return c;
  };

  // ---- a customer's consents (admin) ----
  app.get(
    '/api/v1/customers/:id/consents',
    {
      schema: {
        tags: ['consent'],
        summary: 'The consents in force and the whole audit trail (oldest first)',
        params: customerParams,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const c = await customerOf(key.workspaceId, req.params.id);
      const [state, trail] = await Promise.all([
        consentState(ctx.db, key.workspaceId, c.id),
        consentTrail(ctx.db, key.workspaceId, c.id),
      ]);
      return { customerId: c.id, userId: c.userId, state, trail };
    },
  );

  app.post(
    '/api/v1/customers/:id/consents',
    {
      schema: {
        tags: ['consent'],
        params: customerParams,
        summary: 'Record a grant or revocation (for a topic: channel "*" or none, purpose marketing)',
        body: z.strictObject({
          channel: z
            .union([channel, z.literal(ANY_CHANNEL)])
            .optional()
            .describe('required unless topic is given'),
          purpose: purpose.optional().describe('required unless topic is given'),
          topic: topicId.optional(),
          granted: z.boolean(),
          source: source.default('api'),
          textVersion: z.string().max(200).optional(),
          ip: z.string().max(100).optional().describe("the person's IP when they consented, if known"),
          at: z.iso.datetime({ offset: true }).optional().describe('when they consented; default now'),
        }),
      },
    },
    async (req, reply) => {
      const key = await ctx.guard(req, 'admin');
      const b = req.body;
      if (!b.topic && !b.channel)
        throw new DomainError('invalid_request', 400, 'channel: required (or give a topic)', { field: 'channel' });
      if (!b.topic && !b.purpose)
        throw new DomainError('invalid_request', 400, 'purpose: required (or give a topic)', { field: 'purpose' });
      const at = b.at ? new Date(b.at) : ctx.clock();
      if (at.getTime() > ctx.clock().getTime() + 60_000)
        throw new DomainError(
          'invalid_request',
          400,
          'at: in the future; give the time the person consented (default now)',
          { field: 'at' },
        );
      const c = await customerOf(key.workspaceId, req.params.id);
      const act = {
        channel: b.topic ? (b.channel ?? ANY_CHANNEL) : b.channel!,
        purpose: b.topic ? (b.purpose ?? 'marketing') : b.purpose!,
        topic: b.topic,
        granted: b.granted,
        source: b.source,
        textVersion: b.textVersion ?? null,
        ip: b.ip ?? null,
        at,
      };
      const { recorded } = await recordConsent(ctx.db, key.workspaceId, c.id, act);
      return reply
        .status(recorded ? 201 : 200)
        .send({ recorded, state: await consentState(ctx.db, key.workspaceId, c.id) });
    },
  );

  // ---- a website's sign-up form (public key: double opt-in and link tokens; server key: as told) ----
  app.post(
    '/v1/consent',
    {
      schema: {
        tags: ['consent'],
        summary:
          "Consent from your website's form: the request's IP is recorded; e-mail marketing under double opt-in answers 202 pending. " +
          "With the public key: e-mail marketing sign-ups only, always confirmed by e-mail (202 pending), and revocations only with the token of the person's unsubscribe or preferences link",
        body: z.strictObject({
          userId: z.string().min(1).max(400).optional(),
          anonymousId: z.string().min(1).max(400).optional(),
          email: z.string().max(400).optional(),
          channel,
          purpose,
          topic: topicId.optional(),
          granted: z.boolean(),
          textVersion: z
            .string()
            .min(1)
            .max(200)
            .optional()
            .describe('required to grant: the version of the text the person agreed to'),
          source: source.default('signup_form'),
          token: z
            .string()
            .max(2000)
            .optional()
            .describe("public key, to revoke: the token (t=) of the person's unsubscribe or preferences link"),
        }),
      },
    },
    async (req, reply) => {
      const key = await ctx.guard(req, 'public');
      const now = ctx.clock();
      const ip = req.ip ?? null;
      const result =
        key.kind === 'public'
          ? await publicSignUp(ctx.db, key.workspaceId, req.body, { now, ip })
          : await signUp(ctx.db, key.workspaceId, req.body, {
              now,
              ip,
              doubleOptInEmail: (await getGateSettings(ctx.db, key.workspaceId)).doubleOptInEmail,
            });
      return reply.status(result.status === 'pending' ? 202 : 200).send(result);
    },
  );

  // ---- inbound SMS from a gateway (server key and hook token: https://SERVER_KEY:@host/v1/sms/inbound?hook=…) ----
  app.post(
    '/v1/sms/inbound',
    {
      schema: {
        tags: ['consent'],
        summary:
          'An inbound SMS {from, text}: STOP (and synonyms, СТОП, ОТПИСКА) revokes SMS marketing and suppresses the number; START re-grants (server key and hook token)',
        querystring: hookQuery,
        body: z.looseObject({
          from: z.string().min(1).max(50).optional(),
          text: z.string().max(2000).optional(),
          From: z.string().optional(),
          Body: z.string().optional(),
        }),
      },
    },
    async (req) => {
      // Only the gateway: with a key alone (old write keys may sit in web pages), anyone could send START for any number and lift its STOP.
      const ws = await hookCaller(ctx, req, 'Inbound SMS');
      const from = req.body.from ?? req.body.From; // Twilio-style gateways post From / Body
      const text = req.body.text ?? req.body.Body;
      if (!from)
        throw new DomainError('invalid_request', 400, "from: the sender's phone number is required", { field: 'from' });
      if (text === undefined)
        throw new DomainError('invalid_request', 400, 'text: the message text is required', { field: 'text' });
      const action = smsKeyword(text);
      if (!action) return { action: 'none', customers: 0 };
      const run = action === 'stop' ? revokeByPhone : regrantByPhone;
      const r = await run(ctx.db, ws, from, action === 'stop' ? 'sms_stop' : 'sms_start', ctx.clock());
      return { action, phone: r.phone, customers: r.customers.length };
    },
  );

  // ---- pages behind links ----
  app.get(
    '/c/confirm',
    {
      schema: {
        tags: ['consent pages'],
        summary: 'Double opt-in: confirms the subscription the link stands for (HTML)',
        querystring: tokenQuery,
      },
    },
    async (req, reply) => {
      const r = await confirm(ctx.db, req.query.t, ctx.clock(), req.ip ?? null);
      if (!r.ok) return linkProblem(req, reply, r.reason);
      return html(
        reply,
        200,
        confirmedPage(r.alreadyConfirmed, await senderOf(r.ws), await readerLanguage(ctx.db, r.ws, r.customerId)),
      );
    },
  );

  app.get(
    '/c/unsubscribe',
    {
      schema: {
        tags: ['consent pages'],
        summary: 'A page with an Unsubscribe button (nothing changes until it is pressed)',
        querystring: tokenQuery,
      },
    },
    async (req, reply) => {
      const link = await readLink(ctx.db, req.query.t, 'unsubscribe', ctx.clock());
      if (!link.ok) return linkProblem(req, reply, link.reason);
      const { ws, c } = link.payload;
      return html(
        reply,
        200,
        unsubscribePage(
          req.query.t,
          await unsubscribeWhat(ctx.db, ws, link.payload),
          await senderOf(ws),
          await readerLanguage(ctx.db, ws, c),
        ),
      );
    },
  );

  app.post(
    '/c/unsubscribe',
    {
      schema: {
        tags: ['consent pages'],
        summary: 'RFC 8058 one-click unsubscribe: body List-Unsubscribe=One-Click (form-encoded or multipart)',
        querystring: tokenQuery,
      },
    },
    async (req, reply) => {
      const link = await readLink(ctx.db, req.query.t, 'unsubscribe', ctx.clock());
      if (!link.ok) return linkProblem(req, reply, link.reason);
      const p = link.payload;
      const lang = await readerLanguage(ctx.db, p.ws, p.c);
      if (oneOf(req.body as FormFields | undefined, 'List-Unsubscribe') !== 'One-Click')
        return html(reply, 400, nothingChangedPage(lang));
      await unsubscribeByLink(ctx.db, p, ctx.clock(), req.ip ?? null);
      const prefs = await signLink(ctx.db, { k: 'preferences', ws: p.ws, c: p.c });
      return html(
        reply,
        200,
        unsubscribedPage(await unsubscribeWhat(ctx.db, p.ws, p), prefs, await senderOf(p.ws), lang),
      );
    },
  );

  /** The preference centre for the link's customer; with a form, saved first. */
  const preferences = async (
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    form: FormFields | null,
    ip: string | null,
  ) => {
    const link = await readLink(ctx.db, token, 'preferences', ctx.clock());
    if (!link.ok) return linkProblem(req, reply, link.reason);
    const { ws, c } = link.payload;
    if (form && oneOf(form, 'save') === '1') {
      // only the page's own form saves: an empty POST must not revoke everything
      const settings = await getGateSettings(ctx.db, ws);
      await savePreferences(
        ctx.db,
        ws,
        c,
        { channels: allOf(form, 'channel'), topics: allOf(form, 'topic') },
        ctx.clock(),
        ip,
        settings.doubleOptInEmail,
      );
    }
    const choices = await preferenceChoices(ctx.db, ws, c);
    if (!choices) return linkProblem(req, reply, 'unknown');
    return html(
      reply,
      200,
      preferencesPage(
        token,
        choices,
        form !== null && oneOf(form, 'save') === '1',
        await senderOf(ws),
        await readerLanguage(ctx.db, ws, c),
      ),
    );
  };
  app.get(
    '/c/preferences',
    {
      schema: {
        tags: ['consent pages'],
        summary: 'The preference centre: marketing channels and topics (HTML)',
        querystring: tokenQuery,
      },
    },
    (req, reply) => preferences(req, reply, req.query.t, null, req.ip ?? null),
  );
  app.post(
    '/c/preferences',
    {
      schema: {
        tags: ['consent pages'],
        summary: 'Save the preference centre (form fields channel and topic, repeated)',
        querystring: tokenQuery,
      },
    },
    (req, reply) => preferences(req, reply, req.query.t, (req.body as FormFields | undefined) ?? {}, req.ip ?? null),
  );

  // ---- topics ----
  app.get(
    '/api/v1/topics',
    { schema: { tags: ['consent'], summary: 'Subscription topics customers can join or leave' } },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { topics: await listTopics(ctx.db, key.workspaceId) };
    },
  );

  app.post(
    '/api/v1/topics',
    {
      schema: {
        tags: ['consent'],
        summary: 'Create a topic',
        body: z.strictObject({
          id: topicId,
          name: z.string().min(1).max(200),
          description: z.string().max(2000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const key = await ctx.guard(req, 'admin');
      return reply.status(201).send(await createTopic(ctx.db, key.workspaceId, req.body));
    },
  );

  const topicParams = z.object({ id: z.string().max(64) });
  app.put(
    '/api/v1/topics/:id',
    {
      schema: {
        tags: ['consent'],
        summary: 'Rename or describe a topic',
        params: topicParams,
        body: z.strictObject({
          name: z.string().min(1).max(200).optional(),
          description: z.string().max(2000).nullable().optional(),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return updateTopic(ctx.db, key.workspaceId, req.params.id, req.body);
    },
  );

  app.delete(
    '/api/v1/topics/:id',
    {
      schema: {
        tags: ['consent'],
        summary: 'Delete a topic (its consent records stay in the audit trail)',
        params: topicParams,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      if (!(await deleteTopic(ctx.db, key.workspaceId, req.params.id)))
        throw new DomainError('not_found', 404, `No topic "${req.params.id}". List them with GET /api/v1/topics.`);
      return { deleted: true };
    },
  );

  // ---- suppressions ----
  app.get(
    '/api/v1/suppressions',
    {
      schema: {
        tags: ['consent'],
        summary: 'Suppressed addresses by channel and address; page with cursor = the nextCursor of the previous page',
        querystring: z.object({
          channel: channel.optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          cursor: z.string().max(4000).optional(),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const { channel: ch, limit, cursor } = req.query;
      const after = (readCursor(cursor, (c) => c.length === 2 && c.every((p) => typeof p === 'string')) ?? undefined) as
        | [string, string]
        | undefined;
      const rows = await listSuppressions(ctx.db, key.workspaceId, { channel: ch, after, limit: limit + 1 });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        suppressions: page.map((s) => ({ ...s, at: iso(s.at) })),
        nextCursor: rows.length > limit && last ? encodeCursor([last.channel, last.address]) : null,
      };
    },
  );

  app.post(
    '/api/v1/suppressions',
    {
      schema: {
        tags: ['consent'],
        summary: 'Suppress an address on a channel (for every purpose)',
        body: z.strictObject({
          channel,
          address: z.string().min(1).max(2000),
          reason: z.enum(SUPPRESSION_REASONS),
          detail: z.string().max(2000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const key = await ctx.guard(req, 'admin');
      const b = req.body;
      return reply
        .status(201)
        .send(await suppress(ctx.db, key.workspaceId, b.channel, b.address, b.reason, b.detail ?? null, ctx.clock()));
    },
  );

  app.delete(
    '/api/v1/suppressions',
    {
      schema: {
        tags: ['consent'],
        summary: 'Lift a suppression',
        querystring: z.object({ channel, address: z.string().min(1).max(2000) }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const { channel: ch, address } = req.query;
      if (!(await removeSuppression(ctx.db, key.workspaceId, ch, address))) {
        throw new DomainError('not_found', 404, `${address} is not suppressed on ${ch}.`);
      }
      return { removed: true };
    },
  );

  // ---- the send gate's settings ----
  app.get(
    '/api/v1/settings/messaging',
    { schema: { tags: ['consent'], summary: 'Frequency caps, quiet hours, double opt-in and sender identification' } },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return getGateSettings(ctx.db, key.workspaceId);
    },
  );

  app.put(
    '/api/v1/settings/messaging',
    {
      schema: {
        tags: ['consent'],
        summary: 'Change the send gate settings: each key given replaces its value (quietHours null = none)',
        body: z.unknown(),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return putGateSettings(ctx.db, key.workspaceId, req.body);
    },
  );
}
