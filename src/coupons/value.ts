// A pool's value and validity (pure): what a code is worth (a fixed amount in a currency, a percentage, free shipping),
// optionally by the customer's RFM segment or loyalty tier, and until when it can be redeemed.
import { z } from 'zod';
import { isCurrencyCode } from '../money/index.ts';
import { assertNever } from '../lib/index.ts';

export const CouponValue = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('amount'),
      amount: z.number().positive().max(1_000_000),
      currency: z
        .string()
        .transform((c) => c.trim().toUpperCase())
        .refine(isCurrencyCode, 'an ISO 4217 currency code, such as PLN'),
    }),
    z.strictObject({ kind: z.literal('percent'), amount: z.number().positive().max(100) }),
    z.strictObject({ kind: z.literal('free_shipping') }),
  ])
  .describe(
    '{"kind":"amount","amount":20,"currency":"PLN"}, {"kind":"percent","amount":15} or {"kind":"free_shipping"}',
  );
export type CouponValue = z.infer<typeof CouponValue>;

export const VALUE_BY = ['rfm_segment', 'tier'] as const;

export const ValueMap = z.strictObject({
  by: z.enum(VALUE_BY).describe("rfm_segment (Champions, At Risk…) or tier (the loyalty programme's tier)"),
  map: z
    .record(z.string().min(1).max(100), z.number().positive().max(1_000_000))
    .refine((m) => Object.keys(m).length <= 100, 'at most 100 entries')
    .describe("segment or tier → the amount (of the pool's currency, or percent)"),
  default: z
    .number()
    .positive()
    .max(1_000_000)
    .optional()
    .describe("for a customer in none of them; without it, the pool's own amount"),
});
export type ValueMap = z.infer<typeof ValueMap>;

export const Validity = z.union([
  z.strictObject({
    days: z.number().int().min(1).max(3650).describe('the code expires this many days after it is assigned'),
  }),
  z.strictObject({ until: z.iso.datetime({ offset: true }).describe('every code expires at this instant (ISO 8601)') }),
]);
export type Validity = z.infer<typeof Validity>;

/** What a customer's code is worth: the amount their segment or tier maps to, else the default, else the pool's. */
export function valueFor(
  value: CouponValue,
  map: ValueMap | null,
  key: { rfm_segment: string | null; tier: string | null },
): CouponValue {
  if (value.kind === 'free_shipping' || !map) return value;
  const by = map.by;
  let field: string | null;
  switch (by) {
    case 'rfm_segment':
      field = key.rfm_segment;
      break;
    case 'tier':
      field = key.tier;
      break;
    default:
      return assertNever(by, 'value map field');
  }
  const amount =
    (field !== null && Object.hasOwn(map.map, field) ? map.map[field] : undefined) ?? map.default ?? value.amount;
  return { ...value, amount };
}

/** When a code assigned at `at` expires. */
export function expiresAt(validity: Validity, at: Date): Date {
  return 'days' in validity ? new Date(at.getTime() + validity.days * 86_400_000) : new Date(validity.until);
}

/** A pool whose fixed date has passed gives no more codes (they would be dead on arrival). */
export const poolExpired = (validity: Validity, now: Date): boolean =>
  'until' in validity && new Date(validity.until) <= now;

/** The value as templates print `coupon.value`: the amount or percentage (null for free shipping). */
export const printedValue = (v: CouponValue): number | null => (v.kind === 'free_shipping' ? null : v.amount);
