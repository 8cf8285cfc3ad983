// The rewards catalogue: what points buy — a coupon (drawn from a coupon pool, by the pool's id), a discount or a gift —
// at a cost in points. Its schema and its queries (one named function each).
import { z } from 'zod';
import type { Queryable } from '../store/index.ts';

export const REWARD_KINDS = ['coupon', 'discount', 'gift'] as const;

export const RewardInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(REWARD_KINDS),
    cost: z.number().int().min(1).max(1_000_000_000).describe('points it costs'),
    value: z
      .number()
      .min(0)
      .max(1e12)
      .nullable()
      .default(null)
      .describe('its worth in money (a discount, a gift), if any'),
    couponPool: z
      .string()
      .min(1)
      .max(200)
      .nullable()
      .default(null)
      .describe('kind coupon: the pool its code is drawn from'),
    active: z.boolean().default(true),
  })
  .refine((r) => r.kind === 'coupon' || r.couponPool === null, {
    message: 'only a reward of kind "coupon" draws from a coupon pool',
    path: ['couponPool'],
  });
export type RewardInput = z.infer<typeof RewardInput>;

export interface Reward extends RewardInput {
  id: string;
  updatedAt: string;
}

type Raw = {
  id: string;
  name: string;
  kind: Reward['kind'];
  cost: string;
  value: string | null;
  coupon_pool: string | null;
  active: boolean;
  updated_at: Date;
};
const reward = (r: Raw): Reward => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  cost: Number(r.cost),
  value: r.value === null ? null : Number(r.value),
  couponPool: r.coupon_pool,
  active: r.active,
  updatedAt: new Date(r.updated_at).toISOString(),
});
const COLUMNS = 'id, name, kind, cost::text, value::text, coupon_pool, active, updated_at';

// -- name: list-rewards: the catalogue, cheapest first.
export async function listRewards(q: Queryable, ws: string): Promise<Reward[]> {
  return (
    await q.query<Raw>(
      `SELECT ${COLUMNS} FROM loyalty_rewards WHERE workspace_id = $1 ORDER BY loyalty_rewards.cost, loyalty_rewards.id`,
      [ws],
    )
  ).map(reward);
}

// -- name: get-reward: one reward, or null.
export async function getReward(q: Queryable, ws: string, id: string): Promise<Reward | null> {
  const [row] = await q.query<Raw>(`SELECT ${COLUMNS} FROM loyalty_rewards WHERE workspace_id = $1 AND id = $2`, [
    ws,
    id,
  ]);
  return row ? reward(row) : null;
}

// -- name: put-reward: creates or replaces a reward.
export async function putReward(q: Queryable, ws: string, id: string, r: RewardInput, at: Date): Promise<Reward> {
  const [row] = await q.query<Raw>(
    `INSERT INTO loyalty_rewards (workspace_id, id, name, kind, cost, value, coupon_pool, active, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name, kind = excluded.kind, cost = excluded.cost, value = excluded.value,
       coupon_pool = excluded.coupon_pool, active = excluded.active, updated_at = excluded.updated_at
     RETURNING ${COLUMNS}`,
    [ws, id, r.name, r.kind, r.cost, r.value, r.couponPool, r.active, at],
  );
  return reward(row!);
}

// -- name: delete-reward: removes a reward from the catalogue (past redemptions keep its id and name in their ledger rows).
export async function deleteReward(q: Queryable, ws: string, id: string): Promise<boolean> {
  return (
    (await q.query('DELETE FROM loyalty_rewards WHERE workspace_id = $1 AND id = $2 RETURNING 1', [ws, id])).length > 0
  );
}
