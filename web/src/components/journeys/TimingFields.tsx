// Fields of the steps that hold a run: delay (a duration, a time window, until a date property, or as long as the
// ordered products usually last) and wait for an event.
import { CheckField, DurationField, LISTS, NextSelect, NumberField, RowsField, SelectField, TextField } from './fields';
import type { StepFieldProps } from './StepFieldProps';
import type { Scalar } from '../../journeys/types';
import { t } from '../../i18n';
import { currentLocale } from '../../i18n';

/** Monday to Sunday, short, in the dashboard's language (2024-01-01 was a Monday). */
const weekdays = () =>
  Array.from({ length: 7 }, (_, i) =>
    new Intl.DateTimeFormat(currentLocale(), { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + i)),
  );
type DelayKind = 'duration' | 'window' | 'untilProperty' | 'productInterval';

export function DelayFields({ step, change, stepIds }: StepFieldProps) {
  const kind: DelayKind = step.window
    ? 'window'
    : step.untilProperty
      ? 'untilProperty'
      : step.productInterval
        ? 'productInterval'
        : 'duration';
  const setKind = (k: string) =>
    change({
      duration: k === 'duration' ? 'PT1H' : undefined,
      window: k === 'window' ? { from: '09:00', to: '18:00' } : undefined,
      untilProperty: k === 'untilProperty' ? { property: '', offsetDays: 0 } : undefined,
      productInterval: k === 'productInterval' ? { fallback: 'P30D', minRepeats: 3 } : undefined,
    });
  const win = step.window ?? { from: '', to: '' };
  const until = step.untilProperty ?? { property: '' };
  const days = win.weekdays ?? [];
  return (
    <>
      <SelectField
        label={t('timing.delayKind')}
        value={kind}
        options={[
          { value: 'duration', label: t('timing.forDuration') },
          { value: 'window', label: t('timing.untilWindow') },
          { value: 'untilProperty', label: t('timing.untilDate') },
          { value: 'productInterval', label: t('timing.productInterval') },
        ]}
        onChange={setKind}
      />
      {kind === 'productInterval' && step.productInterval && (
        <>
          <p className="note">{t('timing.productIntervalHint')}</p>
          <DurationField
            label={t('timing.productFallback')}
            path="productInterval.fallback"
            value={step.productInterval.fallback}
            onChange={(v) =>
              change({ productInterval: { ...step.productInterval!, fallback: v ?? step.productInterval!.fallback } })
            }
          />
          <NumberField
            label={t('timing.productMinRepeats')}
            value={step.productInterval.minRepeats ?? 3}
            onChange={(v) => change({ productInterval: { ...step.productInterval!, minRepeats: v ?? 3 } })}
          />
        </>
      )}
      {kind === 'duration' && (
        <DurationField
          label={t('timing.delayDuration')}
          path="duration"
          value={step.duration}
          onChange={(v) => change({ duration: v })}
        />
      )}
      {kind === 'window' && (
        <>
          <TextField
            label={t('timing.windowFrom')}
            path="window.from"
            placeholder="09:00"
            value={win.from}
            onChange={(v) => change({ window: { ...win, from: v } })}
          />
          <TextField
            label={t('timing.windowTo')}
            path="window.to"
            placeholder="18:00"
            value={win.to}
            onChange={(v) => change({ window: { ...win, to: v } })}
          />
          <fieldset className="jf-days">
            <legend>{t('timing.weekdays')}</legend>
            {weekdays().map((d, i) => (
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
          <TextField
            label={t('timing.untilProperty')}
            path="untilProperty.property"
            list={LISTS.properties}
            hint={t('timing.untilPropertyHint')}
            value={until.property}
            onChange={(v) => change({ untilProperty: { ...until, property: v } })}
          />
          <NumberField
            label={t('timing.offsetDays')}
            value={until.offsetDays}
            onChange={(v) => change({ untilProperty: { ...until, offsetDays: v } })}
          />
          <TextField
            label={t('timing.atTime')}
            path="untilProperty.at"
            placeholder="09:00"
            value={until.at}
            onChange={(v) => change({ untilProperty: { ...until, at: v || undefined } })}
          />
        </>
      )}
      <NextSelect value={step.next} stepIds={stepIds} onChange={(v) => change({ next: v })} />
    </>
  );
}

export function WaitFields({ step, change, stepIds }: StepFieldProps) {
  return (
    <>
      <TextField
        label={t('step.wait.title')}
        path="event"
        list={LISTS.events}
        placeholder="Order Completed"
        value={step.event}
        onChange={(v) => change({ event: v })}
      />
      <RowsField
        label={t('timing.onlyWhen')}
        hint={t('timing.onlyWhenHint')}
        path="where"
        keys={LISTS.properties}
        keyPlaceholder="plan"
        valuePlaceholder="pro"
        value={step.where}
        onChange={(v) => change({ where: v as Record<string, Scalar> | undefined })}
      />
      <CheckField
        label={t('timing.sameKey')}
        checked={step.sameKey ?? false}
        onChange={(v) => change({ sameKey: v || undefined })}
      />
      <DurationField
        label={t('timing.waitTimeout')}
        hint={t('timing.waitTimeoutHint')}
        path="timeout"
        value={step.timeout}
        onChange={(v) => change({ timeout: v })}
      />
      <NextSelect
        label={t('fields.nextStep')}
        value={step.next}
        stepIds={stepIds}
        onChange={(v) => change({ next: v })}
      />
      <NextSelect
        label={t('timing.nextOnTimeout')}
        value={step.timeoutNext}
        stepIds={stepIds}
        onChange={(v) => change({ timeoutNext: v })}
      />
    </>
  );
}
