// Workspace routes: who am I (key check for the dashboard), the Overview figures, and the currency settings (the base
// currency and rates every report's money is converted with).
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { KEY_KINDS } from '../../workspaces/keys.ts';
import { overviewStats } from '../../customers/stats.ts';
import { CurrencySettingsPatch } from '../../money/settings.ts';
import { currencyInForce, putCurrencySettings } from '../../money/store.ts';

export async function workspaceRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['workspace'],
        summary: 'The workspace and kind of the key presented',
        response: { 200: z.object({ workspace: z.object({ id: z.string(), name: z.string() }), keyKind: z.enum(KEY_KINDS) }) },
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { workspace: { id: key.workspaceId, name: key.workspaceName }, keyKind: key.kind };
    },
  );
  app.get(
    '/api/v1/stats/overview',
    { schema: { tags: ['workspace'], summary: 'Customers, events, orders, net revenue (in the base currency and per currency), events per day and the latest events' } },
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
        summary: 'The base currency reports convert to, the rates to it with their dates, and where the base comes from (settings, orders or default)',
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
        description: 'rates: {"PLN": {"rate": 0.2315, "date": "2026-05-01"}} = one PLN is worth 0.2315 of the base currency, as of that day. '
          + 'A new base needs new rates (send rates with it).',
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
