// Money (pure): ISO 4217 codes, the workspace's base currency and its rates, and how amounts summed per currency become
// one figure in the base currency. Nothing is ever added across currencies without a rate: a currency with no rate
// stays in the per-currency figures and is named as not converted.

/** The ISO 4217 codes this runtime knows (Intl's list: the current codes and a few historic ones). */
const CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const isCurrencyCode = (s: string): boolean => CODES.has(s);

/** What one unit of a currency is worth in the base currency, and the day that rate is from (YYYY-MM-DD). */
export interface Rate {
  rate: number;
  date: string;
}

export interface CurrencySettings {
  /** ISO 4217 code of the currency every converted figure is in. */
  base: string;
  /** Per currency code (never the base itself): 1 unit = `rate` units of the base. */
  rates: Record<string, Rate>;
}

/** Amounts per currency code as the orders were sent (an order without a currency is in the base currency). */
export type ByCurrency = Record<string, number>;

/** What a report's money figures are in: the base currency, the rates used and the currencies left out for want of one. */
export interface MoneyNote {
  currency: string;
  rates: Record<string, Rate>;
  unconverted: string[];
}

/** Money to the cent (float sums drift by a few ulps). */
export const cents = (x: number): number => Math.round(x * 100) / 100;

/** The amounts to the cent, without the currencies that come to nothing (a fully refunded order's, say). */
export function byCurrency(amounts: Iterable<[string, number]>): ByCurrency {
  const sum = new Map<string, number>();
  for (const [code, amount] of amounts) sum.set(code, (sum.get(code) ?? 0) + amount);
  const out: ByCurrency = {};
  for (const code of [...sum.keys()].sort()) {
    const v = cents(sum.get(code)!);
    if (v !== 0) out[code] = v;
  }
  return out;
}

/** Adds figures currency by currency (totals of rows). */
export const addByCurrency = (figures: ByCurrency[]): ByCurrency =>
  byCurrency(figures.flatMap((f) => Object.entries(f)));

/** The figure in the base currency: the base's own amount plus each other currency at its rate; currencies without a rate are left out. */
export function toBase(amounts: ByCurrency, s: CurrencySettings): number {
  let total = 0;
  for (const [code, amount] of Object.entries(amounts)) {
    if (code === s.base) total += amount;
    else if (s.rates[code]) total += cents(amount * s.rates[code].rate);
  }
  return cents(total);
}

/** The note for figures: the rates that were used, and the currencies that had none (in per-currency figures only). */
export function moneyNote(figures: ByCurrency[], s: CurrencySettings): MoneyNote {
  const codes = [...new Set(figures.flatMap((f) => Object.keys(f)))].filter((c) => c !== s.base).sort();
  const rates: Record<string, Rate> = {};
  for (const c of codes) if (s.rates[c]) rates[c] = s.rates[c];
  return { currency: s.base, rates, unconverted: codes.filter((c) => !s.rates[c]) };
}
