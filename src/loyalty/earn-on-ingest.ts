// Loyalty at ingest, in the batch's transaction and only for what the batch changed: points for the orders it placed,
// claw-backs for the orders it refunded or cancelled (in proportion to what was returned), bonuses for the events the
// programme names, then the tier of each customer who earned. One read of the programme when it is switched off.
import { type Queryable, oncePerTransaction } from '../store/index.ts';
import { Book } from './book.ts';
import { bonusesFor, clawbackDue, orderPoints, type EarningLine } from './earn.ts';
import { orderLots, orderStates, readProgram } from './store.ts';
import { reviewTiers } from './tier-review.ts';
import { normalizeCode, recordReferrals, rewardReferrals, type ReferralClaim } from './referrals.ts';

/** What loyalty reads of an ingested event (ingest's normalised event has this shape; loyalty sits below ingest). */
export interface LoyaltyEvent {
  messageId: string;
  name: string | null;
  traits: Record<string, unknown> | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown> | null;
  timestamp: Date;
  commerce:
    | { kind: 'order'; orderId: string; total: number; currency: string | null; lines: EarningLine[] }
    | { kind: 'refund'; orderId: string; amount: number | null }
    | { kind: 'cancel'; orderId: string }
    | null;
}

export interface OwnedEvent {
  event: LoyaltyEvent;
  customerId: string | null;
}

type OrderFact = Extract<NonNullable<LoyaltyEvent['commerce']>, { kind: 'order' }>;

/** Earns and claws back the batch's points; `placed`: the ids of the orders this batch stored for the first time. */
export async function loyaltyForBatch(
  tx: Queryable,
  ws: string,
  owned: OwnedEvent[],
  placed: string[],
  now: Date,
): Promise<void> {
  const program = await oncePerTransaction(tx, `loyalty-program:${ws}`, () => readProgram(tx, ws));
  if (!program.enabled) return;
  const placedSet = new Set(placed);
  const orders: { customerId: string; fact: OrderFact; at: Date }[] = [];
  const touched = new Set<string>();
  const bonuses: { customerId: string; event: LoyaltyEvent }[] = [];
  const claims: ReferralClaim[] = [];
  for (const { event, customerId } of owned) {
    const code = normalizeCode(
      event.traits?.referral_code ??
        event.traits?.referralCode ??
        event.properties.referral_code ??
        event.properties.referralCode,
    );
    if (code && customerId) claims.push({ customerId, code, deviceId: deviceOf(event), at: event.timestamp });
    const c = event.commerce;
    if (c) touched.add(c.orderId);
    if (c?.kind === 'order' && customerId && placedSet.delete(c.orderId))
      orders.push({ customerId, fact: c, at: event.timestamp });
    if (
      customerId &&
      program.bonuses.length &&
      event.name &&
      bonusesFor(program, { name: event.name, properties: event.properties }).length
    )
      bonuses.push({ customerId, event });
  }
  await recordReferrals(tx, ws, claims);
  if (!orders.length && !touched.size && !bonuses.length) return;
  const states = touched.size ? await orderStates(tx, ws, [...touched]) : new Map();
  const refunded = [...states.values()].filter((o) => o.refunded > 0 && o.customerId);
  if (!orders.length && !refunded.length && !bonuses.length) return;

  const customers = [
    ...new Set([
      ...orders.map((o) => o.customerId),
      ...refunded.map((o) => o.customerId!),
      ...bonuses.map((b) => b.customerId),
    ]),
  ];
  const book = await Book.open(tx, ws, program, customers, now);
  const earned = await book.creditMany(
    orders.map((o) => ({
      customerId: o.customerId,
      kind: 'earn' as const,
      source: `order:${o.fact.orderId}`,
      orderId: o.fact.orderId,
      at: o.at,
      details: { total: o.fact.total, currency: o.fact.currency },
      points: orderPoints(
        { total: o.fact.total, currency: o.fact.currency, lines: o.fact.lines, at: o.at },
        program,
        book.account(o.customerId).tier,
      ),
    })),
  );
  await rewardReferrals(
    tx,
    ws,
    book,
    earned.filter((l) => l.released),
    now,
  );
  if (refunded.length) {
    const lots = new Map(
      (
        await orderLots(
          tx,
          ws,
          refunded.map((o) => o.orderId),
        )
      ).map((l) => [l.orderId!, l]),
    );
    for (const o of refunded) {
      const lot = lots.get(o.orderId);
      if (!lot || !book.accounts.has(lot.customerId)) continue;
      const due = clawbackDue(lot.points, o.total, o.refunded, lot.clawed);
      const details = { orderId: o.orderId, refunded: o.refunded, total: o.total, status: o.status };
      await book.clawback(lot, due, `clawback:${o.orderId}:${lot.clawed + due}`, now, details);
    }
  }
  for (const { customerId, event } of bonuses) {
    for (const b of bonusesFor(program, { name: event.name!, properties: event.properties })) {
      const source = b.once ? `bonus:${b.event}:${customerId}` : `bonus:${b.event}:${event.messageId}`;
      await book.credit(customerId, {
        kind: 'bonus',
        points: b.points,
        source,
        at: event.timestamp,
        details: { event: b.event },
      });
    }
  }
  if (program.tiers.length) await reviewTiers(tx, ws, book, customers, now);
  await book.close(now);
}

/** The device an event came from (context.device.id), for the self-referral check. */
function deviceOf(e: LoyaltyEvent): string | null {
  const device = (e.context as { device?: { id?: unknown } } | null)?.device;
  return typeof device?.id === 'string' && device.id ? device.id : null;
}
