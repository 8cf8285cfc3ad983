// Display formatting helpers: dates, numbers, money, event labels and customer names, in the dashboard's language.
import { currentLocale, t } from './i18n';
import type { Customer, RetainEvent } from './types';

const formats = new Map<string, Intl.NumberFormat>();
/** A number format for the chosen locale, made once per locale and options. */
export function numberFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${currentLocale()} ${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.NumberFormat(currentLocale(), options)));
  return f;
}
const MONEY = { minimumFractionDigits: 2, maximumFractionDigits: 2 };

export const EMPTY = '—';

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return EMPTY;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(currentLocale());
}

export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? EMPTY : numberFormat().format(n);
}

export function formatMoney(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? EMPTY : numberFormat(MONEY).format(n);
}

/** Event name for track events, the event type for everything else. */
export function eventLabel(e: RetainEvent): string {
  return e.type === 'track' ? (e.name ?? 'track') : e.type;
}

export function customerTitle(c: Customer): string {
  return c.name ?? c.userId ?? c.email ?? t('customer.anonymous', { id: c.anonymousIds[0] ?? c.id });
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return EMPTY;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Order id and total from an `Order Completed` event's properties (Segment/RudderStack spec names). */
export function orderInfo(e: RetainEvent): { orderId: string; total: string } | null {
  if (e.type !== 'track' || e.name !== 'Order Completed') return null;
  const p = e.properties ?? {};
  const id = p.order_id ?? p.orderId;
  const rawTotal = p.total ?? p.revenue;
  const total = typeof rawTotal === 'number' ? rawTotal : typeof rawTotal === 'string' ? Number(rawTotal) : NaN;
  return {
    orderId: id === undefined || id === null ? EMPTY : String(id),
    total: Number.isFinite(total) ? formatMoney(total) : EMPTY,
  };
}

const PERCENT = { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 } as const;

/** A rate 0…1 as "12.5%"; null (nothing to divide by) as a dash. */
export function formatPercent(rate: number | null | undefined): string {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? EMPTY : numberFormat(PERCENT).format(rate);
}

/** A figure with two decimals ("1.25", "1,25"). */
export function formatDecimal(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? EMPTY : numberFormat(MONEY).format(n);
}

/** A figure with exactly `digits` decimals in the chosen locale. */
export function formatFixed(n: number, digits: number): string {
  return numberFormat({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}
