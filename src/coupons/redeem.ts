// Redemption at ingest: in the ingest transaction, the codes the batch's orders name are read (locked) by their unique
// index — the cost follows the orders with a coupon, not the pools — then each use is decided (redemption.ts),
// recorded once per order and code, the code marked redeemed by its first order, and the customer's timeline told.
import type { Queryable } from '../store/index.ts';
import { COUPON_REDEEMED, COUPON_REFUSED, logOwnEvents, type OwnEvent } from '../customers/index.ts';
import { normalCode } from './code-list.ts';
import { decideUses, orderCoupons, refusalText, type CodeState, type OrderEvent } from './redemption.ts';
import { codesByText, markRedeemed, recordRedemptions, type CodeRow } from './store.ts';

export async function redeemCoupons(tx: Queryable, ws: string, owned: OrderEvent[]): Promise<void> {
  const uses = orderCoupons(owned, normalCode);
  if (!uses.length) return;
  const rows = new Map((await codesByText(tx, ws, [...new Set(uses.map((u) => u.code))])).map((c) => [c.code, c]));
  const states = new Map<string, CodeState>(
    [...rows].map(([code, c]) => [
      code,
      {
        id: c.id,
        assignedAt: c.assigned_at && new Date(c.assigned_at),
        expiresAt: c.expires_at && new Date(c.expires_at),
        redeemedAt: c.redeemed_at && new Date(c.redeemed_at),
        orderId: c.order_id,
      },
    ]),
  );
  const decided = decideUses(uses, states);
  const customerOf = new Map(uses.map((u) => [`${u.orderId}\u0000${u.code}`, u.customerId]));
  const fresh = new Set(
    (
      await recordRedemptions(
        tx,
        ws,
        decided.map(({ use, outcome, code }) => ({
          order_id: use.orderId,
          code: use.code,
          customer_id: customerOf.get(`${use.orderId}\u0000${use.code}`) ?? null,
          code_id: code?.id ?? null,
          outcome,
          at: use.at,
        })),
      )
    ).map((r) => `${r.order_id}\u0000${r.code}`),
  );
  const news = decided.filter((d) => fresh.has(`${d.use.orderId}\u0000${d.use.code}`));
  await markRedeemed(
    tx,
    news
      .filter((d) => d.outcome === 'redeemed')
      .map((d) => ({ id: d.code!.id, order_id: d.use.orderId, at: d.use.at })),
  );
  const events: OwnEvent[] = [];
  for (const { use, outcome } of news) {
    const customerId = customerOf.get(`${use.orderId}\u0000${use.code}`);
    if (!customerId) continue;
    const row = rows.get(use.code) as CodeRow | undefined;
    const common = { code: use.code, orderId: use.orderId, pool: row?.pool_id ?? null };
    if (outcome === 'redeemed') {
      events.push({
        customerId,
        name: COUPON_REDEEMED,
        messageId: `coupon:${use.orderId}:${use.code}`,
        at: use.at,
        properties: {
          ...common,
          value: row?.value ?? null,
          journeyId: row?.journey_id ?? null,
          stepId: row?.step_id ?? null,
          messageKey: row?.message_key ?? null,
          assignedTo: row?.customer_id ?? null,
        },
      });
    } else {
      events.push({
        customerId,
        name: COUPON_REFUSED,
        messageId: `coupon:${use.orderId}:${use.code}`,
        at: use.at,
        properties: { ...common, reason: outcome, detail: refusalText(outcome, use.code) },
      });
    }
  }
  await logOwnEvents(tx, ws, events);
}
