// Live validation result of the draft: checking, valid, valid but not ready to activate (what the workspace lacks), or
// every problem with its JSON path.
import type { DefinitionError } from '../../journeys/types';
import type { Validation } from '../../journeys/useValidation';

export function ProblemList({ problems, testId }: { problems: DefinitionError[]; testId: string }) {
  return (
    <ul className="jf-errors" data-testid={testId}>
      {problems.map((e, i) => (
        <li key={i}>
          <code>{e.path}</code> {e.message}
        </li>
      ))}
    </ul>
  );
}

const count = (n: number) => `${n} ${n === 1 ? 'problem' : 'problems'}`;

export function ValidationPanel({ validation }: { validation: Validation }) {
  return (
    <div className="journey-validation" data-testid="journey-validation" aria-live="polite">
      {validation.state === 'idle' && <p className="muted">Choose a trigger and add steps: the journey is checked as you go.</p>}
      {validation.state === 'checking' && <p className="muted">Checking…</p>}
      {validation.state === 'ok' && validation.warnings.length === 0 && <p className="valid" data-testid="journey-valid">The journey is valid.</p>}
      {validation.state === 'ok' && validation.warnings.length > 0 && (
        <>
          <p className="jf-problem">The journey is valid, but cannot go live yet: {count(validation.warnings.length)} to fix before activating:</p>
          <ProblemList problems={validation.warnings} testId="journey-warnings" />
        </>
      )}
      {validation.state === 'failed' && <p className="error">Could not check the journey: {validation.message}</p>}
      {validation.state === 'invalid' && (
        <>
          <p className="jf-problem">{count(validation.errors.length)} to fix before activating:</p>
          <ProblemList problems={validation.errors} testId="journey-errors" />
        </>
      )}
    </div>
  );
}
