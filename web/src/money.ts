// Money in the dashboard: the server's shapes (a figure in the base currency with its amounts per currency, the note
// saying what it is in) and amounts formatted with Intl, always with their currency code.
import type { ByCurrency, MoneyNote, Rate } from '../../src/money/currency.ts';
import type { BaseSource } from '../../src/money/store.ts';
export type { ByCurrency, MoneyNote, Rate, BaseSource };

/** A revenue figure as reports give it: in the note's currency, and per currency as the orders were sent. */
export interface MoneyFigure {
  revenue: number;
  revenueByCurrency: ByCurrency;
}

export interface CurrencySettings {
  base: string;
  rates: Record<string, Rate>;
  source: BaseSource;
}

const formats = new Map<string, Intl.NumberFormat | null>();
const plain = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "EUR 1,234.50" in the reader's locale; a currency sent as something that is not a code ("€") as "1,234.50 €". */
export function formatAmount(amount: number, currency: string): string {
  if (!formats.has(currency)) {
    try {
      formats.set(currency, new Intl.NumberFormat(undefined, { style: 'currency', currency, currencyDisplay: 'code' }));
    } catch {
      formats.set(currency, null);
    }
  }
  return formats.get(currency)?.format(amount) ?? `${plain.format(amount)} ${currency}`;
}

/** The amounts of a figure in other currencies than the note's, each with its rate or none. */
export function otherCurrencies(figure: MoneyFigure, note: MoneyNote): { currency: string; amount: number; rate: Rate | null }[] {
  return Object.entries(figure.revenueByCurrency)
    .filter(([c]) => c !== note.currency)
    .map(([currency, amount]) => ({ currency, amount, rate: note.rates[currency] ?? null }));
}

/** Every ISO 4217 code the browser knows, for the currency pickers. */
export const CURRENCY_CODES: string[] = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('currency') ?? ['EUR', 'GBP', 'PLN', 'USD'];
