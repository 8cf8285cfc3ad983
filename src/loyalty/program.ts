// A loyalty programme's settings (pure): the schema with its defaults, and a change applied to the current settings.
// Switched off until enabled; `{"enabled": true}` alone means 1 point per whole unit of the order's currency, rounded
// down, no pending period, no expiry, no tiers.
import { z } from 'zod';
import { isCurrencyCode } from '../money/index.ts';

const currency = z
  .string()
  .transform((c) => c.trim().toUpperCase())
  .refine(isCurrencyCode, 'an ISO 4217 currency code, such as PLN');
const scalar = z.union([z.string().max(500), z.number(), z.boolean()]);
const name = z.string().trim().min(1).max(200);

const Bonus = z.strictObject({
  event: name.describe('the event that earns it: "Signed Up", "Review Written", any name'),
  points: z.number().int().min(1).max(1_000_000_000),
  where: z
    .record(z.string().min(1).max(200), scalar)
    .optional()
    .describe('every property must equal (as journey triggers match)'),
  once: z.boolean().default(false).describe('at most once per customer (a sign-up), else once per event'),
});

const Campaign = z
  .strictObject({
    name,
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    multiplier: z.number().positive().max(100),
  })
  .refine((c) => Date.parse(c.from) < Date.parse(c.to), { message: 'to must be after from', path: ['to'] });

const Tier = z.strictObject({
  name,
  threshold: z
    .number()
    .min(0)
    .max(1e15)
    .describe('points earned (or spend, per tierBasis) over the rolling window to reach it'),
  multiplier: z.number().positive().max(100).default(1),
  freeShipping: z.boolean().default(false),
});

const Referral = z.strictObject({
  referrerPoints: z.number().int().min(0).max(1_000_000_000).default(0),
  refereePoints: z.number().int().min(0).max(1_000_000_000).default(0),
});

export const ProgramSettings = z.strictObject({
  enabled: z.boolean().default(false),
  pointsPerUnit: z.number().min(0).max(1_000_000).default(1).describe("points per whole unit of the order's currency"),
  rounding: z.enum(['down', 'nearest', 'up']).default('down'),
  currencyRates: z
    .record(currency, z.number().min(0).max(1_000_000))
    .default({})
    .describe('points per unit for these currencies instead of pointsPerUnit'),
  excludedProducts: z
    .array(z.string().min(1).max(200))
    .max(10_000)
    .default([])
    .describe('product ids or SKUs that earn nothing'),
  excludedCategories: z.array(z.string().min(1).max(200)).max(1000).default([]),
  pendingDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .default(0)
    .describe('days (the returns window) before earned points can be spent'),
  expiryMonths: z
    .number()
    .int()
    .min(1)
    .max(240)
    .nullable()
    .default(null)
    .describe('points expire this many months after they were earned, first in first out; null: never'),
  bonuses: z.array(Bonus).max(100).default([]),
  campaigns: z.array(Campaign).max(100).default([]),
  tiers: z
    .array(Tier)
    .max(20)
    .default([])
    .refine((ts) => new Set(ts.map((t) => t.name)).size === ts.length, 'tier names must differ'),
  tierBasis: z
    .enum(['points', 'spend'])
    .default('points')
    .describe('what the thresholds measure: points earned or money spent (net of refunds)'),
  tierWindowMonths: z
    .number()
    .int()
    .min(1)
    .max(120)
    .default(12)
    .describe('the rolling window the basis is summed over'),
  downgrade: z.enum(['periodEnd', 'immediate']).default('periodEnd'),
  tierPeriodMonths: z
    .number()
    .int()
    .min(1)
    .max(120)
    .default(12)
    .describe('a tier is held at least this long before a downgrade'),
  pointValue: z
    .number()
    .min(0)
    .max(1_000_000)
    .default(0.01)
    .describe('what one point is worth in the base currency (for the liability report)'),
  referral: Referral.default({ referrerPoints: 0, refereePoints: 0 }),
});
export type ProgramSettings = z.infer<typeof ProgramSettings>;
export type TierRule = ProgramSettings['tiers'][number];
export type BonusRule = ProgramSettings['bonuses'][number];

/** A change: any of the settings, without defaults (a setting left out stays as it is). */
export const ProgramPatch: z.ZodType<
  Partial<ProgramSettings>,
  Partial<z.input<typeof ProgramSettings>>
> = z.strictObject(
  Object.fromEntries(
    Object.entries(ProgramSettings.shape).map(([k, v]) => [
      k,
      (v as unknown as z.ZodDefault<z.ZodType>).unwrap().optional(),
    ]),
  ),
) as unknown as z.ZodType<Partial<ProgramSettings>, Partial<z.input<typeof ProgramSettings>>>;
export type ProgramPatch = Partial<ProgramSettings>;
/** A change as written (defaults of nested settings, such as a tier's multiplier, may be left out). */
export type ProgramPatchInput = Partial<z.input<typeof ProgramSettings>>;

/** The settings of a workspace that has never set any: switched off, with the defaults above. */
export const defaultProgram = (): ProgramSettings => ProgramSettings.parse({});

/** The current settings with the change applied (validated as a whole: a tier list is replaced, not merged). */
export function applyPatch(current: ProgramSettings, patch: ProgramPatch): ProgramSettings {
  const merged = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  return ProgramSettings.parse(merged);
}

/** Tiers from the lowest threshold up. */
export const tiersAscending = (s: ProgramSettings): TierRule[] =>
  [...s.tiers].sort((a, b) => a.threshold - b.threshold);
