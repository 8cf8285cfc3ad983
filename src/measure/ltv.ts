// Lifetime value with and without messages (pure): for the customers marketing reached (treated) and those the
// control group kept out (control), realised revenue per customer month by month since assignment, summed up, next to
// the models' predicted 12-month CLV. A month counts only the customers observed through it (assigned long enough ago),
// so recent assignments do not drag the later months down.

export type LtvArm = 'treated' | 'control';

/** What the store counts for one arm. */
export interface LtvArmCounts {
  arm: LtvArm;
  /** Customers by whole months observed since assignment (capped at the horizon). */
  observed: { months: number; customers: number }[];
  /** Revenue in month k since assignment (0 = the first 30.44 days), from customers for whom month k is over. */
  revenue: { month: number; revenue: number }[];
  /** The models' predicted CLV over the arm's customers they scored. */
  clv: { customers: number; mean: number | null };
}

export interface LtvMonth {
  /** Months since assignment, 1…horizon: this point sums months 0…month − 1. */
  month: number;
  /** Customers observed through this month. */
  customers: number;
  /** Revenue per observed customer in this month alone. */
  revenuePerCustomer: number | null;
  /** Revenue per customer summed over months 1…month; null once no customer is observed that long. */
  cumulative: number | null;
}

export interface LtvCurve {
  arm: LtvArm;
  customers: number;
  clv: { customers: number; mean: number | null };
  months: LtvMonth[];
}

export interface LtvComparison {
  horizon: number;
  arms: LtvCurve[];
  /** Treated − control cumulative revenue per customer by month (null where either is unknown). */
  difference: { month: number; cumulative: number | null }[];
  /** Treated − control predicted CLV (null before a fit). */
  clvDifference: number | null;
}

/** One arm's curve over `horizon` months. */
export function ltvCurve(counts: LtvArmCounts, horizon: number): LtvCurve {
  const customers = counts.observed.reduce((s, o) => s + o.customers, 0);
  const revenue = new Map(counts.revenue.map((r) => [r.month, r.revenue]));
  const months: LtvMonth[] = [];
  let cumulative: number | null = 0;
  for (let k = 0; k < horizon; k++) {
    const seen = counts.observed.filter((o) => o.months > k).reduce((s, o) => s + o.customers, 0);
    const perCustomer = seen > 0 ? (revenue.get(k) ?? 0) / seen : null;
    cumulative = cumulative === null || perCustomer === null ? null : cumulative + perCustomer;
    months.push({ month: k + 1, customers: seen, revenuePerCustomer: perCustomer, cumulative });
  }
  return { arm: counts.arm, customers, clv: counts.clv, months };
}

/** Both arms' curves (treated first) and their difference. */
export function ltvComparison(arms: LtvArmCounts[], horizon: number): LtvComparison {
  const none = (arm: LtvArm): LtvArmCounts => ({ arm, observed: [], revenue: [], clv: { customers: 0, mean: null } });
  const treated = ltvCurve(arms.find((a) => a.arm === 'treated') ?? none('treated'), horizon);
  const control = ltvCurve(arms.find((a) => a.arm === 'control') ?? none('control'), horizon);
  return {
    horizon,
    arms: [treated, control],
    difference: treated.months.map((m, i) => {
      const c = control.months[i]!.cumulative;
      return { month: m.month, cumulative: m.cumulative === null || c === null ? null : m.cumulative - c };
    }),
    clvDifference: treated.clv.mean === null || control.clv.mean === null ? null : treated.clv.mean - control.clv.mean,
  };
}
