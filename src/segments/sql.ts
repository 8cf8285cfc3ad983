// Segment SQL pieces (pure): numbered parameters, safe reads of trait text as numbers and dates, number comparisons and
// the day arithmetic that the condition handlers (./conditions/) compile to.
import { assertNever } from '../lib/index.ts';
import type { NumberOp } from './schema.ts';
import { DAY_MS } from '../time/index.ts';

/** Numbered parameters after the workspace ($1); each value is cast explicitly so both backends type it alike. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length + 1}::${cast}`;
  }
}

// ---- reading traits safely: a bad value makes the leaf false, never the query fail ----
const NUM_RE = String.raw`^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d{1,3})?\s*$`;
const DATE_RE = String.raw`^[12]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?([Zz]|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?)?$`;
const ZONE_RE = String.raw`\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d(:?\d\d)?)$`;
export const asNumber = (s: string) => `(CASE WHEN ${s} ~ '${NUM_RE}' THEN (${s})::numeric END)`;
/** A trait text → timestamptz: "YYYY-MM-DD" is that UTC day, a time without zone is UTC; invalid dates → NULL. */
export const asTimestamp = (s: string) => `(CASE WHEN NOT ${s} ~ '${DATE_RE}' THEN NULL
  WHEN substr(${s}, 9, 2)::int > extract(day from make_date(substr(${s}, 1, 4)::int, substr(${s}, 6, 2)::int, 1) + interval '1 month - 1 day') THEN NULL
  WHEN ${s} ~ '${ZONE_RE}' THEN (${s})::timestamptz ELSE (${s})::timestamp AT TIME ZONE 'UTC' END)`;
export const utcDate = (ts: string) => `((${ts}) AT TIME ZONE 'UTC')::date`;

const NUMBER_SQL: Record<Exclude<NumberOp, 'between'>, string> = {
  equals: '=',
  not_equals: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

export function numberCompare(
  expr: string,
  op: NumberOp,
  value: number | [number, number],
  p: Params,
  cast = 'numeric',
): string {
  if (op === 'between') {
    const [lo, hi] = value as [number, number];
    return `${expr} BETWEEN ${p.add(lo, cast)} AND ${p.add(hi, cast)}`;
  }
  if (op === 'not_equals') return `NOT COALESCE(${expr} = ${p.add(value, cast)}, false)`;
  return `${expr} ${NUMBER_SQL[op]} ${p.add(value, cast)}`;
}

/**
 * "days since t" counts whole days: floor((now − t) / 24 h). Every number op on it is a range of t:
 * t ≤ now − atLeast days (at least that many days ago) and t > now − under days (fewer than that many days ago).
 */
export function daysSinceRange(
  op: NumberOp,
  value: number | [number, number],
): { atLeast?: number; under?: number; negate?: boolean } {
  const n = value as number;
  switch (op) {
    case 'gte':
      return { atLeast: n };
    case 'gt':
      return { atLeast: n + 1 };
    case 'lte':
      return { under: n + 1 };
    case 'lt':
      return { under: n };
    case 'equals':
      return { atLeast: n, under: n + 1 };
    case 'not_equals':
      return { atLeast: n, under: n + 1, negate: true };
    case 'between': {
      const [lo, hi] = value as [number, number];
      return { atLeast: lo, under: hi + 1 };
    }
    default:
      return assertNever(op, 'number op');
  }
}

/** Month-day strings ("MM-DD") whose anniversary is celebrated on the given UTC days; 29 Feb is kept on 28 Feb in non-leap years. */
export function anniversaryDays(now: Date, days: number, within: boolean): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const out = new Set<string>();
  for (let i = within ? 0 : days; i <= days; i++) {
    const d = new Date(today + i * DAY_MS);
    const md = d.toISOString().slice(5, 10);
    out.add(md);
    const y = d.getUTCFullYear();
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    if (md === '02-28' && !leap) out.add('02-29');
  }
  return [...out].sort();
}

/** The event's counter name: the event name for track, the message type otherwise (as customer_event_counters). */
export const EVENT_NAME = `(CASE WHEN e.type = 'track' THEN e.name ELSE e.type END)`;
