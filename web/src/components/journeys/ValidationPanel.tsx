// Live validation result of the draft: checking, valid, valid but not ready to activate (what the workspace lacks), or
// every problem with its JSON path.
import type { DefinitionError } from '../../journeys/types';
import type { Validation } from '../../journeys/useValidation';
import { t } from '../../i18n';
import { journeyProblemWords } from '../../journeys/problemWords';

export function ProblemList({ problems, testId }: { problems: DefinitionError[]; testId: string }) {
  return (
    <ul className="jf-errors" data-testid={testId}>
      {problems.map((e, i) => (
        <li key={i}>
          <code>{e.path}</code> {journeyProblemWords(e)}
        </li>
      ))}
    </ul>
  );
}

const count = (n: number) => t('journey.problems', { count: n });

export function ValidationPanel({ validation }: { validation: Validation }) {
  return (
    <div className="journey-validation" data-testid="journey-validation" aria-live="polite">
      {validation.state === 'idle' && <p className="muted">{t('journey.checkedAsYouGo')}</p>}
      {validation.state === 'checking' && <p className="muted">{t('journey.checking')}</p>}
      {validation.state === 'ok' && validation.warnings.length === 0 && (
        <p className="valid" data-testid="journey-valid">
          {t('journey.valid')}
        </p>
      )}
      {validation.state === 'ok' && validation.warnings.length > 0 && (
        <>
          <p className="jf-problem">{t('journey.validNotLive', { problems: count(validation.warnings.length) })}</p>
          <ProblemList problems={validation.warnings} testId="journey-warnings" />
        </>
      )}
      {validation.state === 'failed' && (
        <p className="error">{t('journey.couldNotCheck', { message: validation.message })}</p>
      )}
      {validation.state === 'invalid' && (
        <>
          <p className="jf-problem">{t('journey.toFix', { problems: count(validation.errors.length) })}</p>
          <ProblemList problems={validation.errors} testId="journey-errors" />
        </>
      )}
    </div>
  );
}
