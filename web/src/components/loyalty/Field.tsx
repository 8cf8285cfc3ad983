// One labelled field of a loyalty form with its problem, in words, right under it (tied to the input for screen readers).
import type { ReactNode } from 'react';

interface Props {
  id: string;
  label: string;
  problem?: string;
  hint?: string;
  children: ReactNode;
}

export function Field({ id, label, problem, hint, children }: Props) {
  return (
    <div className="field loy-field" data-field={id}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <small className="muted">{hint}</small>}
      {problem && (
        <small className="error" id={`${id}-problem`} data-testid={`problem-${id}`} role="alert">
          {problem}
        </small>
      )}
    </div>
  );
}
