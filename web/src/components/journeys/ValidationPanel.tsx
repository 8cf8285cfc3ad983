// Live validation result of the draft: checking, valid, or every problem with its JSON path.
import type { Validation } from '../../journeys/useValidation';

export function ValidationPanel({ validation }: { validation: Validation }) {
  return (
    <div className="journey-validation" data-testid="journey-validation" aria-live="polite">
      {validation.state === 'checking' && <p className="muted">Checking…</p>}
      {validation.state === 'ok' && <p className="valid" data-testid="journey-valid">The journey is valid.</p>}
      {validation.state === 'failed' && <p className="error">Could not check the journey: {validation.message}</p>}
      {validation.state === 'invalid' && (
        <>
          <p className="jf-problem">
            {validation.errors.length} {validation.errors.length === 1 ? 'problem' : 'problems'} to fix before activating:
          </p>
          <ul className="jf-errors" data-testid="journey-errors">
            {validation.errors.map((e, i) => (
              <li key={i}>
                <code>{e.path}</code> {e.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
