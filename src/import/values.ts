// Value parsing (pure): dates in the formats exports use, numbers, and light typing of free-form CSV columns.
import { zonedToUtc } from './zone.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const DATE_HINT =
  'not a date: use ISO 8601 (2026-11-24, 2026-11-24 10:00, 2026-11-24T10:00:00Z), YYYYMMDD or Unix seconds';

/** True when the text is absent or blank. */
export const blank = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Reads a date; times without an offset are wall-clock times in `zone` (default UTC). */
export function parseDate(raw: unknown, zone = 'UTC'): Parsed<Date> {
  if (typeof raw === 'number') return fromEpoch(raw);
  if (typeof raw !== 'string') return { ok: false, reason: DATE_HINT };
  const s = raw.trim();
  let m = /^(\d{4})-?(\d{2})-?(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/.exec(s);
  if (m)
    return wallClock(
      +m[1]!,
      +m[2]!,
      +m[3]!,
      +(m[4] ?? 0),
      +(m[5] ?? 0),
      +(m[6] ?? 0),
      m[7] ? Math.round(Number('0.' + m[7]) * 1000) : 0,
      zone,
    );
  // Month first, as in the original UCI Online Retail sheet and US exports: 12/1/2010 8:26
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) return wallClock(+m[3]!, +m[1]!, +m[2]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), 0, zone);
  if (/^\d{9,10}(\.\d+)?$/.test(s)) return fromEpoch(Number(s));
  if (/^\d{12,13}$/.test(s)) return fromEpoch(Number(s) / 1000);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s)) {
    const t = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (!Number.isNaN(t)) return { ok: true, value: new Date(t) };
  }
  return { ok: false, reason: DATE_HINT };
}

function fromEpoch(seconds: number): Parsed<Date> {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? { ok: false, reason: DATE_HINT } : { ok: true, value: d };
}

function wallClock(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  zone: string,
): Parsed<Date> {
  const check = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59 || check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) {
    return { ok: false, reason: DATE_HINT };
  }
  return { ok: true, value: zonedToUtc(y, mo, d, h, mi, s, ms, zone) };
}

/** Reads a number ('1,234.5' is refused: thousands separators are ambiguous). */
export function parseNumber(raw: unknown): Parsed<number> {
  if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: raw };
  if (typeof raw === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(raw))
    return { ok: true, value: Number(raw) };
  return { ok: false, reason: 'not a number (use a dot for decimals and no thousands separators)' };
}

/** An identifier as text: 17850.0 (a spreadsheet's float) becomes 17850. */
export function idText(raw: unknown): string | null {
  if (blank(raw)) return null;
  const s = String(raw).trim();
  return /^\d+\.0+$/.test(s) ? s.slice(0, s.indexOf('.')) : s;
}

/**
 * Light typing of free-form CSV values for traits and properties: plain decimals become numbers, true/false booleans.
 * Text that a number would damage stays text: leading zeros (zip codes), long digit strings (ids, phone numbers).
 */
export function typed(raw: string): unknown {
  const s = raw.trim();
  if (s === 'true' || s === 'false') return s === 'true';
  if (/^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(s)) return Number(s);
  return raw;
}

export const cents = (n: number) => Math.round(n * 100) / 100;
