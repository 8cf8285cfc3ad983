// Results page: what retention earns. Retention metrics per period, lift over the control group per journey and for
// all marketing, lifetime value with and without messages, the cohort heatmap, and the A/B splits with their winners.
import { useState } from 'react';
import { t } from '../i18n';
import { CURRENCY_CODES } from '../money';
import { RetentionTable } from '../components/results/RetentionTable';
import { LiftSection } from '../components/results/LiftSection';
import { LtvSection } from '../components/results/LtvSection';
import { CohortHeatmap } from '../components/results/CohortHeatmap';
import { SplitTests } from '../components/results/SplitTests';
import '../results.css';

export function Results() {
  const [currency, setCurrency] = useState(''); // '' = every order, converted to the base currency
  return (
    <>
      <h1>{t('nav.results')}</h1>
      <p className="muted">{t('results.intro')}</p>
      <LiftSection />
      <SplitTests />
      <LtvSection />
      <section className="card">
        <label>
          {t('results.currency')}{' '}
          <select
            name="currency"
            data-testid="results-currency"
            value={currency}
            onChange={(e) => setCurrency(e.target.value)}
          >
            <option value="">{t('results.currency.all')}</option>
            {CURRENCY_CODES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
      </section>
      <RetentionTable currency={currency} />
      <CohortHeatmap currency={currency} />
    </>
  );
}
