// What was not sent, beside what was: messages deferred (quiet hours, caps), skipped by reason and expired in the range.
import { formatNumber } from '../../format';
import type { OutcomeReason, Outcomes } from '../../messages/types';
import { t } from '../../i18n';
import { outcomeName } from '../../i18n/terms';

export function NotSent({ outcomes }: { outcomes: Outcomes }) {
  const totals = outcomes.totals;
  const reasons = (Object.entries(totals.skippedByReason) as [OutcomeReason, number][]).sort((a, b) => b[1] - a[1]);
  return (
    <section className="card" data-testid="metrics-not-sent">
      <h2>{t('notSent.title')}</h2>
      <div className="not-sent">
        <span>
          <strong>{formatNumber(totals.deferred)}</strong> {t('notSent.deferred')}{' '}
          <span className="muted">{t('notSent.deferredNote')}</span>
        </span>
        <span>
          <strong>{formatNumber(totals.skipped)}</strong> {t('notSent.skipped')}
        </span>
        <span>
          <strong>{formatNumber(totals.expired)}</strong> {t('notSent.expired')}{' '}
          <span className="muted">{t('notSent.expiredNote')}</span>
        </span>
      </div>
      {reasons.length > 0 && (
        <ul className="muted" aria-label={t('notSent.byReason')}>
          {reasons.map(([reason, n]) => (
            <li key={reason}>
              {outcomeName(reason)}: {formatNumber(n)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
