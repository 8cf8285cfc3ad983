// Workspace routes: who am I (key check for the dashboard), the workspace and its default language (what customers
// read when their own locale is not one we write), the Overview figures, and the currency settings (the base currency
// and rates every report's money is converted with).
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { DomainError } from '../../lib/index.ts';
import { KEY_KINDS, setWorkspaceLanguage, workspaceLanguage } from '../../workspaces/index.ts';
import { overviewStats } from '../../customers/index.ts';
import { CurrencySettingsPatch, currencyInForce, putCurrencySettings } from '../../money/index.ts';
import { LANGUAGES } from '../../i18n/index.ts';

const defaultLocale = z
  .enum(LANGUAGES, {
    error: `one of ${LANGUAGES.join(', ')}: the language customers read when their own locale is none of these`,
  })
  .describe(
    "The language of the pages and built-in e-mails customers get when their own locale is not en, pl or ru (also the step after the customer's locale when a template picks its variant); en until set",
  );
const workspaceView = z.object({ id: z.string(), name: z.string(), defaultLocale: z.enum(LANGUAGES) });

export async function workspaceRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['workspace'],
        summary: 'The workspace and kind of the key presented',
        response: { 200: z.object({ workspace: workspaceView, keyKind: z.enum(KEY_KINDS) }) },
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return {
        workspace: {
          id: key.workspaceId,
          name: key.workspaceName,
          defaultLocale: await workspaceLanguage(ctx.db, key.workspaceId),
        },
        keyKind: key.kind,
      };
    },
  );

  app.get(
    '/api/v1/workspace',
    {
      schema: {
        tags: ['workspace'],
        summary: 'The workspace: its id, name and default language',
        response: { 200: workspaceView },
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return {
        id: key.workspaceId,
        name: key.workspaceName,
        defaultLocale: await workspaceLanguage(ctx.db, key.workspaceId),
      };
    },
  );

  app.patch(
    '/api/v1/workspace',
    {
      schema: {
        tags: ['workspace'],
        summary: "Change the workspace's default language (en, pl or ru)",
        description:
          "The customer's own locale comes first (pl-PL reads Polish); a customer without one, or with a locale in another language, " +
          'reads the consent pages and built-in e-mails in this language.',
        body: z.strictObject(
          { defaultLocale: defaultLocale.optional() },
          {
            error: (i) =>
              i.code === 'unrecognized_keys'
                ? `not a setting: ${i.keys.join(', ')} (the workspace has defaultLocale)`
                : undefined,
          },
        ),
        response: { 200: workspaceView },
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      if (req.body.defaultLocale === undefined)
        throw new DomainError('invalid_request', 400, 'Nothing to change: send defaultLocale (en, pl or ru).', {
          field: 'defaultLocale',
        });
      await setWorkspaceLanguage(ctx.db, key.workspaceId, req.body.defaultLocale);
      return {
        id: key.workspaceId,
        name: key.workspaceName,
        defaultLocale: await workspaceLanguage(ctx.db, key.workspaceId),
      };
    },
  );
  app.get(
    '/api/v1/stats/overview',
    {
      schema: {
        tags: ['workspace'],
        summary:
          'Customers, events, orders, net revenue (in the base currency and per currency), events per day and the latest events',
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return overviewStats(ctx.db, key.workspaceId);
    },
  );

  app.get(
    '/api/v1/settings/currency',
    {
      schema: {
        tags: ['workspace'],
        summary:
          'The base currency reports convert to, the rates to it with their dates, and where the base comes from (settings, orders or default)',
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const { sole: _, ...settings } = await currencyInForce(ctx.db, key.workspaceId);
      return settings;
    },
  );

  app.put(
    '/api/v1/settings/currency',
    {
      schema: {
        tags: ['workspace'],
        summary: 'Set the base currency and/or the rates to it: each key given replaces its value',
        description:
          'rates: {"PLN": {"rate": 0.2315, "date": "2026-05-01"}} = one PLN is worth 0.2315 of the base currency, as of that day. ' +
          'A new base needs new rates (send rates with it).',
        body: CurrencySettingsPatch,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const { sole: _, ...settings } = await putCurrencySettings(ctx.db, key.workspaceId, req.body, ctx.clock());
      return settings;
    },
  );
}
