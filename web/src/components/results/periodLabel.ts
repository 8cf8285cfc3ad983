// A period's first day (YYYY-MM-DD) as its name in the reader's language: "March 2026", "Q1 2026".
import { currentLocale, t } from '../../i18n';

export function periodLabel(day: string, period: 'month' | 'quarter'): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  if (period === 'quarter') return t('results.quarter', { quarter: Math.floor((m - 1) / 3) + 1, year: y });
  return new Intl.DateTimeFormat(currentLocale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}
