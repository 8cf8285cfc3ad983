// Coupon conditions: the customer holds a code of the pool that is unredeemed (given, not used, not expired),
// redeemed, or expiring within D days (unredeemed, and its expiry within the next D days).
//   {"coupon": "spring", "status": "unredeemed"}   {"coupon": "spring", "status": "expiring", "days": 3}
import { z } from 'zod';
import { checkSchema, key } from '../schema.ts';
import type { ConditionHandler } from './handler.ts';

export type CouponNode =
  | { coupon: string; status: 'unredeemed' }
  | { coupon: string; status: 'redeemed' }
  | { coupon: string; status: 'expiring'; days: number };

const schema = z.union([
  z.strictObject({ coupon: key.describe('a coupon pool id'), status: z.enum(['unredeemed', 'redeemed']) }),
  z.strictObject({
    coupon: key.describe('a coupon pool id'),
    status: z.literal('expiring'),
    days: z.number().positive().max(3650),
  }),
]);

const DAY = 86_400_000;

export const coupon: ConditionHandler<CouponNode> = {
  schema,
  check: (node, path, errors) => checkSchema(schema, node, path, errors),
  compile(n, now, p) {
    const base = `EXISTS (SELECT 1 FROM coupon_codes k WHERE k.workspace_id = $1 AND k.customer_id = c.id AND k.pool_id = ${p.add(n.coupon, 'text')}`;
    if (n.status === 'redeemed') return `${base} AND k.redeemed_at IS NOT NULL)`;
    const unexpired = `k.redeemed_at IS NULL AND k.expires_at > ${p.add(now.toISOString(), 'timestamptz')}`;
    if (n.status === 'unredeemed') return `${base} AND ${unexpired})`;
    return `${base} AND ${unexpired} AND k.expires_at <= ${p.add(new Date(now.getTime() + n.days * DAY).toISOString(), 'timestamptz')})`;
  },
  // Time alone flips it where a held code's expiry (or its expiry − D days) fell between the two runs.
  crossing(n, c) {
    if (n.status === 'redeemed') return;
    const days = n.status === 'expiring' ? n.days : null;
    for (const d of days === null ? [0] : [0, -days]) {
      c.push(
        `coupon ${n.coupon} codes ${d === 0 ? 'expired' : `came within ${days} days of expiry`}`,
        `SELECT k.customer_id::text AS customer_id FROM coupon_codes k WHERE k.workspace_id = $1 AND k.pool_id = $4 AND k.redeemed_at IS NULL
           AND k.customer_id IS NOT NULL AND k.expires_at BETWEEN $2::timestamptz AND $3::timestamptz`,
        [...c.window(d), n.coupon],
      );
    }
  },
};
