// Journeys API: create and edit (versioned), validate, activate / pause / archive, per-step counts, a customer's runs,
// the message intents journeys wrote, and the global control group settings.
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { DomainError } from '../../lib/index.ts';
import {
  activateJourney,
  archiveJourney,
  createJourney,
  customerRuns,
  getJourney,
  getJourneySettings,
  InvalidJourney,
  journeyReadiness,
  journeyStats,
  listIntents,
  listJourneys,
  pauseJourney,
  putJourneySettings,
  updateJourney,
  validateJourney,
} from '../../journeys/index.ts';
import { defaultOutboundPolicy } from '../../net/index.ts';

const idParams = z.object({ id: z.string().max(200).describe('journey id') });
const definition = z
  .unknown()
  .describe('A journey definition (JSON): see "Journeys" in the README. Refused with the path of each bad field.');

export async function journeyRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/journeys',
    { schema: { tags: ['journeys'], summary: 'All journeys with their state, version and run counts' } },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { journeys: await listJourneys(ctx.db, key.workspaceId) };
    },
  );

  app.post(
    '/api/v1/journeys',
    {
      schema: {
        tags: ['journeys'],
        summary: 'Create a journey (a draft: activate it to let customers in)',
        body: z.object({
          id: z.string().optional().describe('1 to 64 letters, digits, _ . or -; derived from the name when absent'),
          name: z.string().min(1).max(200),
          definition,
        }),
      },
    },
    async (req, reply) => {
      const key = await ctx.guard(req, 'admin');
      return reply.status(201).send(await createJourney(ctx.db, key.workspaceId, req.body, ctx.clock()));
    },
  );

  app.post(
    '/api/v1/journeys/validate',
    {
      schema: {
        tags: ['journeys'],
        body: z.object({ definition }),
        summary:
          'Check a definition without saving it: 400 with every error; else `warnings`, what would refuse its activation in this workspace (a template, provider or segment it needs)',
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const v = validateJourney(req.body.definition, defaultOutboundPolicy().allow);
      if (!v.ok) throw new InvalidJourney(v.errors);
      return { ok: true, warnings: await journeyReadiness(ctx.db, key.workspaceId, v.definition) };
    },
  );

  app.get(
    '/api/v1/journeys/:id',
    {
      schema: { tags: ['journeys'], summary: 'One journey: its latest definition and its versions', params: idParams },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const j = await getJourney(ctx.db, key.workspaceId, req.params.id);
      if (!j)
        throw new DomainError(
          'not_found',
          404,
          `No journey "${req.params.id}" in this workspace. List them with GET /api/v1/journeys.`,
        );
      return j;
    },
  );

  app.put(
    '/api/v1/journeys/:id',
    {
      schema: {
        tags: ['journeys'],
        params: idParams,
        summary:
          'Rename or redefine; once a version has been active this makes a new version (runs under way finish on theirs); for an active journey, 409 not_ready like activation while it could not go live',
        body: z.object({ name: z.string().min(1).max(200).optional(), definition: definition.optional() }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      if (req.body.name === undefined && req.body.definition === undefined)
        throw new DomainError('invalid_request', 400, 'Nothing to change: send name or definition.');
      return updateJourney(ctx.db, key.workspaceId, req.params.id, req.body, ctx.clock());
    },
  );

  const transitions = { activate: activateJourney, pause: pauseJourney, archive: archiveJourney } as const;
  const summaries = {
    activate:
      'Activate (or resume) the latest version: customers start entering. 409 not_ready with every problem (its path) while a template, provider or segment it needs is missing',
    pause: 'Pause: nobody enters and runs under way hold where they are until resumed',
    archive: 'Archive: nobody enters and runs under way end; the history stays',
  };
  for (const [action, fn] of Object.entries(transitions)) {
    app.post(
      `/api/v1/journeys/:id/${action}`,
      { schema: { tags: ['journeys'], summary: summaries[action as keyof typeof summaries], params: idParams } },
      async (req) => {
        const key = await ctx.guard(req, 'admin');
        return fn(ctx.db, key.workspaceId, req.params.id, ctx.clock());
      },
    );
  }

  app.get(
    '/api/v1/journeys/:id/stats',
    {
      schema: {
        tags: ['journeys'],
        summary:
          'Runs entered, active, completed and exited; per step the customers waiting there now and those who passed it',
        params: idParams,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      if (!(await getJourney(ctx.db, key.workspaceId, req.params.id)))
        throw new DomainError('not_found', 404, `No journey "${req.params.id}" in this workspace.`);
      return journeyStats(ctx.db, key.workspaceId, req.params.id);
    },
  );

  app.get(
    '/api/v1/journeys/:id/runs',
    {
      schema: {
        tags: ['journeys'],
        summary: "A customer's runs of this journey, newest first, each with its step history",
        params: idParams,
        querystring: z.object({
          customer: z.string().min(1).max(200).describe('customer id or user id'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const runs = await customerRuns(ctx.db, key.workspaceId, {
        journeyId: req.params.id,
        customer: req.query.customer,
        limit: req.query.limit,
      });
      if (!runs)
        throw new DomainError(
          'not_found',
          404,
          `No customer "${req.query.customer}" (by user id or customer id) in this workspace.`,
        );
      return { runs };
    },
  );

  app.get(
    '/api/v1/customers/:id/journeys',
    {
      schema: {
        tags: ['journeys'],
        summary: "A customer's runs of every journey, newest first, with their step history",
        params: z.object({ id: z.string().max(200) }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const runs = await customerRuns(ctx.db, key.workspaceId, { customer: req.params.id });
      if (!runs)
        throw new DomainError(
          'not_found',
          404,
          `No customer "${req.params.id}" (by user id or customer id) in this workspace.`,
        );
      return { runs };
    },
  );

  app.get(
    '/api/v1/message-intents',
    {
      schema: {
        tags: ['journeys'],
        summary: 'Messages journeys decided to send (the outbox), newest first',
        querystring: z.object({
          customer: z.string().max(200).optional(),
          journey: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const { customer, journey, limit } = req.query;
      const intents = await listIntents(ctx.db, key.workspaceId, { customer, journeyId: journey, limit });
      return { intents };
    },
  );

  app.get(
    '/api/v1/settings/journeys',
    {
      schema: { tags: ['journeys'], summary: 'Global control group (share, redraw period) and the default time zone' },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return getJourneySettings(ctx.db, key.workspaceId);
    },
  );

  app.put(
    '/api/v1/settings/journeys',
    {
      schema: {
        tags: ['journeys'],
        summary: 'Change the global control group share (0–0.5), its period (3–6 months) or the default time zone',
        body: z.object({
          share: z.number().optional(),
          periodMonths: z.number().optional(),
          timezone: z.string().optional(),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return putJourneySettings(ctx.db, key.workspaceId, req.body);
    },
  );
}
