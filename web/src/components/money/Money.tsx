// A revenue figure: the amount in the report's currency with its code, then, apart, every amount in a currency that
// has no rate ("EUR 180.00 + GBP 50.00"), so nothing is hidden or added across currencies; the parts in the tooltip.
import { formatAmount, otherCurrencies, type MoneyFigure, type MoneyNote } from '../../money';

export function Money({ figure, note, testId }: { figure: MoneyFigure; note: MoneyNote; testId?: string }) {
  const others = otherCurrencies(figure, note);
  const title = others
    .map((o) => (o.rate ? `${formatAmount(o.amount, o.currency)} at ${o.rate.rate} (${o.rate.date})` : `${formatAmount(o.amount, o.currency)}: no rate to ${note.currency}, not in the total`))
    .join('\n');
  return (
    <span className="money" title={title || undefined} data-testid={testId}>
      {formatAmount(figure.revenue, note.currency)}
      {others.filter((o) => !o.rate).map((o) => (
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
      Amounts in {note.currency}
      {rates.length > 0 && <>; converted at {rates.map(([c, r]) => `1 ${c} = ${r.rate} ${note.currency} (${r.date})`).join(', ')}</>}
      .{' '}
      {note.unconverted.length > 0 && (
        <>
          {note.unconverted.join(', ')} {note.unconverted.length === 1 ? 'has' : 'have'} no rate to {note.currency}: shown apart (“+ …”), not in the totals.{' '}
          <a href="#/analytics">Set rates under Analytics › Currencies</a>.
        </>
      )}
    </p>
  );
}
