// Loyalty API (admin key): the programme's settings, the rewards catalogue, redemption and manual adjustments (each
// idempotent by its key), a customer's points and ledger, the outstanding liability; and the customer's card page
// /c/card, authenticated by its signed token alone.
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { DomainError } from '../../lib/index.ts';
import {
  AdjustRequest,
  ProgramPatch,
  RedeemRequest,
  RewardInput,
  adjust,
  customerLoyalty,
  deleteReward,
  getProgram,
  getReward,
  liabilityReport,
  listRewards,
  putProgram,
  putReward,
  redeem,
  referralCode,
} from '../../loyalty/index.ts';
import { PAGE_HEADERS, cardLink, cardPageOf, linkProblemPage } from '../../consent/index.ts';
import { publicUrl } from '../../messaging/index.ts';
import { headerLanguage } from '../../i18n/index.ts';

const rewardId = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, dot, dash or underscore, at most 100'),
});

export async function loyaltyRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/loyalty/program',
    {
      schema: {
        tags: ['loyalty'],
        summary: 'The loyalty programme: earn rules, pending days, expiry, tiers (switched off until enabled)',
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return getProgram(ctx.db, key.workspaceId);
    },
  );

  app.put(
    '/api/v1/loyalty/program',
    {
      schema: {
        tags: ['loyalty'],
        summary:
          'Change the programme: the settings given replace theirs, the others stay. {"enabled": true} alone: 1 point per whole unit of the order\'s currency, rounded down, no pending period, no expiry, no tiers',
        body: ProgramPatch,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return putProgram(ctx.db, key.workspaceId, req.body, ctx.clock());
    },
  );

  app.get(
    '/api/v1/loyalty/rewards',
    { schema: { tags: ['loyalty'], summary: 'The rewards catalogue, cheapest first' } },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { rewards: await listRewards(ctx.db, key.workspaceId) };
    },
  );

  app.get(
    '/api/v1/loyalty/rewards/:id',
    { schema: { tags: ['loyalty'], summary: 'One reward', params: rewardId } },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const found = await getReward(ctx.db, key.workspaceId, req.params.id);
      if (!found)
        throw new DomainError(
          'not_found',
          404,
          `No reward "${req.params.id}"; list them with GET /api/v1/loyalty/rewards`,
        );
      return found;
    },
  );

  app.put(
    '/api/v1/loyalty/rewards/:id',
    {
      schema: {
        tags: ['loyalty'],
        summary: 'Create or replace a reward: a coupon (from a coupon pool), a discount or a gift, at a cost in points',
        params: rewardId,
        body: RewardInput,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return putReward(ctx.db, key.workspaceId, req.params.id, req.body, ctx.clock());
    },
  );

  app.delete(
    '/api/v1/loyalty/rewards/:id',
    {
      schema: {
        tags: ['loyalty'],
        summary: 'Remove a reward (past redemptions keep its id on their ledger rows)',
        params: rewardId,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      if (!(await deleteReward(ctx.db, key.workspaceId, req.params.id)))
        throw new DomainError('not_found', 404, `No reward "${req.params.id}"`);
      return { deleted: true };
    },
  );

  app.post(
    '/api/v1/loyalty/redeem',
    {
      schema: {
        tags: ['loyalty'],
        summary:
          "Spend a customer's points (a number, or a reward's cost) — for the shop and the POS. 409 when the spendable points do not cover it; the same idempotencyKey again changes nothing and answers as the first time",
        body: RedeemRequest,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return redeem(ctx.db, key.workspaceId, req.body, ctx.clock());
    },
  );

  app.get(
    '/api/v1/customers/:id/loyalty/card',
    {
      schema: {
        tags: ['loyalty'],
        summary:
          "The customer's card number and the signed link to their card page (balance, tier, the QR code of the number); in templates: {{ customer.loyalty.card_url }}",
        params: z.object({ id: z.string().min(1).max(200).describe('internal id or userId') }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      const { customerId } = await customerLoyalty(ctx.db, key.workspaceId, req.params.id, ctx.clock(), 1);
      return cardLink(ctx.db, key.workspaceId, customerId, publicUrl());
    },
  );

  const CARD_STATUS: Record<string, number> = { expired: 410, unknown: 404 };
  app.get(
    '/c/card',
    {
      schema: {
        tags: ['consent pages'],
        summary: "The customer's loyalty card: balance, tier and a QR code of the card number for the till (HTML)",
        querystring: z.object({ t: z.string().max(2000).default('') }),
      },
    },
    async (req, reply) => {
      const shown = await cardPageOf(ctx.db, req.query.t, ctx.clock());
      if (shown.ok) return reply.status(200).headers(PAGE_HEADERS).send(shown.html);
      return reply
        .status(CARD_STATUS[shown.reason] ?? 400)
        .headers(PAGE_HEADERS)
        .send(linkProblemPage(shown.reason, headerLanguage(req.headers['accept-language']) ?? 'en'));
    },
  );
  app.post(
    '/api/v1/loyalty/adjust',
    {
      schema: {
        tags: ['loyalty'],
        summary: 'Add or take away points by hand, with a reason and who made it (idempotent by idempotencyKey)',
        body: AdjustRequest,
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return adjust(ctx.db, key.workspaceId, req.body, `key:${key.keyHash.slice(0, 8)}`, ctx.clock());
    },
  );

  app.get(
    '/api/v1/customers/:id/loyalty',
    {
      schema: {
        tags: ['loyalty'],
        summary:
          "A customer's points: spendable, pending, tier and its benefits, points expiring soon, and the ledger (newest first)",
        params: z.object({ id: z.string().min(1).max(200).describe('internal id or userId') }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return customerLoyalty(ctx.db, key.workspaceId, req.params.id, ctx.clock(), req.query.limit);
    },
  );

  app.post(
    '/api/v1/loyalty/referral-code',
    {
      schema: {
        tags: ['loyalty'],
        summary:
          "The customer's referral code (made on first asking, then kept). A new customer who sends it as the referral_code trait or property is their referee; the referee's first completed, unrefunded order rewards both",
        body: z.strictObject({
          customer: z
            .union([z.string().trim().min(1).max(200), z.number().int().min(0)])
            .transform(String)
            .describe('internal id or userId'),
        }),
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return referralCode(ctx.db, key.workspaceId, req.body.customer, ctx.clock());
    },
  );

  app.get(
    '/api/v1/loyalty/liability',
    {
      schema: {
        tags: ['loyalty'],
        summary: 'Points not spent yet (spendable and pending) and their worth in the base currency',
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return liabilityReport(ctx.db, key.workspaceId);
    },
  );
}
