// The retention, cohort and lifetime-value reports: the workspace's zone and currency, the store's counts, the pure metrics.
import type { Queryable } from '../store/index.ts';
import { currencyInForce } from '../money/index.ts';
import { cohortTable, retentionMetrics, type CohortRow, type PeriodMetrics } from './retention.ts';
import { ltvComparison, type LtvComparison } from './ltv.ts';
import { ltvCounts } from './store/ltv.ts';
import {
  cohortCells,
  meanModelClv,
  periodCounts,
  workspaceZone,
  type MoneyScope,
  type Period,
} from './store/retention.ts';
import { DAY_MS } from '../time/index.ts';

export interface ReportSpan {
  from?: Date;
  to?: Date;
  /** Only the orders in this currency (ISO code); default: all, converted to the base currency. */
  currency?: string;
}

interface Scope {
  zone: string;
  from: Date;
  to: Date;
  money: MoneyScope;
}

const YEAR = 365 * DAY_MS;

async function scope(q: Queryable, ws: string, span: ReportSpan, now: Date): Promise<Scope> {
  const to = span.to ?? now;
  const from = span.from ?? new Date(to.getTime() - YEAR);
  const zone = await workspaceZone(q, ws);
  if (span.currency) return { zone, from, to, money: { currency: span.currency } };
  const m = await currencyInForce(q, ws);
  return {
    zone,
    from,
    to,
    money: { currency: m.base, rates: Object.fromEntries(Object.entries(m.rates).map(([c, r]) => [c, r.rate])) },
  };
}

export interface RetentionReport {
  period: Period;
  zone: string;
  currency: string;
  /** Orders left out of revenue: in a currency without a rate to the base. */
  unconvertedOrders: number;
  periods: PeriodMetrics[];
  /** The models' mean predicted CLV over the customers they scored (null before a fit). */
  clv: { customers: number; mean: number | null };
}

export async function retentionReport(
  q: Queryable,
  ws: string,
  period: Period,
  span: ReportSpan,
  now: Date,
): Promise<RetentionReport> {
  const s = await scope(q, ws, span, now);
  const counts = await periodCounts(q, ws, period, { from: s.from, to: s.to, zone: s.zone }, s.money, now);
  const clv = await meanModelClv(q, ws);
  return {
    period,
    zone: s.zone,
    currency: s.money.currency,
    unconvertedOrders: counts.unconvertedOrders,
    periods: retentionMetrics(counts.periods, counts.previousActive),
    clv: { customers: clv.customers, mean: clv.clv },
  };
}

export interface CohortReport {
  zone: string;
  currency: string;
  cohorts: CohortRow[];
}

export async function cohortReport(q: Queryable, ws: string, span: ReportSpan, now: Date): Promise<CohortReport> {
  const s = await scope(q, ws, span, now);
  const cells = await cohortCells(q, ws, { from: s.from, to: s.to, zone: s.zone }, s.money, now);
  return { zone: s.zone, currency: s.money.currency, cohorts: cohortTable(cells) };
}

export interface LtvQuery {
  /** Customers assigned from this moment (default: two years before `until`) … */
  from?: Date;
  /** … until this one, excluded (default: now). */
  until?: Date;
  /** Months since assignment to follow (default 12, the models' CLV horizon). */
  months?: number;
}

export type LtvReport = LtvComparison & { window: { from: string; until: string }; currency: string };

/** Lifetime value with and without messages: treated against the global control group, in the base currency. */
export async function ltvReport(q: Queryable, ws: string, query: LtvQuery, now: Date): Promise<LtvReport> {
  const until = query.until ?? now;
  const from = query.from ?? new Date(until.getTime() - 2 * YEAR);
  const horizon = query.months ?? 12;
  const m = await currencyInForce(q, ws);
  const rates = Object.fromEntries(Object.entries(m.rates).map(([c, r]) => [c, r.rate]));
  const counts = await ltvCounts(q, ws, { from, until, now, horizon }, m.base, rates);
  return {
    ...ltvComparison(counts, horizon),
    window: { from: from.toISOString(), until: until.toISOString() },
    currency: m.base,
  };
}
