// Redemption rules (pure): what an order naming a code does to it. The first order after assignment and before expiry
// redeems it; any other order naming it is a refused use (reused, expired, never assigned, unknown), recorded, never
// a second redemption.
import { assertNever } from '../lib/index.ts';

export type RedemptionOutcome = 'redeemed' | 'reused' | 'expired' | 'unknown' | 'not_assigned';

export interface CodeState {
  id: string;
  assignedAt: Date | null;
  expiresAt: Date | null;
  redeemedAt: Date | null;
  /** The order that redeemed it, if any. */
  orderId: string | null;
}

export interface OrderUse {
  orderId: string;
  code: string;
  at: Date;
}

/**
 * The outcome of each use, in the order of the orders' times (the earliest valid one redeems). `codes` is changed: a
 * code redeemed here is redeemed for the uses after it.
 */
export function decideUses(
  uses: OrderUse[],
  codes: Map<string, CodeState>,
): { use: OrderUse; outcome: RedemptionOutcome; code: CodeState | null }[] {
  const sorted = [...uses].sort((a, b) => a.at.getTime() - b.at.getTime() || a.orderId.localeCompare(b.orderId));
  return sorted.map((use) => {
    const code = codes.get(use.code) ?? null;
    const outcome = outcomeOf(code, use);
    if (outcome === 'redeemed' && code) Object.assign(code, { redeemedAt: use.at, orderId: use.orderId });
    return { use, outcome, code };
  });
}

function outcomeOf(code: CodeState | null, use: OrderUse): RedemptionOutcome {
  if (!code) return 'unknown';
  // The same order sent again (another messageId) redeemed it already: the same outcome, recorded once.
  if (code.redeemedAt) return code.orderId === use.orderId ? 'redeemed' : 'reused';
  if (!code.assignedAt) return 'not_assigned';
  if (code.expiresAt && code.expiresAt <= use.at) return 'expired';
  return 'redeemed';
}

/** Why a use was refused, in words for the timeline. */
export function refusalText(outcome: Exclude<RedemptionOutcome, 'redeemed'>, code: string): string {
  switch (outcome) {
    case 'reused':
      return `coupon ${code} was already redeemed by another order`;
    case 'expired':
      return `coupon ${code} had expired`;
    case 'unknown':
      return `coupon ${code} is in no pool`;
    case 'not_assigned':
      return `coupon ${code} was never given to a customer`;
    default:
      return assertNever(outcome, 'redemption outcome');
  }
}

/** An ingested event as redemption reads it: an order's id (commerce fact), its properties, time and customer. */
export interface OrderEvent {
  event: { commerce: { kind: string; orderId?: string } | null; properties: Record<string, unknown>; timestamp: Date };
  customerId: string | null;
}

/** The codes the batch's Order Completed events name in `coupon` (Segment's e-commerce spec), one per order and code. */
export function orderCoupons(
  owned: OrderEvent[],
  normal: (s: string) => string,
): (OrderUse & { customerId: string | null })[] {
  const out = new Map<string, OrderUse & { customerId: string | null }>();
  for (const { event, customerId } of owned) {
    const c = event.commerce;
    const raw = event.properties.coupon;
    if (c?.kind !== 'order' || !c.orderId || typeof raw !== 'string' || !raw.trim()) continue;
    const code = normal(raw);
    const key = `${c.orderId}\u0000${code}`;
    if (!out.has(key)) out.set(key, { orderId: c.orderId, code, at: event.timestamp, customerId });
  }
  return [...out.values()];
}
