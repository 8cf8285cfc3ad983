// Time rules (pure): durations, local time windows, dates at a local time, yearly anniversaries and cron schedules,
// all in the customer's IANA zone and DST-correct. The clock is always an argument. Journeys and messaging use them.
import { DateTime, Duration, IANAZone } from 'luxon';
import { Cron } from 'croner';
import { DAY_MS } from './instants.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** ISO 8601 durations as journeys write them: PnYnMnWnDTnHnMnS, at least one part, no sign. */
const ISO_DURATION =
  /^P(?=\d|T\d)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;

type CalendarDate = { year: number; month: number; day: number };
type Wall = CalendarDate & { hour: number; minute: number; second?: number; millisecond?: number };

/** null if valid, else a message saying what is wrong. */
export function durationError(iso: string): string | null {
  return typeof iso === 'string' && ISO_DURATION.test(iso) && Duration.fromISO(iso).isValid
    ? null
    : 'a duration like "PT1H" or "P14D" (ISO 8601)';
}

/**
 * from + an ISO 8601 duration. Calendar units (years, months, weeks, days) move the local wall clock in `zone`, so P1D
 * from 10:00 is 10:00 the next day across a DST change (P1M from 31 January is 28/29 February); clock units (hours,
 * minutes, seconds) are then added as exact elapsed time.
 */
export function addDuration(from: Date, iso: string, zone: string): Date {
  const error = durationError(iso);
  if (error) throw new RangeError(`${JSON.stringify(iso)} is not ${error}`);
  const {
    years = 0,
    months = 0,
    weeks = 0,
    days = 0,
    hours = 0,
    minutes = 0,
    seconds = 0,
  } = Duration.fromISO(iso).toObject();
  let instant = from;
  if (years || months || weeks || days) {
    const local = DateTime.fromJSDate(from, { zone: ianaZone(zone) });
    const moved = DateTime.fromObject(wallOf(local), { zone: 'UTC' }).plus({ years, months, weeks, days });
    instant = localInstant(zone, wallOf(moved));
  }
  return new Date(instant.getTime() + Duration.fromObject({ hours, minutes, seconds }).toMillis());
}

/** 'HH:mm' 24h check: null if valid, else a message. */
export function timeOfDayError(hhmm: string): string | null {
  return typeof hhmm === 'string' && HHMM.test(hhmm) ? null : 'a time of day as HH:mm, 00:00 to 23:59';
}

/** true for a zone luxon knows ('Europe/Warsaw', 'UTC', 'America/New_York'…). */
const zoneValidity = new Map<string, boolean>();
export function isValidZone(zone: string): boolean {
  if (typeof zone !== 'string') return false;
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    // Zone names come from customers' data: remember a bounded number (luxon's check builds a formatter each time).
    if (zoneValidity.size < 10_000) zoneValidity.set(zone, valid);
  }
  return valid;
}

/**
 * The zone a customer's times are in: their own when it is a zone luxon knows (customers send any text), else the
 * workspace's. The one rule for dates, schedules and the runner.
 */
export function customerZone(own: string | null | undefined, workspaceZone: string): string {
  return own && isValidZone(own) ? own : workspaceZone;
}

/**
 * The first instant ≥ at inside the local window [from, to) on an allowed weekday (1 = Monday … 7 = Sunday; none =
 * every day), in zone; `at` itself when already inside. A window with to ≤ from crosses midnight (22:00–06:00) and
 * belongs to the weekday it opens on (Friday's 22:00–06:00 runs into Saturday morning).
 */
export function nextInWindow(at: Date, zone: string, window: { from: string; to: string; weekdays?: number[] }): Date {
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  const allowed = window.weekdays?.length ? new Set(window.weekdays) : null;
  const local = DateTime.fromJSDate(at, { zone: ianaZone(zone) });
  const today = DateTime.utc(local.year, local.month, local.day); // a calendar date, free of the zone's midnight quirks
  // From yesterday (its window may still be open past midnight) to a week ahead: every weekday comes up once.
  for (let offset = -1; offset <= 7; offset++) {
    const day = today.plus({ days: offset });
    if (allowed && !allowed.has(day.weekday)) continue;
    const open = localInstant(zone, { ...dateOf(day), ...hourMinute(from) });
    const close = localInstant(zone, { ...dateOf(to > from ? day : day.plus({ days: 1 })), ...hourMinute(to) });
    if (close <= at) continue;
    return open <= at ? at : open;
  }
  throw new RangeError(`no allowed weekday in ${JSON.stringify(window.weekdays)} (1 = Monday … 7 = Sunday)`);
}

/**
 * A date value as customers send them: 'YYYY-MM-DD', a full ISO timestamp (its calendar date as written, in its own
 * offset: '2026-11-30T23:30:00-05:00' is 30 November) or a Date (its UTC calendar date); null if unparseable.
 */
export function calendarDate(value: unknown): CalendarDate | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return { year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate() };
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const check = new Date(utcMillis(date.year, date.month, date.day));
  if (check.getUTCMonth() + 1 !== date.month || check.getUTCDate() !== date.day) return null; // 2027-02-29, 2026-13-01
  if (
    text.length > 10 &&
    !DateTime.fromISO(text, { setZone: true }).isValid &&
    !DateTime.fromSQL(text, { setZone: true }).isValid
  )
    return null;
  return date;
}

/**
 * The instant of (date + offsetDays) at local time hhmm in zone; null if the date is unparseable. A local time in a
 * DST gap moves forward to the first valid instant (02:30 on a spring-forward night is 03:00); an ambiguous one (the
 * repeated hour of a fall-back night) takes the earlier instant.
 */
export function atLocalTime(date: unknown, offsetDays: number, hhmm: string, zone: string): Date | null {
  const c = calendarDate(date);
  return c && fireAt(c, offsetDays, minutesOf(hhmm), zone);
}

/**
 * Yearly anniversary trigger: the instant in (after, upTo] at which "offsetDays from the anniversary of `date`, at hhmm
 * local in zone" happens (the earliest if several), or null. offsetDays = -3 is three days before; 29 February is
 * celebrated on 28 February in common years. An anniversary on 2 January with offset -3 fires on 30 December.
 */
export function anniversaryFire(
  date: unknown,
  offsetDays: number,
  hhmm: string,
  zone: string,
  after: Date,
  upTo: Date,
): Date | null {
  const c = calendarDate(date);
  if (!c) return null;
  const minutes = minutesOf(hhmm);
  // The anniversary is the fire date minus offsetDays: look at the years that spans, and one either side.
  const yearOf = (at: Date) => new Date(at.getTime() - offsetDays * DAY_MS).getUTCFullYear();
  for (let year = yearOf(after) - 1; year <= yearOf(upTo) + 1; year++) {
    const day = anniversaryIn(year, c);
    const roughly = utcMillis(day.year, day.month, day.day + offsetDays) + minutes * MINUTE; // as if in UTC
    if (roughly < after.getTime() - 15 * HOUR || roughly > upTo.getTime() + 15 * HOUR) continue; // no zone gets there
    const fire = fireAt(day, offsetDays, minutes, zone);
    if (fire > after && fire <= upTo) return fire;
  }
  return null;
}

/** One-off date trigger (payment due, renewal, warranty end): (date + offsetDays at hhmm in zone) if in (after, upTo]. */
export function dateFire(
  date: unknown,
  offsetDays: number,
  hhmm: string,
  zone: string,
  after: Date,
  upTo: Date,
): Date | null {
  const fire = atLocalTime(date, offsetDays, hhmm, zone);
  return fire && fire > after && fire <= upTo ? fire : null;
}

/**
 * Candidate pre-selection for SQL: the 'MM-DD' an anniversary date can have for anniversaryFire to fire in
 * (after, upTo] in any zone from UTC−12 to UTC+14; '02-29' whenever a common year's '02-28' is among them. Sorted.
 */
export function anniversaryMonthDays(offsetDays: number, after: Date, upTo: Date): string[] {
  const out = new Set<string>();
  for (const day of datesAnywhere(after, upTo)) {
    const anniversary = day.minus({ days: offsetDays });
    out.add(anniversary.toFormat('MM-dd'));
    if (anniversary.month === 2 && anniversary.day === 28 && !isLeap(anniversary.year)) out.add('02-29');
  }
  return [...out].sort();
}

/** Same pre-selection for one-off dates: the 'YYYY-MM-DD' a date can have to fire in (after, upTo] in any zone. */
export function candidateDates(offsetDays: number, after: Date, upTo: Date): string[] {
  return [
    ...new Set(datesAnywhere(after, upTo).map((day) => day.minus({ days: offsetDays }).toFormat('yyyy-MM-dd'))),
  ].sort();
}

/** null if croner accepts the pattern (5 fields, 6 with seconds first, or a nickname such as "@daily"), else a message. */
export function cronError(pattern: string): string | null {
  const expected =
    'a cron pattern "minute hour day-of-month month day-of-week" such as "0 10 * * 1" (Mondays at 10:00)';
  if (typeof pattern !== 'string') return expected;
  const fields = pattern.trim().split(/\s+/).length;
  if (!pattern.trim().startsWith('@') && fields !== 5 && fields !== 6) return `${expected}, not ${fields} field(s)`;
  try {
    new Cron(pattern, { paused: true });
    return null;
  } catch (e) {
    return `${expected}: ${(e as Error).message.replace(/^CronPattern: /, '')}`;
  }
}

/** Occurrences of the cron pattern in zone (croner's timezone option) in (after, upTo], oldest first, at most max. */
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

// ---- helpers ----

/** The zone, checked: a bad zone is a programming error here (definitions and customers are validated before). */
function ianaZone(zone: string): IANAZone {
  const tz = IANAZone.create(zone);
  if (!tz.isValid) throw new RangeError(`unknown time zone ${JSON.stringify(zone)}`);
  return tz;
}

function minutesOf(hhmm: string): number {
  const error = timeOfDayError(hhmm);
  if (error) throw new RangeError(`${JSON.stringify(hhmm)} is not ${error}`);
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

const hourMinute = (minutes: number) => ({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
const dateOf = (d: DateTime): CalendarDate => ({ year: d.year, month: d.month, day: d.day });
const wallOf = (d: DateTime): Wall => ({
  ...dateOf(d),
  hour: d.hour,
  minute: d.minute,
  second: d.second,
  millisecond: d.millisecond,
});
/** Milliseconds of a UTC wall time; days (and other parts) may overflow into the next month; years below 100 stay. */
function utcMillis(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millisecond);
  return d.getTime();
}
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The anniversary of a date in `year`: 29 February becomes 28 February in a common year. */
function anniversaryIn(year: number, c: CalendarDate): CalendarDate {
  return c.month === 2 && c.day === 29 && !isLeap(year)
    ? { year, month: 2, day: 28 }
    : { year, month: c.month, day: c.day };
}

/** (date + offsetDays) at minutes past local midnight in zone. */
function fireAt(c: CalendarDate, offsetDays: number, minutes: number, zone: string): Date {
  const day = new Date(utcMillis(c.year, c.month, c.day + offsetDays));
  return localInstant(zone, {
    year: day.getUTCFullYear(),
    month: day.getUTCMonth() + 1,
    day: day.getUTCDate(),
    ...hourMinute(minutes),
  });
}

/**
 * The instant a local wall-clock time names in zone. In a DST gap it is the first valid instant after the gap (the
 * transition itself); when ambiguous (fall back), the earlier of the two. Assumes one offset change per two days.
 */
function localInstant(zone: string, w: Wall): Date {
  const tz = ianaZone(zone);
  const asUtc = utcMillis(w.year, w.month, w.day, w.hour, w.minute, w.second, w.millisecond);
  const before = tz.offset(asUtc - DAY_MS);
  const after = tz.offset(asUtc + DAY_MS);
  const fits = [...new Set([before, after])]
    .map((offset) => ({ offset, at: asUtc - offset * MINUTE }))
    .filter(({ offset, at }) => Math.abs(tz.offset(at) - offset) < 1e-6)
    .map(({ at }) => at);
  if (fits.length) return new Date(Math.min(...fits));
  // A gap (clocks jump from `before` to `after`): the transition lies in (lo, hi]; find it to the millisecond.
  let lo = asUtc - after * MINUTE;
  let hi = asUtc - before * MINUTE;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (Math.abs(tz.offset(mid) - before) < 1e-6) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

/** Every calendar date some zone from UTC−12 to UTC+14 is on at some instant of (after, upTo]. */
function datesAnywhere(after: Date, upTo: Date): DateTime[] {
  const first = DateTime.fromMillis(after.getTime() - 12 * HOUR, { zone: 'UTC' }).startOf('day');
  const last = DateTime.fromMillis(upTo.getTime() + 14 * HOUR, { zone: 'UTC' }).startOf('day');
  const out: DateTime[] = [];
  for (let d = first; d <= last; d = d.plus({ days: 1 })) out.push(d);
  return out;
}
