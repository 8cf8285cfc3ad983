// Customer-base summaries (pure): transactions → per-customer (x, t_x, T, zbar) over a calibration period, plus
// holdout purchase-day counts, and the grouping into sufficient statistics that model fitting runs on.
// The rules are those of the standard CDNOW summary (see datasets/README.md):
//   - purchases on the same calendar day are merged into one purchase whose value is the day's total;
//   - x   = distinct purchase days − 1 (repeat purchases) within the calibration period;
//   - t_x = (last calibration purchase day − first purchase day) / periodDays, rounded to `decimals`;
//   - T   = (calibration end day − first purchase day) / periodDays, rounded likewise;
//   - zbar = mean value of the repeat (merged) purchases, 0 when x = 0;
//   - holdoutX = distinct purchase days after the calibration end, up to the holdout end (both inclusive days).
// Customers whose first purchase falls after the calibration end are not part of the calibration cohort.
import { DAY_MS } from '../time/index.ts';

export interface Transaction {
  customerId: string;
  at: Date;
  value: number;
}

/** The recency/frequency/monetary summary the models consume; times are in periods (weeks by default). */
export interface RecencyFrequency {
  x: number;
  tx: number;
  T: number;
}

export interface CustomerSummary extends RecencyFrequency {
  customerId: string;
  /** Mean value of the repeat purchases; 0 when x = 0. */
  zbar: number;
  /** Day of the first purchase (UTC midnight of that calendar day). */
  firstPurchase: Date;
  /** Purchase days in the holdout period; present only when a holdout end was given. */
  holdoutX?: number;
}

export interface SummaryOptions {
  /** Last day of the calibration period, inclusive. Only its UTC calendar date matters. */
  calibrationEnd: Date;
  /** Last day of the holdout period, inclusive (UTC calendar date). */
  holdoutEnd?: Date;
  /** Offset of the shop's local day from UTC, for deciding which calendar day a purchase falls on. Default 0. */
  utcOffsetMinutes?: number;
  /** Length of the model's time unit in days. Default 7 (weeks). */
  periodDays?: number;
  /** Decimals t_x and T are rounded to. Default 2. */
  decimals?: number;
}

function calendarDay(d: Date, what: string): number {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid date`);
  return Math.floor(ms / DAY_MS);
}

/** Summarises transactions per customer. Output is sorted by first purchase day, then customer id. */
export function summarizeTransactions(transactions: Iterable<Transaction>, options: SummaryOptions): CustomerSummary[] {
  const calEnd = calendarDay(options.calibrationEnd, 'calibrationEnd');
  const holdEnd = options.holdoutEnd === undefined ? undefined : calendarDay(options.holdoutEnd, 'holdoutEnd');
  if (holdEnd !== undefined && holdEnd < calEnd) throw new RangeError('holdoutEnd is before calibrationEnd');
  const offsetMs = (options.utcOffsetMinutes ?? 0) * 60_000;
  const periodDays = options.periodDays ?? 7;
  if (!(periodDays > 0)) throw new RangeError('periodDays must be positive');
  const scale = 10 ** (options.decimals ?? 2);
  const toPeriods = (days: number) => Math.round((days * scale) / periodDays) / scale;

  // customer → (calendar day → merged value)
  const days = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    const ms = t.at.getTime();
    if (!Number.isFinite(ms)) throw new RangeError(`transaction of customer ${t.customerId} has an invalid date`);
    if (!Number.isFinite(t.value))
      throw new RangeError(`transaction of customer ${t.customerId} has a non-finite value`);
    const day = Math.floor((ms + offsetMs) / DAY_MS);
    if (holdEnd !== undefined ? day > holdEnd : day > calEnd) continue;
    let perDay = days.get(t.customerId);
    if (!perDay) days.set(t.customerId, (perDay = new Map()));
    perDay.set(day, (perDay.get(day) ?? 0) + t.value);
  }

  const out: CustomerSummary[] = [];
  for (const [customerId, perDay] of days) {
    const sorted = [...perDay.keys()].sort((a, b) => a - b);
    const first = sorted[0];
    if (first > calEnd) continue; // joined during the holdout: not in the calibration cohort
    let x = 0;
    let last = first;
    let repeatValue = 0;
    let holdoutX = 0;
    for (let i = 1; i < sorted.length; i++) {
      const day = sorted[i];
      if (day <= calEnd) {
        x++;
        last = day;
        repeatValue += perDay.get(day)!;
      } else holdoutX++;
    }
    const s: CustomerSummary = {
      customerId,
      x,
      tx: toPeriods(last - first),
      T: toPeriods(calEnd - first),
      zbar: x > 0 ? repeatValue / x : 0,
      firstPurchase: new Date(first * DAY_MS),
    };
    if (holdEnd !== undefined) s.holdoutX = holdoutX;
    out.push(s);
  }
  return out.sort(
    (a, b) =>
      a.firstPurchase.getTime() - b.firstPurchase.getTime() ||
      (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0),
  );
}

/**
 * Sufficient statistics: the distinct (x, t_x, T) triples and how many customers share each. The BG/NBD likelihood,
 * P(alive) and conditional expectations depend on a customer only through the triple, so fitting and scoring cost
 * O(distinct triples) instead of O(customers).
 */
export interface GroupedSummaries {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  count: Float64Array;
  /** Number of distinct triples. */
  size: number;
  /** Number of customers (sum of counts). */
  customers: number;
  /** For each input row, the index of its triple — to map per-triple scores back to customers. */
  rowGroup: Uint32Array;
}

export function groupSummaries(rows: ArrayLike<RecencyFrequency>): GroupedSummaries {
  const n = rows.length;
  // pass 1: validate, and number the distinct t_x and T values, so that a triple gets a numeric key
  const txId = new Map<number, number>();
  const TId = new Map<number, number>();
  let maxX = 0;
  for (let i = 0; i < n; i++) {
    const { x, tx, T } = rows[i];
    if (!(Number.isInteger(x) && x >= 0) || !(tx >= 0) || !(T >= tx) || !Number.isFinite(T)) {
      throw new RangeError(`row ${i}: need integer x ≥ 0 and 0 ≤ t_x ≤ T (got x=${x}, t_x=${tx}, T=${T})`);
    }
    if (x === 0 && tx !== 0) throw new RangeError(`row ${i}: t_x must be 0 when x = 0 (got ${tx})`);
    if (!txId.has(tx)) txId.set(tx, txId.size);
    if (!TId.has(T)) TId.set(T, TId.size);
    if (x > maxX) maxX = x;
  }
  const numeric = TId.size * txId.size * (maxX + 1) < Number.MAX_SAFE_INTEGER;
  const keyOf = (x: number, tx: number, T: number): number | string =>
    numeric ? (TId.get(T)! * txId.size + txId.get(tx)!) * (maxX + 1) + x : `${x}|${tx}|${T}`;
  // pass 2: group
  const rowGroup = new Uint32Array(n);
  const index = new Map<number | string, number>();
  const xs: number[] = [];
  const txs: number[] = [];
  const Ts: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const { x, tx, T } = rows[i];
    const key = keyOf(x, tx, T);
    let g = index.get(key);
    if (g === undefined) {
      g = xs.length;
      index.set(key, g);
      xs.push(x);
      txs.push(tx);
      Ts.push(T);
      counts.push(0);
    }
    counts[g]++;
    rowGroup[i] = g;
  }
  return {
    x: Float64Array.from(xs),
    tx: Float64Array.from(txs),
    T: Float64Array.from(Ts),
    count: Float64Array.from(counts),
    size: xs.length,
    customers: n,
    rowGroup,
  };
}
