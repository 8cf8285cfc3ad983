// A customer's loyalty on their profile: spendable and pending points, tier, points expiring soon, the ledger (each
// movement with its points, source, reason and date) and a form to add or take away points by hand (POST /loyalty/adjust).
import { useCallback, useEffect, useState } from 'react';
import { ApiError, apiGet, apiPath, apiSend } from '../../api';
import { t } from '../../i18n';
import { formatDate } from '../../format';
import { adjustmentFrom, placeServerIssues, type Problems } from '../../loyalty/form';
import type { CustomerLoyalty } from '../../loyalty/types';
import { Field } from './Field';
import '../../loyalty.css';

/** A ledger row's kind in words. */
function movement(kind: string): string {
  switch (kind) {
    case 'earn':
      return t('loyalty.move.earn');
    case 'bonus':
      return t('loyalty.move.bonus');
    case 'release':
      return t('loyalty.move.release');
    case 'redeem':
      return t('loyalty.move.redeem');
    case 'clawback':
      return t('loyalty.move.clawback');
    case 'expire':
      return t('loyalty.move.expire');
    case 'adjust':
      return t('loyalty.move.adjust');
    case 'referral':
      return t('loyalty.move.referral');
    default:
      return kind;
  }
}

export function CustomerLoyaltyCard({ customerId }: { customerId: string }) {
  const [loyalty, setLoyalty] = useState<CustomerLoyalty | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [answer, setAnswer] = useState<{ ok: boolean; text: string } | null>(null);
  // one key per intended adjustment: a retry after a lost answer changes nothing twice
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());

  const load = useCallback(() => {
    apiGet<CustomerLoyalty>(apiPath(`/customers/${encodeURIComponent(customerId)}/loyalty`))
      .then(setLoyalty)
      .catch((err: Error) => setError(err.message));
  }, [customerId]);
  useEffect(load, [load]);

  async function adjust() {
    const found = adjustmentFrom(points, reason);
    setProblems(found.problems);
    setAnswer(null);
    if (Object.keys(found.problems).length) return;
    try {
      const done = await apiSend<{ available: number }>('POST', apiPath('/loyalty/adjust'), {
        customer: customerId,
        points: found.points,
        reason: found.reason,
        idempotencyKey,
      });
      setPoints('');
      setReason('');
      setIdempotencyKey(crypto.randomUUID());
      setAnswer({ ok: true, text: t('loyalty.adjusted', { count: found.points, available: done.available }) });
      load();
    } catch (err) {
      const placed = err instanceof ApiError ? placeServerIssues(err.body) : {};
      setProblems(placed);
      if (!Object.keys(placed).length) setAnswer({ ok: false, text: (err as Error).message });
    }
  }

  return (
    <section className="card" data-testid="customer-loyalty">
      <h2>{t('nav.loyalty')}</h2>
      {error && <p className="error">{error}</p>}
      {!loyalty && !error && <p className="muted">{t('common.loading')}</p>}
      {loyalty && (
        <>
          <dl className="loy-figures">
            <dt>{t('loyalty.available')}</dt>
            <dd data-testid="loyalty-available">{t('loyalty.points', { count: loyalty.available })}</dd>
            <dt>{t('loyalty.pending')}</dt>
            <dd data-testid="loyalty-pending">{t('loyalty.points', { count: loyalty.pending })}</dd>
            <dt>{t('loyalty.tier')}</dt>
            <dd data-testid="loyalty-tier">{loyalty.tier ?? t('loyalty.noTier')}</dd>
          </dl>
          {loyalty.pointsExpiring.points > 0 && loyalty.pointsExpiring.first && (
            <p className="muted">
              {t('loyalty.expiring', {
                count: loyalty.pointsExpiring.points,
                date: formatDate(loyalty.pointsExpiring.first),
              })}
            </p>
          )}
          <h3>{t('loyalty.ledger')}</h3>
          {loyalty.ledger.length === 0 ? (
            <p className="muted">{t('loyalty.noLedger')}</p>
          ) : (
            <div className="table-scroll">
              <table className="table" data-testid="loyalty-ledger">
                <thead>
                  <tr>
                    <th>{t('loyalty.ledger.movement')}</th>
                    <th>{t('loyalty.bonus.points')}</th>
                    <th>{t('loyalty.ledger.source')}</th>
                    <th>{t('loyalty.ledger.reason')}</th>
                    <th>{t('loyalty.ledger.date')}</th>
                  </tr>
                </thead>
                <tbody>
                  {loyalty.ledger.map((row) => (
                    <tr key={row.id}>
                      <td>{movement(row.kind)}</td>
                      <td>{row.points > 0 ? `+${row.points}` : row.points}</td>
                      <td>{row.source}</td>
                      <td>{row.reason ?? ''}</td>
                      <td>{formatDate(row.at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <h3>{t('loyalty.adjust')}</h3>
      <form
        className="loy-row"
        onSubmit={(e) => (e.preventDefault(), void adjust())}
        noValidate
        data-testid="adjust-form"
      >
        <Field id="loy-adjust-points" label={t('loyalty.adjust.points')} problem={problems.points}>
          <input
            id="loy-adjust-points"
            inputMode="numeric"
            value={points}
            onChange={(e) => setPoints(e.target.value)}
          />
        </Field>
        <Field id="loy-adjust-reason" label={t('loyalty.adjust.reason')} problem={problems.reason}>
          <input id="loy-adjust-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <button type="submit" data-testid="adjust-submit">
          {t('loyalty.adjust.submit')}
        </button>
      </form>
      {answer && (
        <p className={answer.ok ? 'muted' : 'error'} role="status" data-testid="adjust-answer">
          {answer.text}
        </p>
      )}
    </section>
  );
}
