// Side form of the trigger node: what lets a customer in (event, segment, date, schedule, broadcast) and the first step.
import { newTrigger, TRIGGER_TYPES } from '../../journeys/steps';
import type { DefinitionError, Scalar, TriggerDef, TriggerType } from '../../journeys/types';
import { CheckField, FieldProblems, LISTS, NextSelect, NumberField, RowsField, SelectField, TextField } from './fields';
import { problemsAt, UnplacedProblems } from './problems';

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
    <TextField label={label} hint={hint} path="segment" list={LISTS.segments} placeholder="segment id" value={trigger.segment} onChange={(v) => set({ segment: v || undefined })} />
  );
  const { at, unplaced } = problemsAt(errors, '$.trigger', PLACED);
  return (
    <FieldProblems.Provider value={at}>
    <form className="jf-form" aria-label="Trigger" onSubmit={(e) => e.preventDefault()}>
      <h2>Trigger</h2>
      <SelectField
        label="Trigger type"
        value={trigger.type}
        options={TRIGGER_TYPES.map((t) => ({ value: t.type, label: t.title }))}
        onChange={(v) => onChange(newTrigger(v as TriggerType, trigger))}
      />
      {trigger.type === 'event' && (
        <>
          <TextField label="Trigger event" path="event" list={LISTS.events} placeholder="Product Added" value={trigger.event} onChange={(v) => set({ event: v })} />
          <RowsField label="Only when the event's property" hint="every row must hold; none: every such event" path="where" keys={LISTS.properties} keyPlaceholder="currency" valuePlaceholder="EUR" value={trigger.where} onChange={(v) => set({ where: v as Record<string, Scalar> | undefined })} />
          <TextField label="Trigger key" path="key" list={LISTS.properties} hint="one run per value of this property (a cart id); optional" placeholder="cartId" value={trigger.key} onChange={(v) => set({ key: v || undefined })} />
        </>
      )}
      {trigger.type === 'segment' && (
        <>
          {segment('Segment')}
          <SelectField label="When the customer" value={trigger.on ?? 'enter'} options={[{ value: 'enter', label: 'enters the segment' }, { value: 'exit', label: 'leaves the segment' }]} onChange={(v) => set({ on: v as 'enter' | 'exit', ...(v === 'exit' ? { exitOnLeave: undefined } : {}) })} />
          {(trigger.on ?? 'enter') === 'enter' && (
            <CheckField label="Exit when the customer leaves the segment (messages not sent yet are cancelled)" checked={trigger.exitOnLeave ?? false} onChange={(v) => set({ exitOnLeave: v || undefined })} />
          )}
        </>
      )}
      {trigger.type === 'date' && (
        <>
          <TextField label="Date trait" path="trait" list={LISTS.traits} hint="a date in the customer's traits, e.g. birthday" value={trigger.trait} onChange={(v) => set({ trait: v })} />
          <CheckField label="Every year" checked={trigger.yearly ?? false} onChange={(v) => set({ yearly: v })} />
          <NumberField label="Offset days" hint="-3 = three days before" value={trigger.offsetDays} onChange={(v) => set({ offsetDays: v })} />
          <TextField label="At time" path="at" placeholder="09:00" value={trigger.at} onChange={(v) => set({ at: v })} />
          {segment('Only for segment', 'optional')}
        </>
      )}
      {trigger.type === 'schedule' && (
        <>
          <TextField label="Cron" path="cron" hint="minute hour day month weekday, e.g. 0 9 * * 1" value={trigger.cron} onChange={(v) => set({ cron: v })} />
          <TextField label="Time zone" path="timezone" hint="empty: each customer's own" placeholder="Europe/Warsaw" value={trigger.timezone} onChange={(v) => set({ timezone: v || undefined })} />
          {segment('Segment')}
        </>
      )}
      {trigger.type === 'broadcast' && (
        <>
          {segment('Segment')}
          <NumberField label="Per minute" hint="at most this many customers enter per minute" value={trigger.perMinute} onChange={(v) => set({ perMinute: v })} />
        </>
      )}
      <NextSelect label="First step" value={start || undefined} stepIds={stepIds} onChange={(v) => onStart(v ?? '')} />
      <UnplacedProblems problems={unplaced} label="Problems of the trigger" />
    </form>
    </FieldProblems.Provider>
  );
}
