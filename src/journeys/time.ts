// Journey time rules (pure): durations, local time windows, dates at a local time, yearly anniversaries and cron
// schedules, all in the customer's IANA zone and DST-correct. The clock is always an argument.
import { DateTime, Duration, IANAZone } from 'luxon';
import { Cron } from 'croner';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function durationError(iso: string): string | null {
  const d = typeof iso === 'string' && iso.startsWith('P') ? Duration.fromISO(iso) : null;
  if (!d || !d.isValid || d.toMillis() < 0) return 'a duration like "PT1H" or "P14D" (ISO 8601)';
  return null;
}

/** Calendar units (days, weeks, months, years) keep the local wall-clock time in `zone`; clock units are exact. */
export function addDuration(from: Date, iso: string, zone: string): Date {
  const d = Duration.fromISO(iso);
  const { years, months, weeks, days, hours, minutes, seconds, milliseconds } = d.toObject();
  const local = DateTime.fromJSDate(from, { zone }).plus({ years, months, weeks, days });
  return new Date(local.toMillis() + Duration.fromObject({ hours, minutes, seconds, milliseconds }).toMillis());
}

export function timeOfDayError(hhmm: string): string | null {
  return typeof hhmm === 'string' && HHMM.test(hhmm) ? null : 'a time of day as HH:mm, 00:00 to 23:59';
}

export function isValidZone(zone: string): boolean {
  return typeof zone === 'string' && IANAZone.isValidZone(zone);
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A local date-time in zone; a time in a DST gap moves forward (luxon's rule), an ambiguous one takes the earlier. */
function localInstant(zone: string, y: number, m: number, d: number, minutes: number): DateTime {
  return DateTime.fromObject({ year: y, month: m, day: d, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone });
}

/** The first instant ≥ at inside the local window [from, to) on an allowed weekday (1 = Monday … 7 = Sunday). */
export function nextInWindow(at: Date, zone: string, window: { from: string; to: string; weekdays?: number[] }): Date {
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  const days = window.weekdays?.length ? new Set(window.weekdays) : null;
  const start = DateTime.fromJSDate(at, { zone });
  // A window crossing midnight (22:00–06:00) belongs to the weekday it starts on: look from yesterday on.
  for (let offset = -1; offset <= 8; offset++) {
    const day = start.startOf('day').plus({ days: offset });
    if (days && !days.has(day.weekday)) continue;
    const open = localInstant(zone, day.year, day.month, day.day, from);
    const close = to > from ? localInstant(zone, day.year, day.month, day.day, to) : localInstant(zone, day.year, day.month, day.day, to).plus({ days: 1 });
    if (close <= start) continue;
    return open <= start ? at : open.toJSDate();
  }
  return at; // unreachable with a valid window
}

export function calendarDate(value: unknown): { year: number; month: number; day: number } | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return { year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate() };
  }
  if (typeof value !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(value.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = DateTime.fromObject({ year, month, day }, { zone: 'UTC' });
  return check.isValid ? { year, month, day } : null;
}

export function atLocalTime(date: unknown, offsetDays: number, hhmm: string, zone: string): Date | null {
  const c = calendarDate(date);
  if (!c) return null;
  const day = DateTime.fromObject(c, { zone: 'UTC' }).plus({ days: offsetDays });
  return localInstant(zone, day.year, day.month, day.day, minutesOf(hhmm)).toJSDate();
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The anniversary of month/day in `year` (29 February → 28 February in a common year). */
function anniversary(year: number, month: number, day: number) {
  return month === 2 && day === 29 && !isLeap(year) ? { year, month: 2, day: 28 } : { year, month, day };
}

export function anniversaryFire(date: unknown, offsetDays: number, hhmm: string, zone: string, after: Date, upTo: Date): Date | null {
  const c = calendarDate(date);
  if (!c) return null;
  const first = DateTime.fromJSDate(after, { zone }).year - 2;
  const last = DateTime.fromJSDate(upTo, { zone }).year + 2;
  for (let y = first; y <= last; y++) {
    const a = anniversary(y, c.month, c.day);
    const fire = atLocalTime(`${a.year}-${String(a.month).padStart(2, '0')}-${String(a.day).padStart(2, '0')}`, offsetDays, hhmm, zone)!;
    if (fire > after && fire <= upTo) return fire;
  }
  return null;
}

export function dateFire(date: unknown, offsetDays: number, hhmm: string, zone: string, after: Date, upTo: Date): Date | null {
  const fire = atLocalTime(date, offsetDays, hhmm, zone);
  return fire && fire > after && fire <= upTo ? fire : null;
}

/** Every calendar date some zone (UTC−12 … UTC+14) is on during (after, upTo]. */
function localDates(after: Date, upTo: Date): DateTime[] {
  const first = DateTime.fromJSDate(after, { zone: 'UTC' }).minus({ hours: 12 }).startOf('day');
  const last = DateTime.fromJSDate(upTo, { zone: 'UTC' }).plus({ hours: 14 }).startOf('day');
  const out: DateTime[] = [];
  for (let d = first; d <= last; d = d.plus({ days: 1 })) out.push(d);
  return out;
}

export function anniversaryMonthDays(offsetDays: number, after: Date, upTo: Date): string[] {
  const out = new Set<string>();
  for (const d of localDates(after, upTo)) {
    const a = d.minus({ days: offsetDays });
    out.add(a.toFormat('MM-dd'));
    if (a.month === 2 && a.day === 28 && !isLeap(a.year)) out.add('02-29');
  }
  return [...out].sort();
}

export function candidateDates(offsetDays: number, after: Date, upTo: Date): string[] {
  return [...new Set(localDates(after, upTo).map((d) => d.minus({ days: offsetDays }).toFormat('yyyy-MM-dd')))].sort();
}

export function cronError(pattern: string): string | null {
  try {
    if (typeof pattern !== 'string' || pattern.trim().split(/\s+/).length < 5) throw new Error('5 fields');
    new Cron(pattern, { paused: true });
    return null;
  } catch {
    return 'a cron pattern of 5 fields: minute hour day-of-month month day-of-week, e.g. "0 10 * * 1" (Mondays 10:00)';
  }
}

export function cronOccurrences(pattern: string, zone: string, after: Date, upTo: Date, max = 1000): Date[] {
  const cron = new Cron(pattern, { paused: true, timezone: zone });
  const out: Date[] = [];
  let cursor: Date | null = after;
  while (out.length < max) {
    cursor = cron.nextRun(cursor);
    if (!cursor || cursor > upTo) break;
    out.push(cursor);
  }
  return out;
}
