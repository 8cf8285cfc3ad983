// The journey-wide settings above the canvas: name, purpose, who may enter again, what a pause does with entries due
// meanwhile, and the goal that ends a run.
import type { EntryMode, JourneyDef, Purpose, WhilePaused } from '../../journeys/types';
import { CheckField, NumberField, SelectField, TextField } from './fields';

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
      <TextField label="Journey name" placeholder="Abandoned cart" value={name} onChange={onName} />
      <SelectField
        label="Purpose"
        value={definition.purpose ?? 'marketing'}
        options={[
          { value: 'marketing', label: 'Marketing (consent, control group)' },
          { value: 'transactional', label: 'Transactional' },
        ]}
        onChange={(v) => onChange({ ...definition, purpose: v as Purpose })}
      />
      <SelectField
        label="Entry mode"
        value={entry.mode}
        options={[
          { value: 'every', label: 'Every time' },
          { value: 'once', label: 'Once per customer' },
          { value: 'cooldown', label: 'At most once per …' },
        ]}
        onChange={(v) => onChange({ ...definition, entry: { ...entry, mode: v as EntryMode, days: v === 'cooldown' ? (entry.days ?? 30) : undefined } })}
      />
      {entry.mode === 'cooldown' && (
        <NumberField label="Cooldown days" value={entry.days} onChange={(days) => onChange({ ...definition, entry: { ...entry, days } })} />
      )}
      {definition.trigger.type !== 'broadcast' && (
        <SelectField
          label="While paused"
          hint="who the trigger brings in during a pause; runs under way hold either way"
          value={entry.whilePaused ?? 'skip'}
          options={[
            { value: 'skip', label: 'Skip who falls due meanwhile' },
            { value: 'catch_up', label: 'Let them in at the resume' },
          ]}
          onChange={(v) => onChange({ ...definition, entry: { ...entry, whilePaused: v === 'catch_up' ? (v as WhilePaused) : undefined } })}
        />
      )}
      <TextField
        label="Goal event"
        hint="the run ends when the customer does this; optional"
        placeholder="Order Completed"
        value={goal?.event}
        onChange={(v) => onChange({ ...definition, goal: v ? { ...goal, event: v } : undefined })}
      />
      {goal && (
        <CheckField label="Goal with the same key (the same cart)" checked={goal.sameKey ?? false} onChange={(sameKey) => onChange({ ...definition, goal: { ...goal, sameKey } })} />
      )}
    </div>
  );
}
