// Loyalty page: the programme as a form (earn rules, pending days, expiry, bonus events, campaigns, tiers), the rewards
// catalogue and the outstanding liability.
import { useState } from 'react';
import { t } from '../i18n';
import { ProgramForm } from '../components/loyalty/ProgramForm';
import { RewardsSection } from '../components/loyalty/RewardsSection';
import { LiabilityCard } from '../components/loyalty/LiabilityCard';
import '../loyalty.css';

export function Loyalty() {
  const [version, setVersion] = useState(0);
  return (
    <>
      <h1>{t('nav.loyalty')}</h1>
      <p className="muted">{t('loyalty.intro')}</p>
      <LiabilityCard version={version} />
      <ProgramForm onSaved={() => setVersion((v) => v + 1)} />
      <RewardsSection />
    </>
  );
}
