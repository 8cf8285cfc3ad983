// Side form of the selected step: its id (renaming keeps the links), label, the fields of its type, its problems, delete.
import { useEffect, useId, useState, type ComponentType } from 'react';
import { stepTitle } from '../../journeys/steps';
import type { DefinitionError, StepDef, StepType } from '../../journeys/types';
import { TextField } from './fields';
import { SendFields, UpdateFields, WebhookFields } from './ActionFields';
import { BranchFields, HoldoutFields, SplitFields } from './FlowFields';
import { DelayFields, WaitFields } from './TimingFields';
import type { StepFieldProps } from './StepFieldProps';

const ID = /^[A-Za-z0-9_.-]{1,64}$/;

interface Props {
  step: StepDef;
  stepIds: string[];
  /** A send step's validity when it sets none. */
  validForDefault?: string;
  errors: DefinitionError[];
  onChange: (step: StepDef) => void;
  onRename: (to: string) => void;
  onDelete: () => void;
}

const FIELDS: Record<StepType, ComponentType<StepFieldProps> | null> = {
  delay: DelayFields,
  wait: WaitFields,
  branch: BranchFields,
  split: SplitFields,
  holdout: HoldoutFields,
  send: SendFields,
  update: UpdateFields,
  webhook: WebhookFields,
  exit: null,
};

export function StepForm({ step, stepIds, validForDefault, errors, onChange, onRename, onDelete }: Props) {
  const idInput = useId();
  const [id, setId] = useState(step.id);
  useEffect(() => setId(step.id), [step.id]);
  const others = stepIds.filter((s) => s !== step.id);
  const idProblem = id === step.id ? null : !ID.test(id) ? 'Letters, digits, "_", "-" and "." (at most 64).' : others.includes(id) ? 'Another step has this id.' : null;
  const commitId = () => {
    if (id !== step.id && !idProblem) onRename(id);
  };
  const Fields = FIELDS[step.type];

  return (
    <form className="jf-form" aria-label={`Step ${step.id}`} onSubmit={(e) => e.preventDefault()}>
      <h2>
        {stepTitle(step.type)} <span className="muted">step</span>
      </h2>
      <div className="field jf">
        <label htmlFor={idInput}>Step id</label>
        <input
          id={idInput}
          aria-describedby={idProblem ? `${idInput}-note` : undefined}
          type="text"
          value={id}
          onChange={(e) => setId(e.target.value)}
          onBlur={commitId}
          onKeyDown={(e) => e.key === 'Enter' && commitId()}
        />
        {idProblem && <small id={`${idInput}-note`} className="jf-problem">{idProblem}</small>}
      </div>
      <TextField label="Label" hint="shown on the canvas" value={step.label} onChange={(v) => onChange({ ...step, label: v || undefined })} />
      {Fields && <Fields step={step} stepIds={others} validForDefault={validForDefault} change={(patch) => onChange({ ...step, ...patch })} />}
      {errors.length > 0 && (
        <ul className="jf-errors" aria-label="Problems of this step">
          {errors.map((e, i) => (
            <li key={i}>
              <code>{e.path}</code> {e.message}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="button secondary danger" onClick={onDelete}>
        Delete step
      </button>
    </form>
  );
}
