// Time rules, pure: delays, local windows, dates at a local time, anniversaries and cron schedules land on the
// exact instants a customer in that zone expects, across DST changes and year ends.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
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
} from '../../src/time/rules.ts';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d && d.toISOString();
const WARSAW = 'Europe/Warsaw';
const NEW_YORK = 'America/New_York';

describe('addDuration: days keep the local clock, hours are elapsed time', () => {
  const cases: [string, string, string, string, string][] = [
    [
      'P1D over the spring-forward keeps 10:00 CET → 10:00 CEST',
      '2026-03-28T09:00:00Z',
      'P1D',
      WARSAW,
      '2026-03-29T08:00:00.000Z',
    ],
    [
      'P1D over the fall-back keeps 10:00 CEST → 10:00 CET',
      '2026-10-24T08:00:00Z',
      'P1D',
      WARSAW,
      '2026-10-25T09:00:00.000Z',
    ],
    [
      'PT24H over the spring-forward is 24 elapsed hours (11:00 local)',
      '2026-03-28T09:00:00Z',
      'PT24H',
      WARSAW,
      '2026-03-29T09:00:00.000Z',
    ],
    ['PT1H over the DST jump is exactly one hour', '2026-03-29T00:30:00Z', 'PT1H', WARSAW, '2026-03-29T01:30:00.000Z'],
    ['P1DT2H: a local day, then two hours', '2026-03-28T09:00:00Z', 'P1DT2H', WARSAW, '2026-03-29T10:00:00.000Z'],
    [
      'P1W over the New York spring-forward keeps 09:00',
      '2026-03-02T14:00:00Z',
      'P1W',
      NEW_YORK,
      '2026-03-09T13:00:00.000Z',
    ],
    ['P1M from 31 January ends on 28 February', '2026-01-31T09:00:00Z', 'P1M', WARSAW, '2026-02-28T09:00:00.000Z'],
    ['P14D in UTC', '2026-01-01T12:34:56.789Z', 'P14D', 'UTC', '2026-01-15T12:34:56.789Z'],
    ['PT0S is now', '2026-01-01T12:00:00Z', 'PT0S', WARSAW, '2026-01-01T12:00:00.000Z'],
  ];
  for (const [name, from, duration, zone, expected] of cases) {
    it(name, () => assert.equal(iso(addDuration(at(from), duration, zone)), expected));
  }
  it('refuses a duration in words', () =>
    assert.throws(() => addDuration(at('2026-01-01T00:00:00Z'), '1 hour', WARSAW), /PT1H/));
});

describe('nextInWindow: the first instant inside the local window', () => {
  const weekdays = { from: '09:00', to: '18:00', weekdays: [1, 2, 3, 4, 5] };
  const nights = { from: '22:00', to: '06:00' };
  const cases: [string, string, string, { from: string; to: string; weekdays?: number[] }, string][] = [
    ['Saturday evening → Monday 09:00', '2026-01-10T18:00:00Z', WARSAW, weekdays, '2026-01-12T08:00:00.000Z'],
    ['inside → the same instant', '2026-01-13T11:00:00.123Z', WARSAW, weekdays, '2026-01-13T11:00:00.123Z'],
    ['before opening → 09:00 that day', '2026-01-13T06:00:00Z', WARSAW, weekdays, '2026-01-13T08:00:00.000Z'],
    [
      'at closing time (exclusive) → next day 09:00',
      '2026-01-13T17:00:00Z',
      WARSAW,
      weekdays,
      '2026-01-14T08:00:00.000Z',
    ],
    ['Friday after closing → Monday 09:00', '2026-01-16T17:30:00Z', WARSAW, weekdays, '2026-01-19T08:00:00.000Z'],
    [
      'at opening time (inclusive) → the same instant',
      '2026-01-13T08:00:00Z',
      WARSAW,
      weekdays,
      '2026-01-13T08:00:00.000Z',
    ],
    ['crossing midnight, 03:00 is inside', '2026-01-13T02:00:00Z', WARSAW, nights, '2026-01-13T02:00:00.000Z'],
    ['crossing midnight, noon → 22:00', '2026-01-13T11:00:00Z', WARSAW, nights, '2026-01-13T21:00:00.000Z'],
    [
      'crossing midnight, 06:00 (exclusive) → 22:00',
      '2026-01-13T05:00:00Z',
      WARSAW,
      nights,
      '2026-01-13T21:00:00.000Z',
    ],
    [
      "Friday's night window still open on Saturday 03:00",
      '2026-01-17T02:00:00Z',
      WARSAW,
      { ...nights, weekdays: [5] },
      '2026-01-17T02:00:00.000Z',
    ],
    [
      "Saturday 07:00 → next Friday's 22:00",
      '2026-01-17T06:00:00Z',
      WARSAW,
      { ...nights, weekdays: [5] },
      '2026-01-23T21:00:00.000Z',
    ],
    [
      'Saturday 20:00 EST → Sunday 09:00 EDT',
      '2026-03-08T01:00:00Z',
      NEW_YORK,
      { from: '09:00', to: '17:00' },
      '2026-03-08T13:00:00.000Z',
    ],
    [
      'opening inside a DST gap → the end of the gap',
      '2026-03-08T05:00:00Z',
      NEW_YORK,
      { from: '02:30', to: '05:00' },
      '2026-03-08T07:00:00.000Z',
    ],
  ];
  for (const [name, now, zone, window, expected] of cases) {
    it(name, () => assert.equal(iso(nextInWindow(at(now), zone, window)), expected));
  }
  it('refuses an unknown zone', () =>
    assert.throws(() => nextInWindow(at('2026-01-01T00:00:00Z'), 'Mars/Olympus', weekdays), /unknown time zone/));
});

describe('calendarDate: the date as the customer wrote it', () => {
  const cases: [string, unknown, { year: number; month: number; day: number } | null][] = [
    ['a plain date', '2026-11-30', { year: 2026, month: 11, day: 30 }],
    ['a timestamp keeps its own date, not UTC', '2026-11-30T23:30:00-05:00', { year: 2026, month: 11, day: 30 }],
    ['a UTC timestamp', '1990-01-02T00:00:00Z', { year: 1990, month: 1, day: 2 }],
    ['an SQL-style timestamp', '2026-11-30 10:00:00', { year: 2026, month: 11, day: 30 }],
    ['a Date is read in UTC', new Date('2026-11-30T00:00:00Z'), { year: 2026, month: 11, day: 30 }],
    ['29 February of a leap year', '2028-02-29', { year: 2028, month: 2, day: 29 }],
    ['29 February of a common year', '2027-02-29', null],
    ['a month 13', '2026-13-01', null],
    ['a date then rubbish', '2026-11-30Tsoon', null],
    ['a European date', '30/11/2026', null],
    ['a number', 20261130, null],
    ['an invalid Date', new Date('nope'), null],
    ['nothing', undefined, null],
  ];
  for (const [name, value, expected] of cases) it(name, () => assert.deepEqual(calendarDate(value), expected));
});

describe('atLocalTime: a date plus days at a local time', () => {
  const cases: [string, unknown, number, string, string, string | null][] = [
    ['3 days before 30 Nov, 10:00 in Warsaw', '2026-11-30', -3, '10:00', WARSAW, '2026-11-27T09:00:00.000Z'],
    ['3 days before 30 Nov, 10:00 in New York', '2026-11-30', -3, '10:00', NEW_YORK, '2026-11-27T15:00:00.000Z'],
    ['from a timestamp with an offset', '2026-11-30T23:30:00-05:00', -3, '10:00', WARSAW, '2026-11-27T09:00:00.000Z'],
    ['over a year end', '2026-12-30', 3, '10:00', WARSAW, '2027-01-02T09:00:00.000Z'],
    ['02:30 in the New York DST gap → 03:00 EDT', '2026-03-08', 0, '02:30', NEW_YORK, '2026-03-08T07:00:00.000Z'],
    ['02:30 in the Warsaw DST gap → 03:00 CEST', '2026-03-29', 0, '02:30', WARSAW, '2026-03-29T01:00:00.000Z'],
    ['01:30 twice in New York → the earlier (EDT)', '2026-11-01', 0, '01:30', NEW_YORK, '2026-11-01T05:30:00.000Z'],
    ['02:30 twice in Warsaw → the earlier (CEST)', '2026-10-25', 0, '02:30', WARSAW, '2026-10-25T00:30:00.000Z'],
    ['midnight in UTC', '2026-06-01', 0, '00:00', 'UTC', '2026-06-01T00:00:00.000Z'],
    ['an unparseable date', 'next tuesday', 0, '10:00', WARSAW, null],
  ];
  for (const [name, date, offset, hhmm, zone, expected] of cases) {
    it(name, () => assert.equal(iso(atLocalTime(date, offset, hhmm, zone)), expected));
  }
});

describe('anniversaryFire: yearly, at a local time, in (after, upTo]', () => {
  const cases: [string, unknown, number, string, string, string, string, string | null][] = [
    [
      '29 Feb birthday in 2027 → 28 Feb',
      '1996-02-29',
      0,
      '09:00',
      WARSAW,
      '2027-02-27T00:00:00Z',
      '2027-03-02T00:00:00Z',
      '2027-02-28T08:00:00.000Z',
    ],
    [
      '29 Feb birthday in 2028 → 29 Feb',
      '1996-02-29',
      0,
      '09:00',
      WARSAW,
      '2028-02-27T00:00:00Z',
      '2028-03-02T00:00:00Z',
      '2028-02-29T08:00:00.000Z',
    ],
    [
      '29 Feb birthday does not fire again on 1 Mar 2027',
      '1996-02-29',
      0,
      '09:00',
      WARSAW,
      '2027-02-28T08:00:00Z',
      '2027-03-02T00:00:00Z',
      null,
    ],
    [
      '2 Jan, 3 days before → 30 Dec of the year before',
      '1990-01-02',
      -3,
      '10:00',
      WARSAW,
      '2026-12-29T00:00:00Z',
      '2026-12-31T00:00:00Z',
      '2026-12-30T09:00:00.000Z',
    ],
    [
      '30 Dec, 3 days after → 2 Jan of the next year',
      '1990-12-30T08:00:00Z',
      3,
      '10:00',
      WARSAW,
      '2027-01-01T00:00:00Z',
      '2027-01-03T00:00:00Z',
      '2027-01-02T09:00:00.000Z',
    ],
    [
      'upTo is inclusive',
      '1990-01-02',
      -3,
      '10:00',
      WARSAW,
      '2026-12-29T00:00:00Z',
      '2026-12-30T09:00:00Z',
      '2026-12-30T09:00:00.000Z',
    ],
    ['after is exclusive', '1990-01-02', -3, '10:00', WARSAW, '2026-12-30T09:00:00Z', '2026-12-31T00:00:00Z', null],
    [
      'in Auckland the birthday starts the UTC day before',
      '1985-06-15',
      0,
      '09:00',
      'Pacific/Auckland',
      '2026-06-14T12:00:00Z',
      '2026-06-15T00:00:00Z',
      '2026-06-14T21:00:00.000Z',
    ],
    ['an unparseable date', 'someday', 0, '09:00', WARSAW, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', null],
  ];
  for (const [name, date, offset, hhmm, zone, after, upTo, expected] of cases) {
    it(name, () => assert.equal(iso(anniversaryFire(date, offset, hhmm, zone, at(after), at(upTo))), expected));
  }
});

describe('dateFire: once, at a local time, in (after, upTo]', () => {
  const cases: [string, unknown, number, string, string, string, string | null][] = [
    [
      '3 days before the payment is due',
      '2026-11-30',
      -3,
      WARSAW,
      '2026-11-27T00:00:00Z',
      '2026-11-28T00:00:00Z',
      '2026-11-27T09:00:00.000Z',
    ],
    ['already fired before the window', '2026-11-30', -3, WARSAW, '2026-11-27T09:00:00Z', '2026-11-28T00:00:00Z', null],
    ['not yet due', '2026-11-30', -3, WARSAW, '2026-11-26T00:00:00Z', '2026-11-27T08:59:59Z', null],
    ['a past year never fires again', '2025-11-30', -3, WARSAW, '2026-11-27T00:00:00Z', '2026-11-28T00:00:00Z', null],
    ['an unparseable date', 'soon', 0, WARSAW, '2026-11-27T00:00:00Z', '2026-11-28T00:00:00Z', null],
  ];
  for (const [name, date, offset, zone, after, upTo, expected] of cases) {
    it(name, () => assert.equal(iso(dateFire(date, offset, '10:00', zone, at(after), at(upTo))), expected));
  }
});

describe('SQL pre-selection: every date that can fire in any zone', () => {
  const monthDays: [string, number, string, string, string[]][] = [
    [
      'over 28 Feb 2027, birthdays on 29 Feb count',
      0,
      '2027-02-28T06:00:00Z',
      '2027-02-28T07:00:00Z',
      ['02-27', '02-28', '02-29'],
    ],
    ['early March 2027, no 29 Feb', 0, '2027-03-01T12:00:00Z', '2027-03-01T13:00:00Z', ['03-01', '03-02']],
    [
      '3 days before, over the year end',
      -3,
      '2026-12-30T10:00:00Z',
      '2026-12-30T11:00:00Z',
      ['01-01', '01-02', '01-03'],
    ],
    [
      '1 day after, a leap year has its own 29 Feb',
      1,
      '2028-03-01T12:00:00Z',
      '2028-03-01T13:00:00Z',
      ['02-29', '03-01'],
    ],
  ];
  for (const [name, offset, after, upTo, expected] of monthDays) {
    it(`anniversaryMonthDays: ${name}`, () =>
      assert.deepEqual(anniversaryMonthDays(offset, at(after), at(upTo)), expected));
  }
  const dates: [string, number, string, string, string[]][] = [
    [
      'around midnight UTC: both sides',
      0,
      '2026-05-31T23:00:00Z',
      '2026-06-01T01:00:00Z',
      ['2026-05-31', '2026-06-01'],
    ],
    [
      'mid-morning UTC: three local dates',
      0,
      '2026-06-01T10:30:00Z',
      '2026-06-01T11:00:00Z',
      ['2026-05-31', '2026-06-01', '2026-06-02'],
    ],
    [
      '3 days before: dates 3 days later',
      -3,
      '2026-05-31T23:00:00Z',
      '2026-06-01T01:00:00Z',
      ['2026-06-03', '2026-06-04'],
    ],
  ];
  for (const [name, offset, after, upTo, expected] of dates) {
    it(`candidateDates: ${name}`, () => assert.deepEqual(candidateDates(offset, at(after), at(upTo)), expected));
  }

  it('never misses a date that fires, from UTC−12 to UTC+14', () => {
    const zones = ['Etc/GMT+12', 'Pacific/Kiritimati', WARSAW, NEW_YORK, 'Asia/Kolkata'];
    const dates = ['1996-02-29', '1990-01-02', '1990-12-31', '2027-02-28', '2027-03-01'];
    for (let h = 0; h < 24 * 6; h++) {
      const after = new Date(Date.UTC(2027, 1, 25, h)); // hourly windows from 25 Feb 2027 over 6 days
      const upTo = new Date(after.getTime() + 3_600_000);
      for (const offset of [-3, 0, 2]) {
        const monthDays = anniversaryMonthDays(offset, after, upTo);
        const candidates = candidateDates(offset, after, upTo);
        for (const zone of zones)
          for (const date of dates)
            for (const hhmm of ['00:00', '09:30', '23:59']) {
              if (anniversaryFire(date, offset, hhmm, zone, after, upTo))
                assert.ok(
                  monthDays.includes(date.slice(5)),
                  `${date} ${offset} ${hhmm} ${zone} ${after.toISOString()}`,
                );
              if (dateFire(date, offset, hhmm, zone, after, upTo))
                assert.ok(candidates.includes(date), `${date} ${offset} ${hhmm} ${zone} ${after.toISOString()}`);
            }
      }
    }
  });
});

describe('cronOccurrences: in the zone, oldest first, in (after, upTo]', () => {
  const cases: [string, string, string, string, string, number | undefined, string[]][] = [
    [
      'Mondays 10:00 in Warsaw winter → 09:00Z',
      '0 10 * * 1',
      WARSAW,
      '2026-01-04T00:00:00Z',
      '2026-01-18T00:00:00Z',
      undefined,
      ['2026-01-05T09:00:00.000Z', '2026-01-12T09:00:00.000Z'],
    ],
    [
      'Mondays 10:00 in Los Angeles, PST then PDT',
      '0 10 * * 1',
      'America/Los_Angeles',
      '2026-03-01T00:00:00Z',
      '2026-03-15T00:00:00Z',
      undefined,
      ['2026-03-02T18:00:00.000Z', '2026-03-09T17:00:00.000Z'],
    ],
    [
      'daily 10:00 in Warsaw over the fall-back',
      '0 10 * * *',
      WARSAW,
      '2026-10-24T00:00:00Z',
      '2026-10-26T00:00:00Z',
      undefined,
      ['2026-10-24T08:00:00.000Z', '2026-10-25T09:00:00.000Z'],
    ],
    [
      'after is exclusive, upTo inclusive',
      '0 10 * * 1',
      'UTC',
      '2026-01-05T10:00:00Z',
      '2026-01-12T10:00:00Z',
      undefined,
      ['2026-01-12T10:00:00.000Z'],
    ],
    [
      'at most max',
      '0 * * * *',
      'UTC',
      '2026-01-01T00:00:00Z',
      '2026-01-02T00:00:00Z',
      3,
      ['2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z', '2026-01-01T03:00:00.000Z'],
    ],
    [
      'six fields: seconds first',
      '30 0 10 * * 1',
      'UTC',
      '2026-01-04T00:00:00Z',
      '2026-01-11T00:00:00Z',
      undefined,
      ['2026-01-05T10:00:30.000Z'],
    ],
    ['none in the window', '0 10 * * 1', 'UTC', '2026-01-06T00:00:00Z', '2026-01-11T00:00:00Z', undefined, []],
  ];
  for (const [name, pattern, zone, after, upTo, max, expected] of cases) {
    it(name, () => assert.deepEqual(cronOccurrences(pattern, zone, at(after), at(upTo), max).map(iso), expected));
  }
});

describe('validators: null when valid, else a message', () => {
  const cases: [string, (s: string) => string | null, string, RegExp | null][] = [
    ['duration PT1H', durationError, 'PT1H', null],
    ['duration P14D', durationError, 'P14D', null],
    ['duration P1DT2H30M', durationError, 'P1DT2H30M', null],
    ['duration PT1.5H', durationError, 'PT1.5H', null],
    ['duration in words', durationError, '1 hour', /PT1H/],
    ['duration with no parts', durationError, 'P', /PT1H/],
    ['duration with an empty time part', durationError, 'P1DT', /PT1H/],
    ['negative duration', durationError, '-P1D', /PT1H/],
    ['lower-case duration', durationError, 'p1d', /PT1H/],
    ['time 00:00', timeOfDayError, '00:00', null],
    ['time 23:59', timeOfDayError, '23:59', null],
    ['time 25:00', timeOfDayError, '25:00', /HH:mm/],
    ['time 9:00', timeOfDayError, '9:00', /HH:mm/],
    ['time 12:60', timeOfDayError, '12:60', /HH:mm/],
    ['cron 0 10 * * 1', cronError, '0 10 * * 1', null],
    ['cron every quarter hour on workdays', cronError, '*/15 9-17 * * 1-5', null],
    ['cron with seconds', cronError, '0 0 10 * * 1', null],
    ['cron nickname', cronError, '@daily', null],
    ['cron bad', cronError, 'bad', /0 10 \* \* 1/],
    ['cron with four fields', cronError, '* * * *', /4 field/],
    ['cron with a year field', cronError, '0 0 10 * * 1 2027', /7 field/],
    ['cron minute 61', cronError, '61 * * * *', /minute/],
  ];
  for (const [name, check, input, expected] of cases) {
    it(name, () => (expected ? assert.match(check(input) ?? 'null', expected) : assert.equal(check(input), null)));
  }

  const zones: [string, boolean][] = [
    [WARSAW, true],
    ['UTC', true],
    [NEW_YORK, true],
    ['Mars/Olympus', false],
    ['', false],
  ];
  for (const [zone, expected] of zones)
    it(`zone ${JSON.stringify(zone)} is ${expected ? 'known' : 'unknown'}`, () =>
      assert.equal(isValidZone(zone), expected));
});

describe("customerZone: the customer's own zone when known, else the workspace's", () => {
  const cases: [string | null, string][] = [
    ['Asia/Kolkata', 'Asia/Kolkata'], // not in Node 20's Intl.supportedValuesOf, known all the same
    ['US/Eastern', 'US/Eastern'],
    ['Etc/UTC', 'Etc/UTC'],
    [null, WARSAW],
    ['', WARSAW],
    ['Mars/Olympus', WARSAW],
  ];
  for (const [own, expected] of cases)
    it(`${JSON.stringify(own)} → ${expected}`, () => assert.equal(customerZone(own, WARSAW), expected));
});
