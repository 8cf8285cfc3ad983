// Side form of the trigger node: what lets a customer in (event, segment, date, schedule, broadcast, loyalty points expiring) and the first step.
import { newTrigger, TRIGGER_TYPES } from '../../journeys/steps';
import type { DefinitionError, Scalar, TriggerDef, TriggerType } from '../../journeys/types';
import { CheckField, FieldProblems, LISTS, NextSelect, NumberField, RowsField, SelectField, TextField } from './fields';
import { problemsAt, UnplacedProblems } from './problems';
import { t } from '../../i18n';

interface Props {
  trigger: TriggerDef;
  start: string;
  stepIds: string[];
  errors: DefinitionError[];
  onChange: (t: TriggerDef) => void;
  onStart: (id: string) => void;
}

/** The trigger's fields that show their own problems. */
const PLACED = ['event', 'where', 'key', 'segment', 'trait', 'at', 'cron', 'timezone'];

export function TriggerForm({ trigger, start, stepIds, errors, onChange, onStart }: Props) {
  const set = (patch: Partial<TriggerDef>) => onChange({ ...trigger, ...patch });
  const segment = (label: string, hint?: string) => (
    <TextField
      label={label}
      hint={hint}
      path="segment"
      list={LISTS.segments}
      placeholder={t('trigger.segmentId')}
      value={trigger.segment}
      onChange={(v) => set({ segment: v || undefined })}
    />
  );
  const { at, unplaced } = problemsAt(errors, '$.trigger', PLACED);
  return (
    <FieldProblems.Provider value={at}>
      <form className="jf-form" aria-label={t('journey.trigger')} onSubmit={(e) => e.preventDefault()}>
        <h2>{t('journey.trigger')}</h2>
        <SelectField
          label={t('trigger.type')}
          value={trigger.type}
          options={TRIGGER_TYPES.map((tt) => ({ value: tt.type, label: tt.title }))}
          onChange={(v) => onChange(newTrigger(v as TriggerType, trigger))}
        />
        {trigger.type === 'event' && (
          <>
            <TextField
              label={t('trigger.eventLabel')}
              path="event"
              list={LISTS.events}
              placeholder="Product Added"
              value={trigger.event}
              onChange={(v) => set({ event: v })}
            />
            <RowsField
              label={t('timing.onlyWhen')}
              hint={t('trigger.onlyWhenHint')}
              path="where"
              keys={LISTS.properties}
              keyPlaceholder="currency"
              valuePlaceholder="EUR"
              value={trigger.where}
              onChange={(v) => set({ where: v as Record<string, Scalar> | undefined })}
            />
            <TextField
              label={t('trigger.key')}
              path="key"
              list={LISTS.properties}
              hint={t('trigger.keyHint')}
              placeholder="cartId"
              value={trigger.key}
              onChange={(v) => set({ key: v || undefined })}
            />
          </>
        )}
        {trigger.type === 'segment' && (
          <>
            {segment(t('title.segment'))}
            <SelectField
              label={t('trigger.whenCustomer')}
              value={trigger.on ?? 'enter'}
              options={[
                { value: 'enter', label: t('trigger.entersSegment') },
                { value: 'exit', label: t('trigger.leavesSegment') },
              ]}
              onChange={(v) => set({ on: v as 'enter' | 'exit', ...(v === 'exit' ? { exitOnLeave: undefined } : {}) })}
            />
            {(trigger.on ?? 'enter') === 'enter' && (
              <CheckField
                label={t('trigger.exitOnLeave')}
                checked={trigger.exitOnLeave ?? false}
                onChange={(v) => set({ exitOnLeave: v || undefined })}
              />
            )}
          </>
        )}
        {trigger.type === 'date' && (
          <>
            <TextField
              label={t('trigger.dateTrait')}
              path="trait"
              list={LISTS.traits}
              hint={t('trigger.dateTraitHint')}
              value={trigger.trait}
              onChange={(v) => set({ trait: v })}
            />
            <CheckField
              label={t('trigger.everyYearLabel')}
              checked={trigger.yearly ?? false}
              onChange={(v) => set({ yearly: v })}
            />
            <NumberField
              label={t('timing.offsetDays')}
              hint={t('trigger.offsetHint')}
              value={trigger.offsetDays}
              onChange={(v) => set({ offsetDays: v })}
            />
            <TextField
              label={t('timing.atTime')}
              path="at"
              placeholder="09:00"
              value={trigger.at}
              onChange={(v) => set({ at: v })}
            />
            {segment(t('trigger.onlySegment'), t('common.optional'))}
          </>
        )}
        {trigger.type === 'schedule' && (
          <>
            <TextField
              label={t('trigger.cron')}
              path="cron"
              hint={t('trigger.cronHint')}
              value={trigger.cron}
              onChange={(v) => set({ cron: v })}
            />
            <TextField
              label={t('trigger.timezone')}
              path="timezone"
              hint={t('trigger.timezoneHint')}
              placeholder="Europe/Warsaw"
              value={trigger.timezone}
              onChange={(v) => set({ timezone: v || undefined })}
            />
            {segment(t('title.segment'))}
          </>
        )}
        {trigger.type === 'broadcast' && (
          <>
            {segment(t('title.segment'))}
            <NumberField
              label={t('trigger.perMinute')}
              hint={t('trigger.perMinuteHint')}
              value={trigger.perMinute}
              onChange={(v) => set({ perMinute: v })}
            />
          </>
        )}
        {trigger.type === 'pointsExpiring' && (
          <>
            <NumberField
              label={t('trigger.daysBeforeExpiry')}
              value={trigger.days}
              onChange={(v) => set({ days: v })}
            />
            {segment(t('trigger.onlySegment'), t('common.optional'))}
          </>
        )}
        <NextSelect
          label={t('trigger.firstStep')}
          value={start || undefined}
          stepIds={stepIds}
          onChange={(v) => onStart(v ?? '')}
        />
        <UnplacedProblems problems={unplaced} label={t('trigger.problems')} />
      </form>
    </FieldProblems.Provider>
  );
}
