// Earn rules (pure): the points an order earns (rate per currency, excluded products and categories, tier and campaign
// multipliers, rounding), the claw-back a refund makes in proportion to what was returned, and the bonus events.
import { matchesWhere } from '../lib/index.ts';
import type { BonusRule, ProgramSettings } from './program.ts';

/** What earning reads of an order's line (ingest's order lines have this shape). */
export interface EarningLine {
  productId: string | null;
  sku: string | null;
  category: string | null;
  price: number | null;
  quantity: number;
}

export interface EarningOrder {
  total: number;
  currency: string | null;
  lines: EarningLine[];
  at: Date;
}

const ROUNDERS = { down: Math.floor, nearest: Math.round, up: Math.ceil } as const;
/** Float noise (19.999999999) must not cost a point when rounding down. */
const round = (x: number, rule: ProgramSettings['rounding']) => ROUNDERS[rule](Math.round(x * 1e6) / 1e6);

/** What part of the order earns: its total less the lines of excluded products or categories. */
export function eligibleAmount(order: EarningOrder, s: ProgramSettings): number {
  if (!s.excludedProducts.length && !s.excludedCategories.length) return order.total;
  const products = new Set(s.excludedProducts);
  const categories = new Set(s.excludedCategories);
  const excluded = order.lines
    .filter(
      (l) =>
        (l.productId !== null && products.has(l.productId)) ||
        (l.sku !== null && products.has(l.sku)) ||
        (l.category !== null && categories.has(l.category)),
    )
    .reduce((sum, l) => sum + (l.price ?? 0) * l.quantity, 0);
  return Math.max(0, order.total - excluded);
}

/** The campaigns' multipliers in force at that instant, multiplied together (1 without any). */
export function campaignMultiplier(s: ProgramSettings, at: Date): number {
  const t = at.getTime();
  return s.campaigns
    .filter((c) => Date.parse(c.from) <= t && t < Date.parse(c.to))
    .reduce((m, c) => m * c.multiplier, 1);
}

/** The tier's multiplier (1 without a tier, or a tier no longer in the programme). */
export const tierMultiplier = (s: ProgramSettings, tier: string | null): number =>
  s.tiers.find((t) => t.name === tier)?.multiplier ?? 1;

/** Points the order earns for a customer in this tier. */
export function orderPoints(order: EarningOrder, s: ProgramSettings, tier: string | null): number {
  const currency = order.currency?.trim().toUpperCase() ?? '';
  const rate = s.currencyRates[currency] ?? s.pointsPerUnit;
  const points = round(
    eligibleAmount(order, s) * rate * tierMultiplier(s, tier) * campaignMultiplier(s, order.at),
    s.rounding,
  );
  return Math.max(0, points);
}

/**
 * What a refund takes back: the order's points in proportion to the part of the order refunded so far, less what was
 * taken back already (a cancellation refunds all that is left, so it takes back all the rest).
 */
export function clawbackDue(earned: number, total: number, refunded: number, clawed: number): number {
  if (earned <= 0) return 0;
  const share = total > 0 ? Math.min(1, refunded / total) : 1;
  return Math.max(0, Math.min(earned, Math.ceil(earned * share - 1e-9)) - clawed);
}

/** The bonus rules an event meets. */
export const bonusesFor = (s: ProgramSettings, event: { name: string; properties: unknown }): BonusRule[] =>
  s.bonuses.filter(
    (b) =>
      b.event === event.name &&
      matchesWhere(event.properties, b.where as Record<string, string | number | boolean> | undefined),
  );
