// What the coupon API takes (pure zod schemas): a pool, codes drawn by pattern, codes imported as a list.
import { z } from 'zod';
import { CouponValue, Validity, ValueMap } from './value.ts';

export const POOL_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export const PoolInput = z
  .strictObject({
    id: z
      .string()
      .regex(POOL_ID, 'letters, digits, "_", "-" and "." (at most 64)')
      .optional()
      .describe('generated when absent'),
    name: z.string().trim().min(1).max(200),
    value: CouponValue,
    valueMap: ValueMap.nullable()
      .optional()
      .describe(
        '{"by": "rfm_segment" | "tier", "map": {"Champions": 30}, "default": 10}: the amount by the customer\'s segment or tier',
      ),
    validity: Validity.describe('{"days": 30} after assignment, or {"until": "2026-06-30T23:59:59Z"}'),
    lowStock: z
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .default(100)
      .describe('warn when no more than this many codes are free'),
  })
  .superRefine((p, ctx) => {
    if (p.valueMap && p.value.kind === 'free_shipping')
      ctx.addIssue({
        code: 'custom',
        path: ['valueMap'],
        message: 'free shipping has no amount to vary: remove the value map or choose an amount or percent',
      });
  });
export type PoolInput = z.infer<typeof PoolInput>;

export const GenerateInput = z.strictObject({
  pattern: z
    .string()
    .trim()
    .toUpperCase()
    .describe('e.g. SPRING-####-????: # a digit, ? a letter, * either; look-alikes (0 O 1 I L) never used'),
  count: z.number().int().min(1).max(1_000_000),
});

export const ImportInput = z.strictObject({
  format: z
    .enum(['csv', 'json'])
    .describe('csv: one code per line (first column; a header "code" is skipped); json: a list of strings'),
  text: z.string().min(1).max(20_000_000),
});
