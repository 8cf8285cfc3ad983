// Coupons in SQL: every statement of the capability, each named and commented (pools, codes, stock, assignment,
// redemption). The orchestration is in pools.ts, assign.ts and redeem.ts.
import type { Queryable } from '../store/index.ts';
import { bulkRows } from '../store/index.ts';
import type { CouponValue, Validity, ValueMap } from './value.ts';

export interface PoolRow {
  workspace_id: string;
  id: string;
  name: string;
  value: CouponValue;
  value_map: ValueMap | null;
  validity: Validity;
  low_stock: number;
  created_at: Date;
  updated_at: Date;
}

export interface StockRow {
  pool_id: string;
  available: number;
  assigned: number;
  redeemed: number;
  expired: number;
}

export interface CodeRow {
  id: string;
  pool_id: string;
  code: string;
  customer_id: string | null;
  journey_id: string | null;
  run_id: string | null;
  step_id: string | null;
  message_key: string | null;
  value: CouponValue | null;
  assigned_at: Date | null;
  expires_at: Date | null;
  redeemed_at: Date | null;
  order_id: string | null;
}

const POOL = 'workspace_id, id, name, value, value_map, validity, low_stock, created_at, updated_at';
/** A code's columns as CodeRow reads them, from the table under alias `a`. */
const codeColumns = (a: string) =>
  `${a}.id::text AS id, ${a}.pool_id, ${a}.code, ${a}.customer_id::text AS customer_id, ${a}.journey_id, ${a}.run_id::text AS run_id, ${a}.step_id, ${a}.message_key, ${a}.value, ${a}.assigned_at, ${a}.expires_at, ${a}.redeemed_at, ${a}.order_id`;
const CODE = codeColumns('coupon_codes');

// -- name: insert-pool (nothing when the id is taken)
export async function insertPool(
  tx: Queryable,
  p: Omit<PoolRow, 'created_at' | 'updated_at'>,
  now: Date,
): Promise<PoolRow | null> {
  const rows = await tx.query<PoolRow>(
    `INSERT INTO coupon_pools (${POOL}) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7, $8, $8) ON CONFLICT DO NOTHING RETURNING ${POOL}`,
    [
      p.workspace_id,
      p.id,
      p.name,
      JSON.stringify(p.value),
      p.value_map ? JSON.stringify(p.value_map) : null,
      JSON.stringify(p.validity),
      p.low_stock,
      now,
    ],
  );
  return rows[0] ?? null;
}

// -- name: update-pool (the whole row but its id)
export async function updatePool(
  tx: Queryable,
  p: Omit<PoolRow, 'created_at' | 'updated_at'>,
  now: Date,
): Promise<PoolRow | null> {
  const rows = await tx.query<PoolRow>(
    `UPDATE coupon_pools SET name = $3, value = $4::jsonb, value_map = $5::jsonb, validity = $6::jsonb, low_stock = $7, updated_at = $8
     WHERE workspace_id = $1 AND id = $2 RETURNING ${POOL}`,
    [
      p.workspace_id,
      p.id,
      p.name,
      JSON.stringify(p.value),
      p.value_map ? JSON.stringify(p.value_map) : null,
      JSON.stringify(p.validity),
      p.low_stock,
      now,
    ],
  );
  return rows[0] ?? null;
}

// -- name: pool-by-id (locked with `lock`: codes are being added)
export async function poolById(tx: Queryable, ws: string, id: string, lock = false): Promise<PoolRow | null> {
  return (
    (
      await tx.query<PoolRow>(
        `SELECT ${POOL} FROM coupon_pools WHERE workspace_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
        [ws, id],
      )
    )[0] ?? null
  );
}

// -- name: pools-of-workspace (by name)
export async function poolsOf(tx: Queryable, ws: string): Promise<PoolRow[]> {
  return tx.query<PoolRow>(`SELECT ${POOL} FROM coupon_pools WHERE workspace_id = $1 ORDER BY name, id`, [ws]);
}

// -- name: pools-by-ids (the pools a batch of messages draws from)
export async function poolsByIds(tx: Queryable, pairs: { ws: string; id: string }[]): Promise<PoolRow[]> {
  if (!pairs.length) return [];
  const p = bulkRows({ ws: 'text', id: 'text' }, pairs, { at: 1, as: 'p' });
  return tx.query<PoolRow>(
    `SELECT ${POOL.split(', ')
      .map((col) => `c.${col}`)
      .join(', ')} FROM coupon_pools c JOIN ${p.from} ON c.workspace_id = p.ws AND c.id = p.id`,
    p.params,
  );
}

// -- name: delete-pool (only while none of its codes was given out)
export async function deletePool(tx: Queryable, ws: string, id: string): Promise<'deleted' | 'in_use' | 'missing'> {
  const used = await tx.query(
    `SELECT 1 FROM coupon_codes WHERE workspace_id = $1 AND pool_id = $2 AND customer_id IS NOT NULL LIMIT 1`,
    [ws, id],
  );
  if (used.length) return 'in_use';
  const rows = await tx.query(`DELETE FROM coupon_pools WHERE workspace_id = $1 AND id = $2 RETURNING id`, [ws, id]);
  return rows.length ? 'deleted' : 'missing';
}

// -- name: stock-of-pools (available, assigned and unredeemed, redeemed, expired unredeemed; at `now`)
export async function stockOf(tx: Queryable, ws: string, now: Date, poolId?: string): Promise<StockRow[]> {
  return tx.query<StockRow>(
    `SELECT pool_id,
            count(*) FILTER (WHERE customer_id IS NULL)::int AS available,
            count(*) FILTER (WHERE customer_id IS NOT NULL AND redeemed_at IS NULL AND (expires_at IS NULL OR expires_at > $2))::int AS assigned,
            count(*) FILTER (WHERE redeemed_at IS NOT NULL)::int AS redeemed,
            count(*) FILTER (WHERE customer_id IS NOT NULL AND redeemed_at IS NULL AND expires_at <= $2)::int AS expired
     FROM coupon_codes WHERE workspace_id = $1 ${poolId ? 'AND pool_id = $3' : ''} GROUP BY pool_id`,
    poolId ? [ws, now, poolId] : [ws, now],
  );
}

// -- name: insert-codes (set-based; answers the codes stored, leaving out those taken in the workspace)
export async function insertCodes(
  tx: Queryable,
  ws: string,
  poolId: string,
  codes: string[],
  now: Date,
): Promise<string[]> {
  if (!codes.length) return [];
  const rows = await tx.query<{ code: string }>(
    `INSERT INTO coupon_codes (workspace_id, pool_id, code, created_at) SELECT $1, $2, code, $3 FROM unnest($4::text[]) AS x(code)
     ON CONFLICT (workspace_id, code) DO NOTHING RETURNING code`,
    [ws, poolId, now, codes],
  );
  return rows.map((r) => r.code);
}

// -- name: codes-with-prefix (how many codes of the workspace a pattern's fixed beginning may collide with)
export async function codesWithPrefix(tx: Queryable, ws: string, prefix: string): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM coupon_codes WHERE workspace_id = $1 AND starts_with(code, $2)`,
    [ws, prefix],
  );
  return row?.n ?? 0;
}

// -- name: codes-of-pool (newest assignment first, then the unassigned; by status at `now`)
export async function codesOf(
  tx: Queryable,
  ws: string,
  poolId: string,
  now: Date,
  o: { status?: string; limit: number; offset: number },
): Promise<CodeRow[]> {
  const status: Record<string, string> = {
    available: 'customer_id IS NULL',
    assigned: 'customer_id IS NOT NULL AND redeemed_at IS NULL AND (expires_at IS NULL OR expires_at > $3)',
    redeemed: 'redeemed_at IS NOT NULL',
    expired: 'customer_id IS NOT NULL AND redeemed_at IS NULL AND expires_at <= $3',
  };
  // $3 is typed here whichever status is asked for (a parameter no statement reads has no type).
  const where = `AND $3::timestamptz IS NOT NULL${o.status ? ` AND ${status[o.status]}` : ''}`;
  return tx.query<CodeRow>(
    `SELECT ${CODE} FROM coupon_codes WHERE workspace_id = $1 AND pool_id = $2 ${where}
     ORDER BY assigned_at DESC NULLS LAST, id LIMIT $4 OFFSET $5`,
    [ws, poolId, now, o.limit, o.offset],
  );
}

// -- name: assigned-to-runs (codes already given to these runs' steps: a retry gets the same one)
export async function assignedToRuns(
  tx: Queryable,
  wants: { ws: string; pool: string; run_id: string; step_id: string }[],
): Promise<(CodeRow & { workspace_id: string })[]> {
  if (!wants.length) return [];
  const w = bulkRows({ ws: 'text', pool: 'text', run_id: 'bigint', step_id: 'text' }, wants, { at: 1, as: 'w' });
  return tx.query<CodeRow & { workspace_id: string }>(
    `SELECT c.workspace_id, ${codeColumns('c')}
     FROM coupon_codes c JOIN ${w.from} ON c.workspace_id = w.ws AND c.pool_id = w.pool AND c.run_id = w.run_id AND c.step_id = w.step_id`,
    w.params,
  );
}

export interface Claim {
  n: number;
  customer_id: string;
  journey_id: string | null;
  run_id: string;
  step_id: string;
  message_key: string;
  value: CouponValue;
  expires_at: Date;
}

// -- name: claim-codes (the pool's oldest free codes, one per claim; SKIP LOCKED: concurrent workers never take the same one)
export async function claimCodes(
  tx: Queryable,
  ws: string,
  poolId: string,
  claims: Claim[],
  now: Date,
): Promise<(CodeRow & { n: number })[]> {
  if (!claims.length) return [];
  const w = bulkRows(
    {
      n: 'int',
      customer_id: 'bigint',
      journey_id: 'text',
      run_id: 'bigint',
      step_id: 'text',
      message_key: 'text',
      value: 'jsonb',
      expires_at: 'timestamptz',
    },
    claims,
    { at: 5, as: 'w' },
  );
  return tx.query<CodeRow & { n: number }>(
    `WITH free AS (
       SELECT id FROM coupon_codes WHERE workspace_id = $1 AND pool_id = $2 AND customer_id IS NULL ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED
     ), pick AS (
       SELECT id, row_number() OVER (ORDER BY id)::int AS n FROM free
     )
     UPDATE coupon_codes c SET customer_id = w.customer_id, journey_id = w.journey_id, run_id = w.run_id, step_id = w.step_id,
       message_key = w.message_key, value = w.value, assigned_at = $4, expires_at = w.expires_at
     FROM pick JOIN ${w.from} ON w.n = pick.n
     WHERE c.id = pick.id
     RETURNING w.n, ${codeColumns('c')}`,
    [ws, poolId, claims.length, now, ...w.params],
  );
}

// -- name: release-unsent (codes of messages skipped before any try was handed over go back to the pool)
export async function releaseUnsent(tx: Queryable, keys: { ws: string; message_key: string }[]): Promise<number> {
  if (!keys.length) return 0;
  const k = bulkRows({ ws: 'text', message_key: 'text' }, keys, { at: 1, as: 'k' });
  const rows = await tx.query(
    `UPDATE coupon_codes c SET customer_id = NULL, journey_id = NULL, run_id = NULL, step_id = NULL, message_key = NULL, value = NULL, assigned_at = NULL, expires_at = NULL
     FROM ${k.from}
     WHERE c.workspace_id = k.ws AND c.message_key = k.message_key AND c.redeemed_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.workspace_id = k.ws AND m.message_key = k.message_key)
     RETURNING c.id`,
    k.params,
  );
  return rows.length;
}

// -- name: codes-by-text (the codes orders name, locked: two orders of one batch or two batches redeem one at most once)
export async function codesByText(
  tx: Queryable,
  ws: string,
  codes: string[],
): Promise<(CodeRow & { workspace_id: string })[]> {
  if (!codes.length) return [];
  return tx.query<CodeRow & { workspace_id: string }>(
    `SELECT c.workspace_id, ${codeColumns('c')} FROM unnest($2::text[]) AS x(code) JOIN coupon_codes c ON c.workspace_id = $1 AND c.code = x.code
     ORDER BY c.id FOR UPDATE OF c`,
    [ws, codes],
  );
}

export interface RedemptionRow {
  order_id: string;
  code: string;
  customer_id: string | null;
  code_id: string | null;
  outcome: string;
  at: Date;
}

// -- name: record-redemptions (once per order and code; answers those new)
export async function recordRedemptions(
  tx: Queryable,
  ws: string,
  rows: RedemptionRow[],
): Promise<{ order_id: string; code: string }[]> {
  if (!rows.length) return [];
  const r = bulkRows(
    { order_id: 'text', code: 'text', customer_id: 'bigint', code_id: 'bigint', outcome: 'text', at: 'timestamptz' },
    rows,
    { at: 2, as: 'r' },
  );
  return tx.query<{ order_id: string; code: string }>(
    `INSERT INTO coupon_redemptions (workspace_id, ${r.columns}) SELECT $1, ${r.columns} FROM ${r.from}
     ON CONFLICT DO NOTHING RETURNING order_id, code`,
    [ws, ...r.params],
  );
}

// -- name: mark-redeemed (each code once: a code redeemed already stays with its first order)
// By primary key alone (the ids are those codesByText locked in this workspace): a workspace condition here let the
// planner, with a freshly filled table's stale statistics, scan the whole workspace for each row (10 s a batch at 40k codes).
export async function markRedeemed(tx: Queryable, rows: { id: string; order_id: string; at: Date }[]): Promise<void> {
  if (!rows.length) return;
  const r = bulkRows({ id: 'bigint', order_id: 'text', at: 'timestamptz' }, rows, { at: 1, as: 'r' });
  await tx.query(
    `UPDATE coupon_codes c SET redeemed_at = r.at, order_id = r.order_id FROM ${r.from}
     WHERE c.id = r.id AND c.redeemed_at IS NULL`,
    r.params,
  );
}

// -- name: value-keys (each customer's RFM segment, the field a value map by rfm_segment reads)
export async function rfmSegments(
  tx: Queryable,
  ws: string,
  customerIds: string[],
): Promise<Map<string, string | null>> {
  if (!customerIds.length) return new Map();
  const rows = await tx.query<{ id: string; rfm_segment: string | null }>(
    `SELECT id::text, rfm_segment FROM customers WHERE workspace_id = $1 AND id = ANY($2::bigint[])`,
    [ws, customerIds],
  );
  return new Map(rows.map((r) => [r.id, r.rfm_segment]));
}

// -- name: loyalty-tiers (each customer's tier from the loyalty programme's accounts; empty while that table does not exist)
export async function loyaltyTiers(
  tx: Queryable,
  ws: string,
  customerIds: string[],
): Promise<Map<string, string | null>> {
  if (!customerIds.length) return new Map();
  const [exists] = await tx.query<{ ok: boolean }>(`SELECT to_regclass('loyalty_accounts') IS NOT NULL AS ok`);
  if (!exists?.ok) return new Map();
  const rows = await tx.query<{ id: string; tier: string | null }>(
    `SELECT customer_id::text AS id, tier FROM loyalty_accounts WHERE workspace_id = $1 AND customer_id = ANY($2::bigint[])`,
    [ws, customerIds],
  );
  return new Map(rows.map((r) => [r.id, r.tier]));
}
