// Calendar days (pure) for the metrics: UTC days as YYYY-MM-DD, the default range, every day of a range.
import { DAY_MS } from '../../time/index.ts';

const FORMAT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day's midnight (UTC), or null when it is not a real YYYY-MM-DD date (2026-02-30 is not). */
export function parseDay(s: string): Date | null {
  const m = FORMAT.exec(s);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s ? d : null;
}

export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
export const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY_MS);

/** The last `days` days up to now's day, both ends included. */
export function lastDays(now: Date, days = 30): { from: string; to: string } {
  return { from: dayOf(addDays(now, -(days - 1))), to: dayOf(now) };
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = parseDay(from)!, end = parseDay(to)!; d <= end; d = addDays(d, 1)) out.push(dayOf(d));
  return out;
}

/** How many days the range spans, both ends included. */
export const spanDays = (from: string, to: string) =>
  Math.round((parseDay(to)!.getTime() - parseDay(from)!.getTime()) / DAY_MS) + 1;
