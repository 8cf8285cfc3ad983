// Money in the database: the workspace's currency settings (currency_settings, 019_currency.sql), the base currency
// when none was set, and the SQL that reads an order's currency.
import type { Queryable } from '../store/index.ts';
import { isCurrencyCode, type CurrencySettings, type Rate } from './currency.ts';
import { applyCurrencyPatch, type CurrencySettingsPatch } from './settings.ts';

/** The base currency when nothing says otherwise. */
export const DEFAULT_BASE = 'USD';

/**
 * SQL: an order's currency as every report reads it: the code sent, trimmed and upper-cased; `fallback` (the base
 * currency) when the order came without one. The same expression as the index orders_currency.
 */
export const orderCurrencySql = (column: string, fallback: string) =>
  `COALESCE(NULLIF(upper(btrim(${column})), ''), ${fallback})`;

/** Where the base currency comes from: the settings, the one currency all orders so far are in, or the default. */
export type BaseSource = 'settings' | 'orders' | 'default';

export interface CurrencyInForce extends CurrencySettings {
  source: BaseSource;
  /** The one currency all the workspace's orders are in (those without one count in the base); null when several. */
  sole: string | null;
}

/** The single code in the bounds of the orders' currencies, or null when there are several (pure). */
export function soleCurrency(lo: string | null, hi: string | null, anyWithout: boolean, base: string): string | null {
  const codes = new Set([lo, hi, anyWithout ? base : null].filter((c): c is string => c !== null));
  return codes.size === 0 ? base : codes.size === 1 ? [...codes][0]! : null;
}

/**
 * The settings in force, in one round trip: the stored row, and the lowest and highest currency of the orders and
 * whether any order has none (three probes of orders_currency: NULLs sort last, so the first entry of a backward scan
 * is NULL when any order has no currency, whatever the planner's statistics). Without settings, the base is the one currency all
 * orders are in (a shop selling in GBP only reports in GBP without being told), else USD.
 */
export async function currencyInForce(db: Queryable, ws: string): Promise<CurrencyInForce> {
  const [row] = await db.query<{
    base: string | null;
    rates: Record<string, Rate> | null;
    lo: string | null;
    hi: string | null;
    without: boolean;
  }>(
    `SELECT s.base, s.rates,
            (SELECT min(NULLIF(upper(btrim(o.currency)), '')) FROM orders o WHERE o.workspace_id = $1) AS lo,
            (SELECT max(NULLIF(upper(btrim(o.currency)), '')) FROM orders o WHERE o.workspace_id = $1) AS hi,
            COALESCE((SELECT NULLIF(upper(btrim(o.currency)), '') IS NULL FROM orders o WHERE o.workspace_id = $1
                      ORDER BY NULLIF(upper(btrim(o.currency)), '') DESC NULLS FIRST LIMIT 1), false) AS without
     FROM (SELECT 1) one LEFT JOIN currency_settings s ON s.workspace_id = $1`,
    [ws],
  );
  const { lo, hi, without } = row!;
  if (row!.base)
    return {
      base: row!.base,
      rates: row!.rates ?? {},
      source: 'settings',
      sole: soleCurrency(lo, hi, without, row!.base),
    };
  const fromOrders = lo !== null && lo === hi && isCurrencyCode(lo) ? lo : null;
  const base = fromOrders ?? DEFAULT_BASE;
  return { base, rates: {}, source: fromOrders ? 'orders' : 'default', sole: soleCurrency(lo, hi, without, base) };
}

/** Applies a change (see settings.ts) to the settings in force and stores the result. */
export async function putCurrencySettings(
  db: Queryable,
  ws: string,
  patch: CurrencySettingsPatch,
  now: Date,
): Promise<CurrencyInForce> {
  const next = applyCurrencyPatch(await currencyInForce(db, ws), patch, now);
  await db.query(
    `INSERT INTO currency_settings (workspace_id, base, rates, updated_at) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (workspace_id) DO UPDATE SET base = excluded.base, rates = excluded.rates, updated_at = excluded.updated_at`,
    [ws, next.base, JSON.stringify(next.rates), now],
  );
  return currencyInForce(db, ws);
}
