// Message metrics as the industry defines them (pure): counts per group, and the rates made from them.
//   delivery rate    = delivered / sent
//   open rate        = unique human opens / delivered
//   click rate       = unique clicks / delivered
//   conversion rate  = messages whose click was followed by an order within the attribution window / delivered
//   unsubscribe rate = unsubscribes / delivered
// A rate is a fraction (0…1), or null when its denominator is 0. What each count means is in query.ts.

export interface MetricCounts {
  sent: number;
  delivered: number;
  opens: number;
  clicks: number;
  conversions: number;
  revenue: number;
  unsubscribes: number;
  bounced: number;
  failed: number;
  machineOpens: number;
}

export interface MetricRates {
  deliveryRate: number | null;
  openRate: number | null;
  clickRate: number | null;
  conversionRate: number | null;
  unsubscribeRate: number | null;
}

export type Metrics = MetricCounts & MetricRates;

export const ZERO: MetricCounts = {
  sent: 0,
  delivered: 0,
  opens: 0,
  clicks: 0,
  conversions: 0,
  revenue: 0,
  unsubscribes: 0,
  bounced: 0,
  failed: 0,
  machineOpens: 0,
};

const ratio = (n: number, d: number) => (d > 0 ? n / d : null);
/** Money to the cent (sums of float8 drift by a few ulps). */
const cents = (x: number) => Math.round(x * 100) / 100;

export function withRates(c: MetricCounts): Metrics {
  return {
    ...c,
    revenue: cents(c.revenue),
    deliveryRate: ratio(c.delivered, c.sent),
    openRate: ratio(c.opens, c.delivered),
    clickRate: ratio(c.clicks, c.delivered),
    conversionRate: ratio(c.conversions, c.delivered),
    unsubscribeRate: ratio(c.unsubscribes, c.delivered),
  };
}

/** The sum of groups' counts: every message is in exactly one group, so this is the total. */
export function sumCounts(rows: MetricCounts[]): MetricCounts {
  const total = { ...ZERO };
  for (const r of rows) for (const k of Object.keys(total) as (keyof MetricCounts)[]) total[k] += r[k];
  return total;
}
