// The outstanding liability: points earned and not yet spent (spendable and pending) and what they are worth in money.
import { useEffect, useState } from 'react';
import { apiGet, apiPath } from '../../api';
import { t } from '../../i18n';
import { formatAmount, type CurrencySettings } from '../../money';
import type { Liability } from '../../loyalty/types';

export function LiabilityCard({ version }: { version: number }) {
  const [liability, setLiability] = useState<Liability | null>(null);
  const [base, setBase] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([
      apiGet<Liability>(apiPath('/loyalty/liability')),
      apiGet<CurrencySettings>(apiPath('/settings/currency')),
    ])
      .then(([l, c]) => live && (setLiability(l), setBase(c.base)))
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [version]);

  return (
    <section className="card" data-testid="loyalty-liability">
      <h2>{t('loyalty.liability')}</h2>
      <p className="muted">{t('loyalty.liability.intro')}</p>
      {error && <p className="error">{error}</p>}
      {!liability && !error && <p className="muted">{t('common.loading')}</p>}
      {liability && base && (
        <dl className="loy-figures">
          <dt>{t('loyalty.liability.value')}</dt>
          <dd data-testid="liability-value">{formatAmount(liability.value, base)}</dd>
          <dt>{t('loyalty.liability.points')}</dt>
          <dd data-testid="liability-points">{t('loyalty.points', { count: liability.points })}</dd>
          <dt>{t('loyalty.available')}</dt>
          <dd>{t('loyalty.points', { count: liability.available })}</dd>
          <dt>{t('loyalty.pending')}</dt>
          <dd>{t('loyalty.points', { count: liability.pending })}</dd>
        </dl>
      )}
    </section>
  );
}
