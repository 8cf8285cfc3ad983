// Fields of the steps that hold a run: delay (a duration, a time window or until a date property) and wait for an event.
import { CheckField, DurationField, LISTS, NextSelect, NumberField, RowsField, SelectField, TextField } from './fields';
import type { StepFieldProps } from './StepFieldProps';
import type { Scalar } from '../../journeys/types';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
type DelayKind = 'duration' | 'window' | 'untilProperty';

export function DelayFields({ step, change, stepIds }: StepFieldProps) {
  const kind: DelayKind = step.window ? 'window' : step.untilProperty ? 'untilProperty' : 'duration';
  const setKind = (k: string) =>
    change({
      duration: k === 'duration' ? 'PT1H' : undefined,
      window: k === 'window' ? { from: '09:00', to: '18:00' } : undefined,
      untilProperty: k === 'untilProperty' ? { property: '', offsetDays: 0 } : undefined,
    });
  const win = step.window ?? { from: '', to: '' };
  const until = step.untilProperty ?? { property: '' };
  const days = win.weekdays ?? [];
  return (
    <>
      <SelectField
        label="Delay kind"
        value={kind}
        options={[
          { value: 'duration', label: 'For a duration' },
          { value: 'window', label: 'Until a time window' },
          { value: 'untilProperty', label: 'Until a date in the event' },
        ]}
        onChange={setKind}
      />
      {kind === 'duration' && (
        <DurationField label="Delay duration" path="duration" value={step.duration} onChange={(v) => change({ duration: v })} />
      )}
      {kind === 'window' && (
        <>
          <TextField label="Window from" path="window.from" placeholder="09:00" value={win.from} onChange={(v) => change({ window: { ...win, from: v } })} />
          <TextField label="Window to" path="window.to" placeholder="18:00" value={win.to} onChange={(v) => change({ window: { ...win, to: v } })} />
          <fieldset className="jf-days">
            <legend>Weekdays (none: every day)</legend>
            {WEEKDAYS.map((d, i) => (
              <CheckField
                key={d}
                label={d}
                checked={days.includes(i + 1)}
                onChange={(on) => {
                  const next = on ? [...days, i + 1].sort() : days.filter((x) => x !== i + 1);
                  change({ window: { ...win, weekdays: next.length ? next : undefined } });
                }}
              />
            ))}
          </fieldset>
        </>
      )}
      {kind === 'untilProperty' && (
        <>
          <TextField label="Until property" path="untilProperty.property" list={LISTS.properties} hint="a date in the triggering event, e.g. dueDate" value={until.property} onChange={(v) => change({ untilProperty: { ...until, property: v } })} />
          <NumberField label="Offset days" value={until.offsetDays} onChange={(v) => change({ untilProperty: { ...until, offsetDays: v } })} />
          <TextField label="At time" path="untilProperty.at" placeholder="09:00" value={until.at} onChange={(v) => change({ untilProperty: { ...until, at: v || undefined } })} />
        </>
      )}
      <NextSelect value={step.next} stepIds={stepIds} onChange={(v) => change({ next: v })} />
    </>
  );
}

export function WaitFields({ step, change, stepIds }: StepFieldProps) {
  return (
    <>
      <TextField label="Wait for event" path="event" list={LISTS.events} placeholder="Order Completed" value={step.event} onChange={(v) => change({ event: v })} />
      <RowsField
        label="Only when the event's property"
        hint="every row must hold; none: any such event"
        path="where"
        keys={LISTS.properties}
        keyPlaceholder="plan"
        valuePlaceholder="pro"
        value={step.where}
        onChange={(v) => change({ where: v as Record<string, Scalar> | undefined })}
      />
      <CheckField label="Same key as the trigger (the same cart)" checked={step.sameKey ?? false} onChange={(v) => change({ sameKey: v || undefined })} />
      <DurationField label="Wait timeout" hint="how long to wait for it" path="timeout" value={step.timeout} onChange={(v) => change({ timeout: v })} />
      <NextSelect label="Next step" value={step.next} stepIds={stepIds} onChange={(v) => change({ next: v })} />
      <NextSelect label="Next step on timeout" value={step.timeoutNext} stepIds={stepIds} onChange={(v) => change({ timeoutNext: v })} />
    </>
  );
}
