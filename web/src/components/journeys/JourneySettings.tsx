// The journey-wide settings above the canvas: name, purpose, who may enter again, what a pause does with entries due
// meanwhile, and the goal that ends a run.
import type { EntryMode, JourneyDef, Purpose, WhilePaused } from '../../journeys/types';
import { CheckField, NumberField, SelectField, TextField } from './fields';
import { t } from '../../i18n';

interface Props {
  name: string;
  definition: JourneyDef;
  onName: (name: string) => void;
  onChange: (def: JourneyDef) => void;
}

export function JourneySettings({ name, definition, onName, onChange }: Props) {
  const entry = definition.entry ?? { mode: 'every' as EntryMode };
  const goal = definition.goal;
  return (
    <div className="journey-settings">
      <TextField
        label={t('settings.name')}
        placeholder={t('settings.namePlaceholder')}
        value={name}
        onChange={onName}
      />
      <SelectField
        label={t('settings.purpose')}
        value={definition.purpose ?? 'marketing'}
        options={[
          { value: 'marketing', label: t('settings.marketing') },
          { value: 'transactional', label: t('settings.transactional') },
        ]}
        onChange={(v) => onChange({ ...definition, purpose: v as Purpose })}
      />
      <SelectField
        label={t('settings.entryMode')}
        value={entry.mode}
        options={[
          { value: 'every', label: t('settings.every') },
          { value: 'once', label: t('settings.once') },
          { value: 'cooldown', label: t('settings.cooldown') },
        ]}
        onChange={(v) =>
          onChange({
            ...definition,
            entry: { ...entry, mode: v as EntryMode, days: v === 'cooldown' ? (entry.days ?? 30) : undefined },
          })
        }
      />
      {entry.mode === 'cooldown' && (
        <NumberField
          label={t('settings.cooldownDays')}
          value={entry.days}
          onChange={(days) => onChange({ ...definition, entry: { ...entry, days } })}
        />
      )}
      {definition.trigger.type !== 'broadcast' && (
        <SelectField
          label={t('settings.whilePaused')}
          hint={t('settings.whilePausedHint')}
          value={entry.whilePaused ?? 'skip'}
          options={[
            { value: 'skip', label: t('settings.skip') },
            { value: 'catch_up', label: t('settings.catchUp') },
          ]}
          onChange={(v) =>
            onChange({
              ...definition,
              entry: { ...entry, whilePaused: v === 'catch_up' ? (v as WhilePaused) : undefined },
            })
          }
        />
      )}
      <TextField
        label={t('settings.goal')}
        hint={t('settings.goalHint')}
        placeholder="Order Completed"
        value={goal?.event}
        onChange={(v) => onChange({ ...definition, goal: v ? { ...goal, event: v } : undefined })}
      />
      {goal && (
        <CheckField
          label={t('settings.goalSameKey')}
          checked={goal.sameKey ?? false}
          onChange={(sameKey) => onChange({ ...definition, goal: { ...goal, sameKey } })}
        />
      )}
    </div>
  );
}
