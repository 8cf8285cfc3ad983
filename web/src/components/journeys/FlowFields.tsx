// Fields of the steps that choose a path: branch (a segment condition, as the segment builder's rows), split (weighted
// arms) and holdout (a percent).
import { useEffect, useMemo, useState } from 'react';
import { JsonField, NextSelect, NumberField, TextField } from './fields';
import { ConditionRow } from '../SegmentBuilder';
import { apiPath } from '../../api';
import { useApi } from '../../useApi';
import {
  changeRow,
  definitionToRows,
  newRow,
  rowsToDefinition,
  type Combinator,
  type Option,
  type Row,
} from '../../segmentRows';
import type { StepFieldProps } from './StepFieldProps';
import type { Arm } from '../../journeys/types';
import { t } from '../../i18n';

/** A branch's condition as condition rows (the segment builder's), all or any of them; JSON only under "Advanced". */
export function BranchFields({ step, change, stepIds }: StepFieldProps) {
  const { data } = useApi<{ segments: { id: string; name: string }[] }>(apiPath('/segments'));
  const segments = useMemo<Option[]>(() => (data?.segments ?? []).map((s) => ({ value: s.id, label: s.name })), [data]);
  const fromCondition = (c: unknown) =>
    c === undefined ? { rows: [newRow('aggregate')], combinator: 'and' as Combinator } : definitionToRows(c);
  const [shown, setShown] = useState(() => fromCondition(step.condition));
  useEffect(() => setShown(fromCondition(step.condition)), [step.id]);
  const emit = (rows: Row[], combinator: Combinator) => {
    setShown({ rows, combinator });
    change({ condition: rowsToDefinition(rows, combinator).definition });
  };
  const problems = shown ? rowsToDefinition(shown.rows, shown.combinator).problems : [];
  return (
    <>
      {shown ? (
        <fieldset className="jf-group" data-testid="branch-condition">
          <legend>{t('flow.conditionRows')}</legend>
          <div className="toggle" role="group" aria-label={t('builder.matchAllOrAny')}>
            {(['and', 'or'] as const).map((c) => (
              <button
                key={c}
                type="button"
                className={shown.combinator === c ? 'on' : undefined}
                aria-pressed={shown.combinator === c}
                onClick={() => emit(shown.rows, c)}
              >
                {c === 'and' ? t('builder.all') : t('builder.any')}
              </button>
            ))}
          </div>
          <span className="muted"> {t('builder.ofTheseConditions')}</span>
          <div className="conditions">
            {shown.rows.map((row, i) => (
              <ConditionRow
                key={i}
                index={i}
                row={row}
                segments={segments}
                problem={problems.find((p) => p.row === i)?.message ?? null}
                onChange={(patch) =>
                  emit(
                    shown.rows.map((r, j) => (j === i ? changeRow(r, patch, segments) : r)),
                    shown.combinator,
                  )
                }
                onRemove={
                  shown.rows.length > 1
                    ? () =>
                        emit(
                          shown.rows.filter((_, j) => j !== i),
                          shown.combinator,
                        )
                    : undefined
                }
              />
            ))}
            <button
              type="button"
              className="button secondary add-condition"
              onClick={() => emit([...shown.rows, newRow('aggregate', segments)], shown.combinator)}
            >
              {t('builder.addCondition')}
            </button>
          </div>
        </fieldset>
      ) : (
        <p className="note">{t('flow.conditionNoRows')}</p>
      )}
      <details open={!shown}>
        <summary>{t('flow.conditionAdvanced')}</summary>
        <JsonField
          label={t('flow.condition')}
          hint={t('flow.conditionHint')}
          rows={6}
          value={step.condition}
          onChange={(v) => {
            change({ condition: v });
            setShown(fromCondition(v));
          }}
        />
      </details>
      <NextSelect label={t('flow.nextYes')} value={step.yes} stepIds={stepIds} onChange={(v) => change({ yes: v })} />
      <NextSelect label={t('flow.nextNo')} value={step.no} stepIds={stepIds} onChange={(v) => change({ no: v })} />
    </>
  );
}

export function SplitFields({ step, change, stepIds }: StepFieldProps) {
  const arms = step.arms ?? [];
  const setArm = (i: number, patch: Partial<Arm>) =>
    change({ arms: arms.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  return (
    <>
      {arms.map((arm, i) => (
        <fieldset key={i} className="jf-group">
          <legend>Arm {i + 1}</legend>
          <TextField
            label={t('flow.armName', { n: i + 1 })}
            value={arm.name}
            onChange={(v) => setArm(i, { name: v })}
          />
          <NumberField
            label={t('flow.armWeight', { n: i + 1 })}
            value={arm.weight}
            onChange={(v) => setArm(i, { weight: v ?? 0 })}
          />
          <NextSelect
            label={t('flow.armNext', { n: i + 1 })}
            value={arm.next}
            stepIds={stepIds}
            onChange={(v) => setArm(i, { next: v })}
          />
          {arms.length > 2 && (
            <button
              type="button"
              className="button secondary small"
              onClick={() => change({ arms: arms.filter((_, j) => j !== i) })}
            >
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
      <NumberField
        label={t('flow.holdoutPercent')}
        hint={t('flow.holdoutHint')}
        value={step.percent}
        onChange={(v) => change({ percent: v })}
      />
      <NextSelect value={step.next} stepIds={stepIds} onChange={(v) => change({ next: v })} />
    </>
  );
}
