// Customer views (pure): database rows → the API's Customer and Event shapes.
import { scoreValues, type ScoreName } from '../scores/index.ts';
import { iso, isoOrNull } from '../time/index.ts';

/** A customers row; the score columns (src/scores/descriptor.ts) only where a query selected them, null until the first model run. */
export interface CustomerRow extends Partial<Record<ScoreName, string | number | null>> {
  id: string | number;
  user_id: string | null;
  /** Display name from the traits (generated column); absent where a query did not select it. */
  name?: string | null;
  email: string | null;
  phone: string | null;
  locale: string | null;
  timezone: string | null;
  traits: Record<string, unknown>;
  first_seen: Date | null;
  last_seen: Date | null;
  first_order_at: Date | null;
  last_order_at: Date | null;
  orders_count: number;
  purchase_days: number;
  revenue_total: string | number;
  revenue_net: string | number;
  anonymous_ids?: string[] | null;
  scored_at?: Date | null;
}

export interface EventRow {
  message_id: string;
  customer_id: string | number | null;
  type: string;
  name: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  properties: Record<string, unknown>;
  traits?: Record<string, unknown> | null;
  context?: Record<string, unknown> | null;
  timestamp: Date;
  received_at: Date;
}

export function customerView(r: CustomerRow) {
  const orders = Number(r.orders_count);
  const revenueTotal = Number(r.revenue_total);
  return {
    id: String(r.id),
    userId: r.user_id,
    name: r.name ?? null,
    anonymousIds: r.anonymous_ids ?? [],
    email: r.email,
    phone: r.phone,
    locale: r.locale,
    timezone: r.timezone,
    traits: r.traits,
    aggregates: {
      firstSeen: isoOrNull(r.first_seen),
      lastSeen: isoOrNull(r.last_seen),
      firstOrderAt: isoOrNull(r.first_order_at),
      lastOrderAt: isoOrNull(r.last_order_at),
      ordersCount: orders,
      purchaseDays: Number(r.purchase_days),
      revenueTotal,
      revenueNet: Number(r.revenue_net),
      averageOrderValue: orders > 0 ? Math.round((revenueTotal / orders) * 100) / 100 : null,
    },
    // only when the query selected them (the customers API does; lists elsewhere may not)
    ...('scored_at' in r ? { scores: scoresView(r) } : {}),
  };
}

/** The model scores on a customer (src/scores/descriptor.ts describes each), and when they last changed; all null before the first model run. */
export function scoresView(r: CustomerRow) {
  return { ...scoreValues(r), scoredAt: isoOrNull(r.scored_at) };
}

export function eventView(r: EventRow) {
  return {
    id: r.message_id,
    messageId: r.message_id,
    customerId: r.customer_id === null ? null : String(r.customer_id),
    userId: r.user_id,
    anonymousId: r.anonymous_id,
    type: r.type,
    name: r.name,
    properties: r.properties,
    ...(r.traits ? { traits: r.traits } : {}),
    ...(r.context ? { context: r.context } : {}),
    timestamp: iso(r.timestamp),
    receivedAt: iso(r.received_at),
  };
}
