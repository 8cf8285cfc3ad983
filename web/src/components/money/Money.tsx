// A revenue figure: the amount in the report's currency with its code, then, apart, every amount in a currency that
// has no rate ("EUR 180.00 + GBP 50.00"), so nothing is hidden or added across currencies; the parts in the tooltip.
import { formatAmount, otherCurrencies, type MoneyFigure, type MoneyNote } from '../../money';
import { t } from '../../i18n';

export function Money({ figure, note, testId }: { figure: MoneyFigure; note: MoneyNote; testId?: string }) {
  const others = otherCurrencies(figure, note);
  const title = others
    .map((o) =>
      o.rate
        ? t('money.atRate', { amount: formatAmount(o.amount, o.currency), rate: o.rate.rate, date: o.rate.date })
        : t('money.noRate', { amount: formatAmount(o.amount, o.currency), currency: note.currency }),
    )
    .join('\n');
  return (
    <span className="money" title={title || undefined} data-testid={testId}>
      {formatAmount(figure.revenue, note.currency)}
      {others
        .filter((o) => !o.rate)
        .map((o) => (
          <span key={o.currency} className="money-apart" data-currency={o.currency}>
            {' + '}
            {formatAmount(o.amount, o.currency)}
          </span>
        ))}
    </span>
  );
}

/** What a report's amounts are in: the currency, the rates used with their days, the currencies without a rate. */
export function MoneyNoteLine({ note, testId }: { note: MoneyNote; testId?: string }) {
  const rates = Object.entries(note.rates);
  return (
    <p className="note money-note" data-testid={testId}>
      {rates.length > 0
        ? t('money.amountsInConverted', {
            currency: note.currency,
            rates: rates.map(([c, r]) => `1 ${c} = ${r.rate} ${note.currency} (${r.date})`).join(', '),
          })
        : t('money.amountsIn', { currency: note.currency })}{' '}
      {note.unconverted.length > 0 && (
        <>
          {t('money.unconverted', {
            count: note.unconverted.length,
            currencies: note.unconverted.join(', '),
            currency: note.currency,
          })}{' '}
          <a href="#/analytics">{t('money.setRates')}</a>
        </>
      )}
    </p>
  );
}
