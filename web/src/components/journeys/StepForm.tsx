// Side form of the selected step: its id (renaming keeps the links), label, the fields of its type, its problems, delete.
import { useEffect, useId, useState, type ComponentType } from 'react';
import { stepTitle } from '../../journeys/steps';
import type { DefinitionError, StepDef, StepType } from '../../journeys/types';
import { FieldProblems, TextField } from './fields';
import { problemsAt, UnplacedProblems } from './problems';
import { SendFields, UpdateFields, WebhookFields } from './ActionFields';
import { BranchFields, HoldoutFields, SplitFields } from './FlowFields';
import { DelayFields, WaitFields } from './TimingFields';
import type { StepFieldProps } from './StepFieldProps';
import { t } from '../../i18n';

const ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** The fields of each step type that show their own problems. */
const PLACED: Record<StepType, string[]> = {
  delay: [
    'duration',
    'window.from',
    'window.to',
    'untilProperty.property',
    'untilProperty.at',
    'productInterval.fallback',
  ],
  wait: ['event', 'where', 'timeout'],
  branch: ['condition'],
  split: [],
  holdout: [],
  send: ['template', 'channel.fixed', 'channel.best', 'channel.cascade', 'params', 'validFor'],
  update: ['traits'],
  webhook: [],
  exit: [],
};

interface Props {
  step: StepDef;
  /** Where the step sits in the definition, e.g. "$.steps[2]" (its problems' paths start so). */
  at: string;
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

export function StepForm({
  step,
  at: stepPath,
  stepIds,
  validForDefault,
  errors,
  onChange,
  onRename,
  onDelete,
}: Props) {
  const idInput = useId();
  const [id, setId] = useState(step.id);
  useEffect(() => setId(step.id), [step.id]);
  const others = stepIds.filter((s) => s !== step.id);
  const idProblem =
    id === step.id ? null : !ID.test(id) ? t('stepForm.idRule') : others.includes(id) ? t('stepForm.idTaken') : null;
  const commitId = () => {
    if (id !== step.id && !idProblem) onRename(id);
  };
  const Fields = FIELDS[step.type];
  const { at, unplaced } = problemsAt(errors, stepPath, PLACED[step.type]);

  return (
    <FieldProblems.Provider value={at}>
      <form className="jf-form" aria-label={t('stepForm.step', { id: step.id })} onSubmit={(e) => e.preventDefault()}>
        <h2>
          {stepTitle(step.type)} <span className="muted">{t('stepForm.stepWord')}</span>
        </h2>
        <div className="field jf">
          <label htmlFor={idInput}>{t('stepForm.id')}</label>
          <input
            id={idInput}
            aria-describedby={idProblem ? `${idInput}-note` : undefined}
            type="text"
            value={id}
            onChange={(e) => setId(e.target.value)}
            onBlur={commitId}
            onKeyDown={(e) => e.key === 'Enter' && commitId()}
          />
          {idProblem && (
            <small id={`${idInput}-note`} className="jf-problem">
              {idProblem}
            </small>
          )}
        </div>
        <TextField
          label={t('stepForm.label')}
          hint={t('stepForm.labelHint')}
          value={step.label}
          onChange={(v) => onChange({ ...step, label: v || undefined })}
        />
        {Fields && (
          <Fields
            step={step}
            stepIds={others}
            validForDefault={validForDefault}
            change={(patch) => onChange({ ...step, ...patch })}
          />
        )}
        <UnplacedProblems problems={unplaced} label={t('stepForm.problems')} />
        <button type="button" className="button secondary danger" onClick={onDelete}>
          {t('stepForm.delete')}
        </button>
      </form>
    </FieldProblems.Provider>
  );
}
