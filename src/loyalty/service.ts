// Loyalty's operations for the API and the dashboard: the programme's settings, a redemption and a manual adjustment
// (each in one transaction on the locked account, idempotent by its key: a replay changes nothing and answers as the
// first time), a customer's loyalty view and the outstanding liability.
import { z } from 'zod';
import type { Db, Queryable } from '../store/index.ts';
import { DomainError } from '../lib/index.ts';
import { Book } from './book.ts';
import { ProgramPatch, applyPatch, type ProgramPatchInput, type ProgramSettings } from './program.ts';
import { getReward, type Reward } from './rewards.ts';
import {
  customerLedger,
  findCustomer,
  ledgerBySource,
  liability,
  pointsExpiring,
  readAccount,
  readProgram,
  referralOf,
  saveProgram,
  type LedgerRow,
} from './store.ts';

const customerRef = z
  .union([z.string().trim().min(1).max(200), z.number().int().min(0)])
  .transform(String)
  .describe('the customer: internal id or userId');
const idempotencyKey = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('the same key again changes nothing and answers as the first time');

export const RedeemRequest = z
  .strictObject({
    customer: customerRef,
    points: z.number().int().min(1).max(1_000_000_000).optional(),
    reward: z.string().min(1).max(200).optional().describe('a reward id from the catalogue (its cost in points)'),
    idempotencyKey,
  })
  .refine((r) => (r.points === undefined) !== (r.reward === undefined), {
    message: 'give either points or reward, not both nor neither',
    path: ['points'],
  });
export type RedeemRequest = z.infer<typeof RedeemRequest>;

export const AdjustRequest = z.strictObject({
  customer: customerRef,
  points: z
    .number()
    .int()
    .min(-1_000_000_000)
    .max(1_000_000_000)
    .refine((n) => n !== 0, 'a change of 0 points changes nothing'),
  reason: z.string().trim().min(1).max(500).describe('why: kept on the ledger row and shown on the timeline'),
  actor: z.string().trim().min(1).max(200).optional().describe('who made it (default: the API key)'),
  idempotencyKey,
});
export type AdjustRequest = z.infer<typeof AdjustRequest>;

export interface Balance {
  available: number;
  pending: number;
}

export interface RedeemAnswer extends Balance {
  customerId: string;
  points: number;
  reward: Pick<Reward, 'id' | 'name' | 'kind' | 'value' | 'couponPool'> | null;
  idempotencyKey: string;
  at: string;
}

export async function getProgram(db: Queryable, ws: string): Promise<ProgramSettings> {
  return readProgram(db, ws);
}

/** Applies a change to the programme; every setting left out stays as it is. */
export async function putProgram(db: Db, ws: string, patch: ProgramPatchInput, now: Date): Promise<ProgramSettings> {
  const change = ProgramPatch.parse(patch);
  return db.transaction(async (tx) => {
    const next = applyPatch(await readProgram(tx, ws), change);
    await saveProgram(tx, ws, next, now);
    return next;
  });
}

async function customerOf(q: Queryable, ws: string, ref: string): Promise<string> {
  const id = await findCustomer(q, ws, ref);
  if (!id)
    throw new DomainError(
      'not_found',
      404,
      `customer: no customer "${ref}" in this workspace (an internal id or a userId)`,
      { field: 'customer' },
    );
  return id;
}

async function enabledProgram(q: Queryable, ws: string): Promise<ProgramSettings> {
  const program = await readProgram(q, ws);
  if (!program.enabled)
    throw new DomainError(
      'loyalty_off',
      409,
      'The loyalty programme is switched off: turn it on with PUT /api/v1/loyalty/program {"enabled": true}',
    );
  return program;
}

/** The request's fields in one order (jsonb keeps keys in its own order). */
const sameRequest = (stored: unknown, request: Record<string, string | number | null>): boolean =>
  typeof stored === 'object' &&
  stored !== null &&
  Object.keys(stored).length === Object.keys(request).length &&
  Object.entries(request).every(([k, v]) => (stored as Record<string, unknown>)[k] === v);

/** The first answer of a key, or a refusal when the key was used for another request. */
function replayOf<T>(row: LedgerRow, request: Record<string, string | number | null>): T {
  if (!sameRequest(row.details.request, request)) {
    throw new DomainError(
      'idempotency_key_reused',
      409,
      'idempotencyKey: this key was used for another request; use a new key for a new request',
      { field: 'idempotencyKey' },
    );
  }
  return row.details.answer as T;
}

/** Spends points (or a reward's cost); 409 when the spendable points do not cover it. */
export async function redeem(db: Db, ws: string, req: RedeemRequest, now: Date): Promise<RedeemAnswer> {
  return db.transaction(async (tx) => {
    const program = await enabledProgram(tx, ws);
    const customerId = await customerOf(tx, ws, req.customer);
    const request = { customerId, points: req.points ?? null, reward: req.reward ?? null };
    const source = `redeem:${req.idempotencyKey}`;
    const book = await Book.open(tx, ws, program, [customerId], now);
    const first = await ledgerBySource(tx, ws, source);
    if (first) return replayOf<RedeemAnswer>(first, request);
    let reward: Reward | null = null;
    if (req.reward !== undefined) {
      reward = await getReward(tx, ws, req.reward);
      if (!reward || !reward.active)
        throw new DomainError(
          'not_found',
          404,
          `reward: no active reward "${req.reward}"; list them with GET /api/v1/loyalty/rewards`,
          { field: 'reward' },
        );
    }
    const points = reward ? reward.cost : req.points!;
    const a = book.account(customerId);
    const answer: RedeemAnswer = {
      customerId,
      points,
      idempotencyKey: req.idempotencyKey,
      at: now.toISOString(),
      available: a.available - points,
      pending: a.pending,
      reward: reward
        ? { id: reward.id, name: reward.name, kind: reward.kind, value: reward.value, couponPool: reward.couponPool }
        : null,
    };
    const outcome = await book.debit(customerId, {
      kind: 'redeem',
      points,
      source,
      at: now,
      details: { request, answer, ...(reward ? { reward: reward.id } : {}) },
    });
    if (outcome.status === 'short') {
      throw new DomainError(
        'insufficient_points',
        409,
        `points: the customer has ${outcome.available} points to spend, ${points} asked`,
        { field: 'points', details: { available: outcome.available, needed: points } },
      );
    }
    await book.close(now);
    return answer;
  });
}

export interface AdjustAnswer extends Balance {
  customerId: string;
  points: number;
  reason: string;
  actor: string;
  idempotencyKey: string;
  at: string;
}

/** A manual change with a reason and who made it: points in are spendable at once; points out must be there. */
export async function adjust(db: Db, ws: string, req: AdjustRequest, actor: string, now: Date): Promise<AdjustAnswer> {
  return db.transaction(async (tx) => {
    const program = await enabledProgram(tx, ws);
    const customerId = await customerOf(tx, ws, req.customer);
    const who = req.actor ?? actor;
    const request = { customerId, points: req.points, reason: req.reason };
    const source = `adjust:${req.idempotencyKey}`;
    const book = await Book.open(tx, ws, program, [customerId], now);
    const first = await ledgerBySource(tx, ws, source);
    if (first) return replayOf<AdjustAnswer>(first, request);
    const a = book.account(customerId);
    const answer: AdjustAnswer = {
      customerId,
      points: req.points,
      reason: req.reason,
      actor: who,
      idempotencyKey: req.idempotencyKey,
      at: now.toISOString(),
      available: a.available + req.points,
      pending: a.pending,
    };
    const movement = {
      kind: 'adjust' as const,
      source,
      at: now,
      reason: req.reason,
      actor: who,
      details: { request, answer },
    };
    if (req.points > 0) await book.credit(customerId, { ...movement, points: req.points });
    else {
      const outcome = await book.debit(customerId, { ...movement, points: -req.points });
      if (outcome.status === 'short') {
        throw new DomainError(
          'insufficient_points',
          409,
          `points: the customer has ${outcome.available} points to spend; take away at most that many`,
          { field: 'points', details: { available: outcome.available } },
        );
      }
    }
    await book.close(now);
    return answer;
  });
}

/** Days ahead that `pointsExpiring` looks (the card page and templates say "expiring within 30 days"). */
export const EXPIRING_WITHIN_DAYS = 30;

export interface CustomerLoyalty extends Balance {
  customerId: string;
  tier: string | null;
  benefits: { multiplier: number; freeShipping: boolean };
  pointsExpiring: { points: number; first: string | null; withinDays: number };
  /** The customer's own referral code (POST /api/v1/loyalty/referral-code makes one) and the referral that brought them. */
  referral: { code: string | null; referredBy: { referrerId: string; status: string; reason: string | null } | null };
  ledger: {
    id: string;
    kind: string;
    points: number;
    available: number;
    pending: number;
    source: string;
    reason: string | null;
    actor: string | null;
    details: Record<string, unknown>;
    at: string;
  }[];
}

/** A customer's balances, tier and its benefits, points expiring soon and the latest movements. */
export async function customerLoyalty(
  q: Queryable,
  ws: string,
  ref: string,
  now: Date,
  limit = 100,
): Promise<CustomerLoyalty> {
  const customerId = await customerOf(q, ws, ref);
  const [program, account, expiring, rows] = [
    await readProgram(q, ws),
    await readAccount(q, ws, customerId),
    await pointsExpiring(q, ws, customerId, new Date(now.getTime() + EXPIRING_WITHIN_DAYS * 86_400_000)),
    await customerLedger(q, ws, customerId, limit),
  ];
  const tier = account?.tier ?? null;
  const rule = program.tiers.find((t) => t.name === tier);
  return {
    customerId,
    available: account?.available ?? 0,
    pending: account?.pending ?? 0,
    tier,
    benefits: { multiplier: rule?.multiplier ?? 1, freeShipping: rule?.freeShipping ?? false },
    pointsExpiring: {
      points: expiring.points,
      first: expiring.first?.toISOString() ?? null,
      withinDays: EXPIRING_WITHIN_DAYS,
    },
    referral: await referralOf(q, ws, customerId),
    ledger: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      points: r.available + r.pending,
      available: r.available,
      pending: r.pending,
      source: r.source,
      reason: r.reason,
      actor: r.actor,
      details: Object.fromEntries(Object.entries(r.details).filter(([k]) => k !== 'request' && k !== 'answer')),
      at: r.at.toISOString(),
    })),
  };
}

/** Points not spent yet, and what they are worth in the base currency at the programme's point value. */
export async function liabilityReport(q: Queryable, ws: string) {
  const [program, sums] = [await readProgram(q, ws), await liability(q, ws)];
  const points = sums.available + sums.pending;
  return {
    ...sums,
    points,
    pointValue: program.pointValue,
    value: Math.round(points * program.pointValue * 100) / 100,
  };
}
