// Durations in the marketer's words (pure): "1 hour", "3 days", "2 months" as a number and a unit, to and from the ISO
// 8601 durations a journey definition stores (PT1H, P3D, P2M), in the dashboard's language.
import { t } from '../i18n/index.ts';

export type DurationUnit = 'minutes' | 'hours' | 'days' | 'weeks' | 'months';
export const DURATION_UNITS: { value: DurationUnit; readonly label: string }[] = [
  {
    value: 'minutes',
    get label() {
      return t('duration.minutes');
    },
  },
  {
    value: 'hours',
    get label() {
      return t('duration.hours');
    },
  },
  {
    value: 'days',
    get label() {
      return t('duration.days');
    },
  },
  {
    value: 'weeks',
    get label() {
      return t('duration.weeks');
    },
  },
  {
    value: 'months',
    get label() {
      return t('duration.months');
    },
  },
];

export interface Amount {
  n: number;
  unit: DurationUnit;
}

const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/;
/** Whole months (P1M, P3M) or years (P1Y = 12 months): calendar months, the same day of a later month. */
const MONTHS = /^P(?:(\d+)Y)?(?:(\d+)M)?$/;

/**
 * The amount an ISO duration says, in its largest whole unit (PT90M → 90 minutes, P1DT12H → 36 hours, P1Y → 12 months);
 * null if it is not one Retain writes (months mixed with days, seconds…).
 */
export function amountOf(iso: string | undefined): Amount | null {
  const calendar = iso && iso !== 'P' ? MONTHS.exec(iso) : null;
  if (calendar) return { n: Number(calendar[1] ?? 0) * 12 + Number(calendar[2] ?? 0), unit: 'months' };
  const m = iso ? ISO.exec(iso) : null;
  if (!m || iso === 'P' || iso!.endsWith('T')) return null;
  const [w, d, h, min] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number];
  if (h === 0 && min === 0) return w && !d ? { n: w, unit: 'weeks' } : { n: w * 7 + d, unit: 'days' };
  const minutes = ((w * 7 + d) * 24 + h) * 60 + min;
  return minutes % 60 === 0 ? { n: minutes / 60, unit: 'hours' } : { n: minutes, unit: 'minutes' };
}

/** The ISO duration of an amount (days and weeks stay calendar units: P1D is the same time the next day). */
export function isoOf(a: Amount): string {
  switch (a.unit) {
    case 'minutes':
      return `PT${a.n}M`;
    case 'hours':
      return `PT${a.n}H`;
    case 'days':
      return `P${a.n}D`;
    case 'weeks':
      return `P${a.n}W`;
    case 'months':
      return `P${a.n}M`;
  }
}

/** "1 hour", "3 days", or the ISO text when it is not an amount. */
export function describeDuration(iso: string | undefined): string {
  const a = amountOf(iso);
  if (!a) return iso ?? '';
  switch (a.unit) {
    case 'minutes':
      return t('duration.nMinutes', { n: a.n });
    case 'hours':
      return t('duration.nHours', { n: a.n });
    case 'days':
      return t('duration.nDays', { n: a.n });
    case 'weeks':
      return t('duration.nWeeks', { n: a.n });
    case 'months':
      return t('duration.nMonths', { n: a.n });
  }
}
