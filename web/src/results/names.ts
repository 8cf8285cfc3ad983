// An experiment's name in the reader's language, from its kind and its journey's name (the server's own name is English).
import { t } from '../i18n';
import type { ExperimentListing } from './types';

export function experimentName(e: ExperimentListing): string {
  const journey = e.journeyName ?? e.journeyId ?? '';
  switch (e.kind) {
    case 'control_group':
      return t('results.name.allMarketing');
    case 'journey':
      return journey;
    case 'holdout':
      return t('results.name.holdout', { journey, step: e.stepId ?? '' });
    case 'split':
      return t('results.name.split', { journey, step: e.stepId ?? '' });
    case 'offline':
      return e.name;
  }
}
