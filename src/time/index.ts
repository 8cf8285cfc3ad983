// Time rules (pure, a leaf: imports no other capability): ISO durations, local send windows, dates at a local time,
// anniversaries and cron schedules in a customer's IANA zone. Journeys and messaging both build on them.
export {
  addDuration,
  anniversaryFire,
  anniversaryMonthDays,
  atLocalTime,
  calendarDate,
  candidateDates,
  cronError,
  cronOccurrences,
  customerZone,
  dateFire,
  durationError,
  isValidZone,
  nextInWindow,
  timeOfDayError,
} from './rules.ts';
export { DAY_MS, iso, isoOrNull, utcDay } from './instants.ts';
