// Results page: what retention earns. Retention metrics per period, lift over the control group per journey and for
// all marketing, lifetime value with and without messages, the cohort heatmap, and the A/B splits with their winners.
import { t } from '../i18n';
import { RetentionTable } from '../components/results/RetentionTable';
import { LiftSection } from '../components/results/LiftSection';
import { LtvSection } from '../components/results/LtvSection';
import { CohortHeatmap } from '../components/results/CohortHeatmap';
import { SplitTests } from '../components/results/SplitTests';
import '../results.css';

export function Results() {
  return (
    <>
      <h1>{t('nav.results')}</h1>
      <p className="muted">{t('results.intro')}</p>
      <LiftSection />
      <SplitTests />
      <LtvSection />
      <RetentionTable />
      <CohortHeatmap />
    </>
  );
}
