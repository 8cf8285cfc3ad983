// The RFM picture of a workspace: the 5×5 R×F grid (customers and net revenue per cell) and the named segments. Net
// revenue is given per currency and in the base currency (src/money: never added across currencies without a rate).
import type { Queryable } from '../../store/index.ts';
import {
  addByCurrency,
  byCurrency,
  moneyNote,
  toBase,
  type ByCurrency,
  type MoneyNote,
  currencyInForce,
  orderCurrencySql,
  type CurrencyInForce,
} from '../../money/index.ts';
import { rfmGridNames, segmentNames } from '../rfm.ts';
import type { ModelSettings } from '../settings.ts';

/** Net revenue in the grid's money.currency, and per currency as the orders were sent. */
interface Revenue {
  revenue: number;
  revenueByCurrency: ByCurrency;
}

export interface RfmGrid extends Revenue {
  /** 25 cells, R from 5 (most recent) down to 1, F from 1 up to 5. */
  cells: ({ r: number; f: number; customers: number; segment: string | null } & Revenue)[];
  /** Every segment of the mapping (also empty ones), then any other name found on customers. */
  segments: ({ name: string; customers: number } & Revenue)[];
  customers: number;
  scoredAt: string | null;
  /** The currency of every `revenue`, the rates used, and the currencies without a rate (only in revenueByCurrency). */
  money: MoneyNote;
}

/** Customers (and, for scored customers, their net revenue) per R, F and segment. */
type Group = { r: number | null; f: number | null; segment: string | null };
type Amount = Group & { currency: string; amount: number };

/**
 * Net revenue per R, F, segment and currency: each order's total less refunds in its own currency, and a refund whose
 * order never arrived (subtracted from the customer's revenue_net at once; its currency is not kept) in the base
 * currency (O(orders)). When all the workspace's orders are in the base currency, that is the customers' revenue_net,
 * which is read instead (O(scored customers)).
 */
async function amounts(db: Queryable, ws: string, currency: CurrencyInForce): Promise<Amount[]> {
  return currency.sole === currency.base
    ? netRevenueByGroup(db, ws, currency.base)
    : orderAmountsByGroup(db, ws, currency.base);
}

/** Scored customers' revenue_net summed per R, F and segment, in the base currency. */
async function netRevenueByGroup(db: Queryable, ws: string, base: string): Promise<Amount[]> {
  return db.query<Amount>(
    `SELECT rfm_r AS r, rfm_f AS f, rfm_segment AS segment, $2::text AS currency, coalesce(sum(revenue_net), 0)::float8 AS amount
       FROM customers WHERE workspace_id = $1 AND (rfm_r IS NOT NULL OR rfm_segment IS NOT NULL) GROUP BY 1, 2, 3`,
    [ws, base],
  );
}

/** Scored customers' orders less refunds per R, F, segment and order currency; refunds of orders never received in the base. */
async function orderAmountsByGroup(db: Queryable, ws: string, base: string): Promise<Amount[]> {
  return db.query<Amount>(
    `SELECT c.rfm_r AS r, c.rfm_f AS f, c.rfm_segment AS segment, x.currency, sum(x.amount)::float8 AS amount
     FROM (SELECT o.customer_id, ${orderCurrencySql('o.currency', '$2')} AS currency, o.total - o.refunded AS amount
             FROM orders o WHERE o.workspace_id = $1 AND o.customer_id IS NOT NULL
           UNION ALL
           SELECT a.customer_id, $2, -a.amount FROM order_adjustments a
            WHERE a.workspace_id = $1 AND NOT a.pending AND a.customer_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.workspace_id = $1 AND o.order_id = a.order_id)) x
     JOIN customers c ON c.workspace_id = $1 AND c.id = x.customer_id
     WHERE c.rfm_r IS NOT NULL OR c.rfm_segment IS NOT NULL
     GROUP BY 1, 2, 3, 4`,
    [ws, base],
  );
}

/** Scored customers counted per R, F and segment. */
async function groupCounts(db: Queryable, ws: string) {
  return db.query<Group & { n: number }>(
    `SELECT rfm_r AS r, rfm_f AS f, rfm_segment AS segment, count(*)::int AS n
       FROM customers WHERE workspace_id = $1 AND (rfm_r IS NOT NULL OR rfm_segment IS NOT NULL) GROUP BY 1, 2, 3`,
    [ws],
  );
}

/** When the workspace's customers were last scored, if ever. */
async function lastScoredAt(db: Queryable, ws: string): Promise<Date | null> {
  const [stamp] = await db.query<{ at: Date | null }>(
    'SELECT max(scored_at) AS at FROM customers WHERE workspace_id = $1',
    [ws],
  );
  return stamp?.at ?? null;
}

export async function rfmGrid(db: Queryable, ws: string, settings: ModelSettings): Promise<RfmGrid> {
  const currency = await currencyInForce(db, ws);
  const [counts, money, stamp] = await Promise.all([
    groupCounts(db, ws),
    amounts(db, ws, currency),
    lastScoredAt(db, ws),
  ]);
  const revenueOf = (rows: Amount[]): Revenue => {
    const by = byCurrency(rows.map((a) => [a.currency, a.amount]));
    return { revenue: toBase(by, currency), revenueByCurrency: by };
  };
  const inCell = (r: number, f: number) => (g: Group) => g.r === r && g.f === f;
  const names = rfmGridNames(settings.rfm.segments);
  const cells: RfmGrid['cells'] = [];
  for (let r = 5; r >= 1; r--) {
    for (let f = 1; f <= 5; f++) {
      const customers = counts.filter(inCell(r, f)).reduce((n, g) => n + g.n, 0);
      cells.push({ r, f, customers, ...revenueOf(money.filter(inCell(r, f))), segment: names[r - 1]![f - 1]! });
    }
  }
  const found = [...new Set(counts.map((g) => g.segment).filter((n): n is string => n !== null))];
  const ordered = [
    ...segmentNames(settings.rfm.segments),
    ...found.filter((n) => !settings.rfm.segments.some((r) => r.segment === n)).sort(),
  ];
  const segments = ordered.map((name) => ({
    name,
    customers: counts.filter((g) => g.segment === name).reduce((n, g) => n + g.n, 0),
    ...revenueOf(money.filter((a) => a.segment === name)),
  }));
  const total = addByCurrency(cells.map((c) => c.revenueByCurrency));
  return {
    cells,
    segments,
    customers: cells.reduce((s, c) => s + c.customers, 0),
    revenue: toBase(total, currency),
    revenueByCurrency: total,
    scoredAt: stamp ? new Date(stamp).toISOString() : null,
    money: moneyNote([total, ...segments.map((s) => s.revenueByCurrency)], currency),
  };
}
