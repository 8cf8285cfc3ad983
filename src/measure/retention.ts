// Retention metrics as the industry defines them (pure): from each period's counts of active, new and retained
// customers, orders and revenue to retention and churn rates, repeat purchase rate, frequency, order value.

/** What the store counts per period (a month or a quarter, in the workspace's time zone). */
export interface PeriodCounts {
  /** The period's first day, YYYY-MM-DD. */
  period: string;
  /** Customers with at least one completed order in the period. */
  active: number;
  /** Of them, those whose first order ever is in the period. */
  newCustomers: number;
  /** Of them, those who also bought in the period before. */
  retained: number;
  /** Of them, those with two or more orders by the period's end. */
  repeat: number;
  orders: number;
  /** Net revenue (total − refunded) of the period's orders, in the report's currency. */
  revenue: number;
  /** Mean days since the same customer's previous order, over the period's orders that have one; null when none. */
  daysBetweenOrders: number | null;
}

export interface PeriodMetrics extends PeriodCounts {
  /** S: customers active in the period before (the base at the start). */
  startingCustomers: number;
  /** (E − N) / S: active customers at the end less the new ones, over the base at the start; null without a base. */
  retentionRate: number | null;
  /** Of the base at the start, the share who did not buy in this period; null without a base. */
  churnRate: number | null;
  /** Share of the period's customers who have bought at least twice. */
  repeatPurchaseRate: number | null;
  /** Orders per active customer. */
  purchaseFrequency: number | null;
  averageOrderValue: number | null;
  revenuePerCustomer: number | null;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** Metrics per period, in order; the first period's base is `previousActive` (the customers of the period before it). */
export function retentionMetrics(periods: PeriodCounts[], previousActive: number): PeriodMetrics[] {
  let start = previousActive;
  return periods.map((p) => {
    const m: PeriodMetrics = {
      ...p,
      startingCustomers: start,
      retentionRate: ratio(p.active - p.newCustomers, start),
      churnRate: start > 0 ? (start - p.retained) / start : null,
      repeatPurchaseRate: ratio(p.repeat, p.active),
      purchaseFrequency: ratio(p.orders, p.active),
      averageOrderValue: ratio(p.revenue, p.orders),
      revenuePerCustomer: ratio(p.revenue, p.active),
    };
    start = p.active;
    return m;
  });
}

/** A cohort: the customers whose first order fell in one month, and what they did in each month since. */
export interface CohortRow {
  /** First day of the cohort's month, YYYY-MM-DD. */
  cohort: string;
  customers: number;
  /** Index k: months since the first order (0 = that month); share of the cohort who bought then, and their revenue. */
  months: { buying: number; share: number; revenue: number }[];
}

/** Builds the cohort table from (cohort, months since, customers buying, revenue) cells. */
export function cohortTable(
  cells: { cohort: string; offset: number; customers: number; revenue: number }[],
): CohortRow[] {
  const rows = new Map<string, CohortRow>();
  for (const c of [...cells].sort((a, b) => a.cohort.localeCompare(b.cohort) || a.offset - b.offset)) {
    let row = rows.get(c.cohort);
    if (!row) rows.set(c.cohort, (row = { cohort: c.cohort, customers: 0, months: [] }));
    if (c.offset === 0) row.customers = c.customers;
    while (row.months.length < c.offset) row.months.push({ buying: 0, share: 0, revenue: 0 });
    row.months[c.offset] = { buying: c.customers, share: 0, revenue: c.revenue };
  }
  for (const row of rows.values())
    for (const m of row.months) m.share = row.customers > 0 ? m.buying / row.customers : 0;
  return [...rows.values()];
}
