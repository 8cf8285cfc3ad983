// Money in the dashboard: the server's shapes (a figure in the base currency with its amounts per currency, the note
// saying what it is in) and amounts formatted with Intl, always with their currency code.
import { numberFormat } from './format';
import { currentLocale } from './i18n';
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

/** "EUR 1,234.50" in the reader's locale; a currency sent as something that is not a code ("€") as "1,234.50 €". */
export function formatAmount(amount: number, currency: string): string {
  const key = `${currentLocale()} ${currency}`;
  if (!formats.has(key)) {
    try {
      formats.set(
        key,
        new Intl.NumberFormat(currentLocale(), { style: 'currency', currency, currencyDisplay: 'code' }),
      );
    } catch {
      formats.set(key, null);
    }
  }
  return (
    formats.get(key)?.format(amount) ??
    `${numberFormat({ minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount)} ${currency}`
  );
}

/** The amounts of a figure in other currencies than the note's, each with its rate or none. */
export function otherCurrencies(
  figure: MoneyFigure,
  note: MoneyNote,
): { currency: string; amount: number; rate: Rate | null }[] {
  return Object.entries(figure.revenueByCurrency)
    .filter(([c]) => c !== note.currency)
    .map(([currency, amount]) => ({ currency, amount, rate: note.rates[currency] ?? null }));
}

/** Every ISO 4217 code the browser knows, for the currency pickers. */
export const CURRENCY_CODES: string[] = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.(
  'currency',
) ?? ['EUR', 'GBP', 'PLN', 'USD'];
