// Coupon pools: create, change, list (with stock and the low-stock warning), delete; codes drawn by pattern or
// imported from a list, each stored once in the workspace. Each change is one transaction; SQL in store.ts.
import { randomBytes, randomInt } from 'node:crypto';
import type { Db } from '../store/index.ts';
import { DomainError } from '../lib/index.ts';
import { checkPattern, drawCodes } from './pattern.ts';
import { readCodeList, type ListProblem } from './code-list.ts';
import type { PoolInput } from './schema.ts';
import {
  codesOf,
  codesWithPrefix,
  deletePool as deletePoolRow,
  insertCodes,
  insertPool,
  poolById,
  poolsOf,
  stockOf,
  updatePool as updatePoolRow,
  type CodeRow,
  type PoolRow,
  type StockRow,
} from './store.ts';

export interface Stock {
  available: number;
  assigned: number;
  redeemed: number;
  expired: number;
  total: number;
  /** No more than the pool's lowStock codes are free: add some before its journeys run dry. */
  lowStock: boolean;
}

export interface Pool {
  id: string;
  name: string;
  value: PoolRow['value'];
  valueMap: PoolRow['value_map'];
  validity: PoolRow['validity'];
  lowStock: number;
  createdAt: string;
  updatedAt: string;
  stock: Stock;
}

const notFound = (id: string) =>
  new DomainError(
    'not_found',
    404,
    `No coupon pool "${id}" in this workspace. List them with GET /api/v1/coupons/pools.`,
  );

function stockView(pool: PoolRow, s: StockRow | undefined): Stock {
  const n = {
    available: s?.available ?? 0,
    assigned: s?.assigned ?? 0,
    redeemed: s?.redeemed ?? 0,
    expired: s?.expired ?? 0,
  };
  return { ...n, total: n.available + n.assigned + n.redeemed + n.expired, lowStock: n.available <= pool.low_stock };
}

const view = (p: PoolRow, s: StockRow | undefined): Pool => ({
  id: p.id,
  name: p.name,
  value: p.value,
  valueMap: p.value_map,
  validity: p.validity,
  lowStock: p.low_stock,
  createdAt: new Date(p.created_at).toISOString(),
  updatedAt: new Date(p.updated_at).toISOString(),
  stock: stockView(p, s),
});

const row = (ws: string, id: string, input: PoolInput) => ({
  workspace_id: ws,
  id,
  name: input.name,
  value: input.value,
  value_map: input.valueMap ?? null,
  validity: input.validity,
  low_stock: input.lowStock,
});

export async function createPool(db: Db, ws: string, input: PoolInput, now: Date): Promise<Pool> {
  const id = input.id ?? `pool_${randomBytes(5).toString('hex')}`;
  const created = await insertPool(db, row(ws, id, input), now);
  if (!created)
    throw new DomainError(
      'conflict',
      409,
      `A coupon pool "${id}" exists already: choose another id, or change it with PUT /api/v1/coupons/pools/${id}`,
      { field: 'id' },
    );
  return view(created, undefined);
}

export async function updatePool(db: Db, ws: string, id: string, input: PoolInput, now: Date): Promise<Pool> {
  const updated = await updatePoolRow(db, row(ws, id, input), now);
  if (!updated) throw notFound(id);
  return view(updated, (await stockOf(db, ws, now, id))[0]);
}

export async function getPool(db: Db, ws: string, id: string, now: Date): Promise<Pool> {
  const pool = await poolById(db, ws, id);
  if (!pool) throw notFound(id);
  return view(pool, (await stockOf(db, ws, now, id))[0]);
}

export async function listPools(db: Db, ws: string, now: Date): Promise<Pool[]> {
  const stock = new Map((await stockOf(db, ws, now)).map((s) => [s.pool_id, s]));
  return (await poolsOf(db, ws)).map((p) => view(p, stock.get(p.id)));
}

export async function deletePool(db: Db, ws: string, id: string): Promise<void> {
  const outcome = await db.transaction((tx) => deletePoolRow(tx, ws, id));
  if (outcome === 'missing') throw notFound(id);
  if (outcome === 'in_use')
    throw new DomainError(
      'pool_in_use',
      409,
      `Coupon pool "${id}" has codes given to customers: it is kept so that their redemptions are tracked. Remove it from the journeys' send steps instead.`,
    );
}

/** Draws `count` new codes of the pattern (none already in the workspace) and stores them in one go. */
export async function generateCodes(
  db: Db,
  ws: string,
  id: string,
  pattern: string,
  count: number,
  now: Date,
  random: (n: number) => number = randomInt,
): Promise<{ added: number }> {
  return db.transaction(async (tx) => {
    if (!(await poolById(tx, ws, id, true))) throw notFound(id);
    checkPattern(pattern, count, await codesWithPrefix(tx, ws, pattern.split(/[#?*]/)[0]!));
    const added: string[] = [];
    const tried = new Set<string>();
    // A code drawn before by another pool of the workspace is refused by the unique index: draw again for those.
    for (let round = 0; added.length < count && round < 20; round++) {
      const codes = drawCodes(pattern, count - added.length, random, tried);
      codes.forEach((c) => tried.add(c));
      added.push(...(await insertCodes(tx, ws, id, codes, now)));
    }
    if (added.length < count)
      throw new DomainError(
        'pattern_full',
        409,
        `Only ${added.length} of ${count} new codes could be drawn from ${pattern}: use a longer pattern`,
        { field: 'pattern' },
      );
    return { added: added.length };
  });
}

/** Stores the list's good codes; a bad one, one repeated in the list or one the workspace has already is refused by line. */
export async function importCodes(
  db: Db,
  ws: string,
  id: string,
  text: string,
  format: 'csv' | 'json',
  now: Date,
): Promise<{ added: number; refused: ListProblem[] }> {
  const { codes, refused } = readCodeList(text, format);
  return db.transaction(async (tx) => {
    if (!(await poolById(tx, ws, id, true))) throw notFound(id);
    const stored = new Set(
      await insertCodes(
        tx,
        ws,
        id,
        codes.map((c) => c.code),
        now,
      ),
    );
    const taken = codes
      .filter((c) => !stored.has(c.code))
      .map((c): ListProblem => ({ line: c.line, code: c.code, reason: 'this code exists already in this workspace' }));
    return { added: stored.size, refused: [...refused, ...taken].sort((a, b) => a.line - b.line) };
  });
}

export interface CodeView {
  code: string;
  status: 'available' | 'assigned' | 'redeemed' | 'expired';
  customerId: string | null;
  journeyId: string | null;
  messageKey: string | null;
  value: CodeRow['value'];
  assignedAt: string | null;
  expiresAt: string | null;
  redeemedAt: string | null;
  orderId: string | null;
}

/** A code's status at `now`. */
export function codeStatus(
  c: Pick<CodeRow, 'customer_id' | 'redeemed_at' | 'expires_at'>,
  now: Date,
): CodeView['status'] {
  if (c.redeemed_at) return 'redeemed';
  if (!c.customer_id) return 'available';
  return c.expires_at && new Date(c.expires_at) <= now ? 'expired' : 'assigned';
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export async function listCodes(
  db: Db,
  ws: string,
  id: string,
  now: Date,
  o: { status?: CodeView['status']; limit: number; offset: number },
): Promise<CodeView[]> {
  if (!(await poolById(db, ws, id))) throw notFound(id);
  return (await codesOf(db, ws, id, now, o)).map((c) => ({
    code: c.code,
    status: codeStatus(c, now),
    customerId: c.customer_id,
    journeyId: c.journey_id,
    messageKey: c.message_key,
    value: c.value,
    assignedAt: iso(c.assigned_at),
    expiresAt: iso(c.expires_at),
    redeemedAt: iso(c.redeemed_at),
    orderId: c.order_id,
  }));
}
