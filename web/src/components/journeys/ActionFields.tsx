// Fields of the steps that do something: send a message (template, channel policy, params, coupon pool), update the profile, call a webhook.
import {
  describeDuration,
  DurationField,
  LISTS,
  ListField,
  NextSelect,
  RowsField,
  SelectField,
  TextField,
} from './fields';
import type { StepFieldProps } from './StepFieldProps';
import type { ChannelPolicy, Scalar } from '../../journeys/types';
import { t } from '../../i18n';

type PolicyKind = 'fixed' | 'best' | 'cascade';

function ChannelFields({
  channel,
  onChange,
}: {
  channel: ChannelPolicy | undefined;
  onChange: (c: ChannelPolicy) => void;
}) {
  const kind: PolicyKind =
    channel && 'best' in channel ? 'best' : channel && 'cascade' in channel ? 'cascade' : 'fixed';
  const first =
    channel && 'fixed' in channel
      ? channel.fixed
      : channel && 'best' in channel
        ? channel.best[0]
        : channel && 'cascade' in channel
          ? channel.cascade[0]?.channel
          : undefined;
  const setKind = (k: string) =>
    onChange(
      k === 'best'
        ? { best: [first || 'email'] }
        : k === 'cascade'
          ? {
              cascade: [
                { channel: first || 'push', timeout: 'PT1H' },
                { channel: 'email', timeout: 'PT1H' },
              ],
            }
          : { fixed: first || 'email' },
    );
  return (
    <>
      <SelectField
        label={t('action.policy')}
        value={kind}
        options={[
          { value: 'fixed', label: t('action.fixed') },
          { value: 'best', label: t('action.best') },
          { value: 'cascade', label: t('action.cascade') },
        ]}
        onChange={setKind}
      />
      {channel && 'fixed' in channel && (
        <TextField
          label={t('action.channel')}
          path="channel.fixed"
          list={LISTS.channels}
          placeholder="email"
          value={channel.fixed}
          onChange={(v) => onChange({ fixed: v })}
        />
      )}
      {channel && 'best' in channel && (
        <ListField
          label={t('nav.channels')}
          path="channel.best"
          hint={t('action.bestHint')}
          value={channel.best}
          onChange={(v) => onChange({ best: v })}
        />
      )}
      {channel && 'cascade' in channel && (
        <>
          {channel.cascade.map((c, i) => {
            const set = (patch: Partial<{ channel: string; timeout: string }>) =>
              onChange({ cascade: channel.cascade.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
            return (
              <fieldset key={i} className="jf-group">
                <legend>{t('action.cascadeN', { n: i + 1 })}</legend>
                <TextField
                  label={t('action.cascadeChannel', { n: i + 1 })}
                  path={`channel.cascade[${i}].channel`}
                  list={LISTS.channels}
                  value={c.channel}
                  onChange={(v) => set({ channel: v })}
                />
                <DurationField
                  label={t('action.cascadeTimeout', { n: i + 1 })}
                  path={`channel.cascade[${i}].timeout`}
                  value={c.timeout}
                  onChange={(v) => set({ timeout: v ?? c.timeout })}
                />
                {channel.cascade.length > 2 && (
                  <button
                    type="button"
                    className="button secondary small"
                    onClick={() => onChange({ cascade: channel.cascade.filter((_, j) => j !== i) })}
                  >
                    {t('action.removeChannel', { n: i + 1 })}
                  </button>
                )}
              </fieldset>
            );
          })}
          <button
            type="button"
            className="button secondary small"
            onClick={() => onChange({ cascade: [...channel.cascade, { channel: '', timeout: 'PT1H' }] })}
          >
            {t('action.addChannel')}
          </button>
        </>
      )}
    </>
  );
}

export function SendFields({ step, change, stepIds, validForDefault }: StepFieldProps) {
  return (
    <>
      <TextField
        label={t('title.template')}
        path="template"
        list={LISTS.templates}
        hint={t('action.templateHint')}
        placeholder="cart-reminder"
        value={step.template}
        onChange={(v) => change({ template: v })}
      />
      <ChannelFields channel={step.channel} onChange={(channel) => change({ channel })} />
      <RowsField
        label={t('action.params')}
        hint={t('action.paramsHint')}
        path="params"
        verb="="
        keyPlaceholder="coupon"
        valuePlaceholder="CART10"
        value={step.params}
        onChange={(v) => change({ params: v })}
      />
      <TextField
        label={t('action.couponPool')}
        hint={t('action.couponPoolHint')}
        path="coupon.pool"
        list={LISTS.pools}
        placeholder="spring"
        value={step.coupon?.pool}
        onChange={(v) => change({ coupon: v.trim() ? { pool: v.trim() } : undefined })}
      />
      <DurationField
        label={t('action.validFor')}
        optional
        hint={t('action.validForHint', {
          default: validForDefault ? describeDuration(validForDefault) : t('action.theDefault'),
        })}
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
        label={t('action.setTraits')}
        hint={t('action.setTraitsHint')}
        path="traits"
        verb="="
        keys={LISTS.traits}
        keyPlaceholder="vip"
        valuePlaceholder="true"
        emptyIsNull
        value={step.traits}
        onChange={(v) => change({ traits: v as Record<string, Scalar | null> | undefined })}
      />
      <ListField
        label={t('action.addTags')}
        hint={t('action.commaSeparated')}
        value={step.addTags}
        onChange={(v) => change({ addTags: v.length ? v : undefined })}
      />
      <ListField
        label={t('action.removeTags')}
        hint={t('action.commaSeparated')}
        value={step.removeTags}
        onChange={(v) => change({ removeTags: v.length ? v : undefined })}
      />
      <NextSelect value={step.next} stepIds={stepIds} onChange={(v) => change({ next: v })} />
    </>
  );
}

export function WebhookFields({ step, change, stepIds }: StepFieldProps) {
  return (
    <>
      <TextField
        label={t('action.webhookUrl')}
        placeholder="https://example.com/hook"
        value={step.url}
        onChange={(v) => change({ url: v })}
      />
      <TextField
        label={t('action.webhookSecret')}
        hint={t('action.webhookSecretHint')}
        value={step.secret}
        onChange={(v) => change({ secret: v || undefined })}
      />
      <NextSelect value={step.next} stepIds={stepIds} onChange={(v) => change({ next: v })} />
    </>
  );
}
