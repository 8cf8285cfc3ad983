// Assignment: the dispatcher's step that gives each message of a send step with a coupon pool its code before the
// message is rendered. One code per (pool, run, step), ever: a retry, a deferral or a crash-and-retry finds the code
// given before; new ones are claimed from the pool's free codes with SKIP LOCKED, so concurrent workers never hand one
// code to two customers. A pool with no free code (or past its fixed date) leaves the message unsent, with the reason.
import type { Queryable } from '../store/index.ts';
import { expiresAt, poolExpired, printedValue, valueFor, type CouponValue } from './value.ts';
import {
  assignedToRuns,
  claimCodes,
  loyaltyTiers,
  poolsByIds,
  releaseUnsent,
  rfmSegments,
  type Claim,
  type CodeRow,
  type PoolRow,
} from './store.ts';

/** The part of a message intent assignment reads (src/messaging/dispatch/facts.ts IntentRow). */
export interface CouponIntent {
  id: string;
  workspace_id: string;
  customer_id: string;
  journey_id: string | null;
  run_id: string | null;
  step_id: string | null;
  message_key: string;
  coupon_pool?: string | null;
}

/** What a template prints as `coupon` (coupon.code, coupon.value, coupon.expires_at…). */
export interface TemplateCoupon {
  code: string;
  /** The amount or percentage (null for free shipping). */
  value: number | null;
  kind: CouponValue['kind'];
  currency: string | null;
  expires_at: string | null;
  pool: string;
}

export interface Assignment {
  /** By intent id: the code each message carries. */
  coupons: Map<string, TemplateCoupon>;
  /** By intent id: why the message cannot be sent (the pool is empty, gone, or past its date). */
  refused: Map<string, string>;
}

const templateCoupon = (pool: string, c: Pick<CodeRow, 'code' | 'value' | 'expires_at'>): TemplateCoupon => ({
  code: c.code,
  value: c.value ? printedValue(c.value) : null,
  kind: c.value?.kind ?? 'free_shipping',
  currency: c.value?.kind === 'amount' ? c.value.currency : null,
  expires_at: c.expires_at ? new Date(c.expires_at).toISOString() : null,
  pool,
});

const runKey = (ws: string, pool: string, run: string, step: string) => `${ws}\u0000${pool}\u0000${run}\u0000${step}`;

/** Gives each intent with a coupon pool its code (the one given before, else a free one), in the caller's transaction. */
export async function assignCoupons(tx: Queryable, intents: CouponIntent[], now: Date): Promise<Assignment> {
  const out: Assignment = { coupons: new Map(), refused: new Map() };
  const wanting = intents.filter((i) => i.coupon_pool && i.run_id && i.step_id) as (CouponIntent & {
    coupon_pool: string;
    run_id: string;
    step_id: string;
  })[];
  if (!wanting.length) return out;
  const before = new Map(
    (
      await assignedToRuns(
        tx,
        wanting.map((i) => ({ ws: i.workspace_id, pool: i.coupon_pool, run_id: i.run_id, step_id: i.step_id })),
      )
    ).map((c) => [runKey(c.workspace_id, c.pool_id, c.run_id!, c.step_id!), c]),
  );
  const fresh: typeof wanting = [];
  for (const i of wanting) {
    const given = before.get(runKey(i.workspace_id, i.coupon_pool, i.run_id, i.step_id));
    if (given) out.coupons.set(i.id, templateCoupon(i.coupon_pool, given));
    else fresh.push(i);
  }
  if (!fresh.length) return out;
  const pools = new Map(
    (
      await poolsByIds(tx, [
        ...new Map(
          fresh.map((i) => [`${i.workspace_id}\u0000${i.coupon_pool}`, { ws: i.workspace_id, id: i.coupon_pool }]),
        ).values(),
      ])
    ).map((p) => [`${p.workspace_id}\u0000${p.id}`, p]),
  );
  const groups = new Map<string, typeof fresh>();
  for (const i of fresh)
    groups.set(`${i.workspace_id}\u0000${i.coupon_pool}`, [
      ...(groups.get(`${i.workspace_id}\u0000${i.coupon_pool}`) ?? []),
      i,
    ]);
  for (const [key, group] of groups) {
    const pool = pools.get(key);
    const poolId = group[0]!.coupon_pool;
    if (!pool) {
      for (const i of group)
        out.refused.set(
          i.id,
          `coupon pool "${poolId}" does not exist: create it on the Coupons page or change the journey's send step`,
        );
      continue;
    }
    if (poolExpired(pool.validity, now)) {
      for (const i of group)
        out.refused.set(
          i.id,
          `coupon pool "${pool.name}" expired on ${(pool.validity as { until: string }).until}: give it a later date or more days`,
        );
      continue;
    }
    const claims = await claimsFor(tx, pool, group, now);
    const claimed = new Map((await claimCodes(tx, pool.workspace_id, pool.id, claims, now)).map((c) => [c.n, c]));
    group.forEach((i, k) => {
      const c = claimed.get(k + 1);
      if (c) out.coupons.set(i.id, templateCoupon(pool.id, c));
      else out.refused.set(i.id, `coupon pool "${pool.name}" is empty: add codes on the Coupons page`);
    });
  }
  return out;
}

/** Each intent's claim: its run and step, and the value and expiry of the code it gets now. */
async function claimsFor(
  tx: Queryable,
  pool: PoolRow,
  group: (CouponIntent & { run_id: string; step_id: string })[],
  now: Date,
): Promise<Claim[]> {
  const customers = [...new Set(group.map((i) => i.customer_id))];
  const by = pool.value_map?.by;
  const segments =
    by === 'rfm_segment' ? await rfmSegments(tx, pool.workspace_id, customers) : new Map<string, string | null>();
  const tiers = by === 'tier' ? await loyaltyTiers(tx, pool.workspace_id, customers) : new Map<string, string | null>();
  const until = expiresAt(pool.validity, now);
  return group.map((i, k) => ({
    n: k + 1,
    customer_id: i.customer_id,
    journey_id: i.journey_id,
    run_id: i.run_id,
    step_id: i.step_id,
    message_key: i.message_key,
    value: valueFor(pool.value, pool.value_map, {
      rfm_segment: segments.get(i.customer_id) ?? null,
      tier: tiers.get(i.customer_id) ?? null,
    }),
    expires_at: until,
  }));
}

/** Codes of messages skipped before any try of theirs was handed over go back to their pools (nobody saw them). */
export async function releaseCoupons(tx: Queryable, intents: CouponIntent[]): Promise<number> {
  return releaseUnsent(
    tx,
    intents.filter((i) => i.coupon_pool).map((i) => ({ ws: i.workspace_id, message_key: i.message_key })),
  );
}
