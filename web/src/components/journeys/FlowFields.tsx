// Fields of the steps that choose a path: branch (a segment condition), split (weighted arms) and holdout (a percent).
import { JsonField, NextSelect, NumberField, TextField } from './fields';
import type { StepFieldProps } from './StepFieldProps';
import type { Arm } from '../../journeys/types';
import { t } from '../../i18n';

export function BranchFields({ step, change, stepIds }: StepFieldProps) {
  return (
    <>
      <JsonField
        label={t('flow.condition')}
        hint={t('flow.conditionHint')}
        rows={6}
        value={step.condition}
        onChange={(v) => change({ condition: v })}
      />
      <NextSelect label={t('flow.nextYes')} value={step.yes} stepIds={stepIds} onChange={(v) => change({ yes: v })} />
      <NextSelect label={t('flow.nextNo')} value={step.no} stepIds={stepIds} onChange={(v) => change({ no: v })} />
    </>
  );
}

export function SplitFields({ step, change, stepIds }: StepFieldProps) {
  const arms = step.arms ?? [];
  const setArm = (i: number, patch: Partial<Arm>) => change({ arms: arms.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  return (
    <>
      {arms.map((arm, i) => (
        <fieldset key={i} className="jf-group">
          <legend>Arm {i + 1}</legend>
          <TextField label={t('flow.armName', { n: i + 1 })} value={arm.name} onChange={(v) => setArm(i, { name: v })} />
          <NumberField label={t('flow.armWeight', { n: i + 1 })} value={arm.weight} onChange={(v) => setArm(i, { weight: v ?? 0 })} />
          <NextSelect label={t('flow.armNext', { n: i + 1 })} value={arm.next} stepIds={stepIds} onChange={(v) => setArm(i, { next: v })} />
          {arms.length > 2 && (
            <button type="button" className="button secondary small" onClick={() => change({ arms: arms.filter((_, j) => j !== i) })}>
              {t('flow.removeArm', { n: i + 1 })}
            </button>
          )}
        </fieldset>
      ))}
      {arms.length < 10 && (
        <button
          type="button"
          className="button secondary small"
          onClick={() => change({ arms: [...arms, { name: String.fromCharCode(65 + arms.length), weight: 50 }] })}
        >
          {t('flow.addArm')}
        </button>
      )}
    </>
  );
}

export function HoldoutFields({ step, change, stepIds }: StepFieldProps) {
  return (
    <>
      <NumberField label={t('flow.holdoutPercent')} hint={t('flow.holdoutHint')} value={step.percent} onChange={(v) => change({ percent: v })} />
      <NextSelect value={step.next} stepIds={stepIds} onChange={(v) => change({ next: v })} />
    </>
  );
}
