// Fields of the steps that do something: send a message (template, channel policy, params), update the profile, call a webhook.
import { describeDuration, DurationField, LISTS, ListField, NextSelect, RowsField, SelectField, TextField } from './fields';
import type { StepFieldProps } from './StepFieldProps';
import type { ChannelPolicy, Scalar } from '../../journeys/types';

type PolicyKind = 'fixed' | 'best' | 'cascade';

function ChannelFields({ channel, onChange }: { channel: ChannelPolicy | undefined; onChange: (c: ChannelPolicy) => void }) {
  const kind: PolicyKind = channel && 'best' in channel ? 'best' : channel && 'cascade' in channel ? 'cascade' : 'fixed';
  const first = channel && 'fixed' in channel ? channel.fixed : channel && 'best' in channel ? channel.best[0] : channel && 'cascade' in channel ? channel.cascade[0]?.channel : undefined;
  const setKind = (k: string) =>
    onChange(
      k === 'best' ? { best: [first || 'email'] }
      : k === 'cascade' ? { cascade: [{ channel: first || 'push', timeout: 'PT1H' }, { channel: 'email', timeout: 'PT1H' }] }
      : { fixed: first || 'email' },
    );
  return (
    <>
      <SelectField
        label="Channel policy"
        value={kind}
        options={[
          { value: 'fixed', label: 'One channel' },
          { value: 'best', label: 'The best of several (per customer)' },
          { value: 'cascade', label: 'A cascade (next one if not opened)' },
        ]}
        onChange={setKind}
      />
      {channel && 'fixed' in channel && (
        <TextField label="Channel" path="channel.fixed" list={LISTS.channels} placeholder="email" value={channel.fixed} onChange={(v) => onChange({ fixed: v })} />
      )}
      {channel && 'best' in channel && (
        <ListField label="Channels" path="channel.best" hint="comma-separated, e.g. push, email" value={channel.best} onChange={(v) => onChange({ best: v })} />
      )}
      {channel && 'cascade' in channel && (
        <>
          {channel.cascade.map((c, i) => {
            const set = (patch: Partial<{ channel: string; timeout: string }>) =>
              onChange({ cascade: channel.cascade.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
            return (
              <fieldset key={i} className="jf-group">
                <legend>Cascade {i + 1}</legend>
                <TextField label={`Cascade ${i + 1} channel`} path={`channel.cascade[${i}].channel`} list={LISTS.channels} value={c.channel} onChange={(v) => set({ channel: v })} />
                <DurationField label={`Cascade ${i + 1} timeout`} path={`channel.cascade[${i}].timeout`} value={c.timeout} onChange={(v) => set({ timeout: v ?? c.timeout })} />
                {channel.cascade.length > 2 && (
                  <button type="button" className="button secondary small" onClick={() => onChange({ cascade: channel.cascade.filter((_, j) => j !== i) })}>
                    Remove channel {i + 1}
                  </button>
                )}
              </fieldset>
            );
          })}
          <button type="button" className="button secondary small" onClick={() => onChange({ cascade: [...channel.cascade, { channel: '', timeout: 'PT1H' }] })}>
            Add channel
          </button>
        </>
      )}
    </>
  );
}

export function SendFields({ step, change, stepIds, validForDefault }: StepFieldProps) {
  return (
    <>
      <TextField label="Template" path="template" list={LISTS.templates} hint="a message template of this workspace" placeholder="cart-reminder" value={step.template} onChange={(v) => change({ template: v })} />
      <ChannelFields channel={step.channel} onChange={(channel) => change({ channel })} />
      <RowsField
        label="Template params"
        hint="values the template prints, e.g. coupon = CART10 (a value per customer: Advanced)"
        path="params"
        verb="="
        keyPlaceholder="coupon"
        valuePlaceholder="CART10"
        value={step.params}
        onChange={(v) => change({ params: v })}
      />
      <DurationField
        label="Valid for"
        optional
        hint={`how long the message stays worth sending; held longer by quiet hours, a cap or retries, it is dropped, never sent late. Empty: ${validForDefault ? describeDuration(validForDefault) : 'the default'}, the default for this journey's purpose and trigger`}
        path="validFor"
        placeholder={validForDefault}
        value={step.validFor}
        onChange={(v) => change({ validFor: v })}
      />
      <NextSelect value={step.next} stepIds={stepIds} onChange={(v) => change({ next: v })} />
    </>
  );
}

export function UpdateFields({ step, change, stepIds }: StepFieldProps) {
  return (
    <>
      <RowsField
        label="Set traits"
        hint="e.g. vip = true; an empty value removes the trait"
        path="traits"
        verb="="
        keys={LISTS.traits}
        keyPlaceholder="vip"
        valuePlaceholder="true"
        emptyIsNull
        value={step.traits}
        onChange={(v) => change({ traits: v as Record<string, Scalar | null> | undefined })}
      />
      <ListField label="Add tags" hint="comma-separated" value={step.addTags} onChange={(v) => change({ addTags: v.length ? v : undefined })} />
      <ListField label="Remove tags" hint="comma-separated" value={step.removeTags} onChange={(v) => change({ removeTags: v.length ? v : undefined })} />
      <NextSelect value={step.next} stepIds={stepIds} onChange={(v) => change({ next: v })} />
    </>
  );
}

export function WebhookFields({ step, change, stepIds }: StepFieldProps) {
  return (
    <>
      <TextField label="Webhook URL" placeholder="https://example.com/hook" value={step.url} onChange={(v) => change({ url: v })} />
      <TextField label="Webhook secret" hint="optional; at least 8 characters, signs the body" value={step.secret} onChange={(v) => change({ secret: v || undefined })} />
      <NextSelect value={step.next} stepIds={stepIds} onChange={(v) => change({ next: v })} />
    </>
  );
}
