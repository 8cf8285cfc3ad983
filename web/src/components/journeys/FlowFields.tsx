// Fields of the steps that choose a path: branch (a segment condition), split (weighted arms) and holdout (a percent).
import { JsonField, NextSelect, NumberField, TextField } from './fields';
import type { StepFieldProps } from './StepFieldProps';
import type { Arm } from '../../journeys/types';

export function BranchFields({ step, change, stepIds }: StepFieldProps) {
  return (
    <>
      <JsonField
        label="Condition (JSON)"
        hint="a segment condition, as in the segment builder's JSON view"
        rows={6}
        value={step.condition}
        onChange={(v) => change({ condition: v })}
      />
      <NextSelect label="Next step if yes" value={step.yes} stepIds={stepIds} onChange={(v) => change({ yes: v })} />
      <NextSelect label="Next step if no" value={step.no} stepIds={stepIds} onChange={(v) => change({ no: v })} />
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
          <TextField label={`Arm ${i + 1} name`} value={arm.name} onChange={(v) => setArm(i, { name: v })} />
          <NumberField label={`Arm ${i + 1} weight`} value={arm.weight} onChange={(v) => setArm(i, { weight: v ?? 0 })} />
          <NextSelect label={`Arm ${i + 1} next step`} value={arm.next} stepIds={stepIds} onChange={(v) => setArm(i, { next: v })} />
          {arms.length > 2 && (
            <button type="button" className="button secondary small" onClick={() => change({ arms: arms.filter((_, j) => j !== i) })}>
              Remove arm {i + 1}
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
          Add arm
        </button>
      )}
    </>
  );
}

export function HoldoutFields({ step, change, stepIds }: StepFieldProps) {
  return (
    <>
      <NumberField label="Holdout percent" hint="this share of runs stops here, as a control group" value={step.percent} onChange={(v) => change({ percent: v })} />
      <NextSelect value={step.next} stepIds={stepIds} onChange={(v) => change({ next: v })} />
    </>
  );
}
