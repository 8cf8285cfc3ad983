// Referrals: each customer's referral code; a new customer who comes with one (a `referral_code` trait or property) is
// the referrer's referee unless it is the same person (same e-mail, phone or device: refused, with the reason); their
// first completed order that is spendable and not refunded rewards both, once.
import { randomInt } from 'node:crypto';
import type { Db, Queryable } from '../store/index.ts';
import { DomainError } from '../lib/index.ts';
import type { Book } from './book.ts';
import type { LotRow } from './store.ts';
import {
  customerAddresses,
  findCustomer,
  markReferralRewarded,
  orderStates,
  pendingReferrals,
  recordReferral,
  referrerByCode,
  setReferralCode,
  usedDevice,
} from './store.ts';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newCode = () => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** The code a referral names, as customers type it (case and spaces do not matter). */
export const normalizeCode = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() ? v.trim().toUpperCase().replace(/\s+/g, '') : null;

/** Why a referral is the same person (pure), or null. */
export function selfReferral(
  referee: { id: string; email: string | null; phone: string | null },
  referrer: { id: string; email: string | null; phone: string | null },
  sameDevice: boolean,
): string | null {
  if (referee.id === referrer.id) return 'the customer used their own referral code';
  if (referee.email && referee.email === referrer.email) return 'same e-mail as the referrer';
  if (referee.phone && referee.phone === referrer.phone) return 'same phone as the referrer';
  if (sameDevice) return 'same device as the referrer';
  return null;
}

/** The customer's referral code, made on first asking (and kept). */
export async function referralCode(
  db: Db,
  ws: string,
  ref: string,
  now: Date,
): Promise<{ customerId: string; code: string }> {
  const customerId = await findCustomer(db, ws, ref);
  if (!customerId)
    throw new DomainError(
      'not_found',
      404,
      `customer: no customer "${ref}" in this workspace (an internal id or a userId)`,
      { field: 'customer' },
    );
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const code = await db.transaction((tx) => setReferralCode(tx, ws, customerId, newCode(), now));
      if (code) return { customerId, code };
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err; // another customer has this code: draw again
    }
  }
  throw new Error('could not draw an unused referral code in 5 attempts');
}

export interface ReferralClaim {
  customerId: string;
  code: string;
  deviceId: string | null;
  at: Date;
}

/** Records the referrals the batch's customers came with (a code nobody has is ignored). */
export async function recordReferrals(tx: Queryable, ws: string, claims: ReferralClaim[]): Promise<void> {
  if (!claims.length) return;
  const addresses = await customerAddresses(
    tx,
    ws,
    claims.map((c) => c.customerId),
  );
  for (const c of claims) {
    const referrer = await referrerByCode(tx, ws, c.code);
    const referee = addresses.get(c.customerId);
    if (!referrer || !referee) continue;
    const sameDevice =
      c.deviceId !== null && referrer.id !== c.customerId && (await usedDevice(tx, ws, referrer.id, c.deviceId));
    const reason = selfReferral({ id: c.customerId, ...referee }, referrer, sameDevice);
    await recordReferral(tx, ws, {
      refereeId: c.customerId,
      referrerId: referrer.id,
      code: c.code,
      status: reason ? 'refused' : 'pending',
      reason,
      at: c.at,
    });
  }
}

/**
 * Rewards the pending referrals of the customers whose order points just became spendable, when that order is still
 * completed and unrefunded: the referee and the referrer each get the programme's points, once (by source).
 */
export async function rewardReferrals(
  tx: Queryable,
  ws: string,
  book: Book,
  released: LotRow[],
  now: Date,
): Promise<void> {
  const { referrerPoints, refereePoints } = book.program.referral;
  const orderLots = released.filter((l) => l.orderId);
  if (!orderLots.length || (referrerPoints <= 0 && refereePoints <= 0)) return;
  const pending = await pendingReferrals(tx, ws, [...new Set(orderLots.map((l) => l.customerId))]);
  if (!pending.length) return;
  const orders = await orderStates(
    tx,
    ws,
    orderLots.map((l) => l.orderId!),
  );
  await book.lock(
    pending.map((p) => p.referrerId),
    now,
  );
  for (const p of pending) {
    const lot = orderLots.find(
      (l) =>
        l.customerId === p.refereeId &&
        orders.get(l.orderId!)?.status === 'completed' &&
        orders.get(l.orderId!)!.refunded === 0,
    );
    if (!lot) continue;
    const details = { referee: p.refereeId, referrer: p.referrerId, orderId: lot.orderId };
    await book.creditMany([
      {
        customerId: p.refereeId,
        kind: 'referral',
        points: refereePoints,
        source: `referral:${p.refereeId}:referee`,
        at: now,
        details,
        immediate: true,
      },
      {
        customerId: p.referrerId,
        kind: 'referral',
        points: referrerPoints,
        source: `referral:${p.refereeId}:referrer`,
        at: now,
        details,
        immediate: true,
      },
    ]);
    await markReferralRewarded(tx, ws, p.refereeId, lot.orderId!);
  }
}
