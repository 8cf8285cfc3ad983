// What was not sent, beside what was: messages deferred (quiet hours, caps), skipped by reason and expired in the range.
import { formatNumber } from '../../format';
import { OUTCOME_LABELS, type OutcomeReason, type Outcomes } from '../../messages/types';

export function NotSent({ outcomes }: { outcomes: Outcomes }) {
  const totals = outcomes.totals;
  const reasons = (Object.entries(totals.skippedByReason) as [OutcomeReason, number][]).sort((a, b) => b[1] - a[1]);
  return (
    <section className="card" data-testid="metrics-not-sent">
      <h2>Not sent</h2>
      <div className="not-sent">
        <span><strong>{formatNumber(totals.deferred)}</strong> deferred <span className="muted">(quiet hours, caps; most go later)</span></span>
        <span><strong>{formatNumber(totals.skipped)}</strong> skipped</span>
        <span><strong>{formatNumber(totals.expired)}</strong> expired <span className="muted">(held past their validity, never sent late)</span></span>
      </div>
      {reasons.length > 0 && (
        <ul className="muted" aria-label="Skipped by reason">
          {reasons.map(([reason, n]) => <li key={reason}>{OUTCOME_LABELS[reason]}: {formatNumber(n)}</li>)}
        </ul>
      )}
    </section>
  );
}
