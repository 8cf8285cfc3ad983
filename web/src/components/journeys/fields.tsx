// Labelled form inputs for the journey editor: text, number, select, checkbox, comma list, JSON and next-step pickers.
// Number, list and JSON inputs keep the text being typed and pass on only what parses.
import { useEffect, useId, useState, type ReactNode } from 'react';

interface Base {
  label: string;
  hint?: ReactNode;
}

/** A label, the input (given its id and the id of its note), and a note under it: the problem, else the hint. */
function Field({ label, hint, problem, children }: Base & { problem?: string | null; children: (id: string, noteId?: string) => ReactNode }) {
  const id = useId();
  const note = problem ?? hint;
  return (
    <div className="field jf">
      <label htmlFor={id}>{label}</label>
      {children(id, note ? `${id}-note` : undefined)}
      {note && (
        <small id={`${id}-note`} className={problem ? 'jf-problem' : 'muted'}>
          {note}
        </small>
      )}
    </div>
  );
}

export function TextField({ label, hint, value, onChange, placeholder, list, onBlur }: Base & {
  value: string | undefined;
  onChange: (v: string) => void;
  placeholder?: string;
  list?: string;
  onBlur?: () => void;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id, note) => (
          <input id={id} aria-describedby={note} type="text" value={value ?? ''} placeholder={placeholder} list={list} onChange={(e) => onChange(e.target.value)} onBlur={onBlur} />
      )}
    </Field>
  );
}

/** Text typed by the user that passes on a parsed value; re-synced when the value changes from elsewhere. */
function useParsedText<T>(value: T, format: (v: T) => string, same: (text: string, v: T) => boolean) {
  const [text, setText] = useState(() => format(value));
  useEffect(() => {
    setText((t) => (same(t, value) ? t : format(value)));
    // format and same are pure helpers of each field.
  }, [value]);
  return [text, setText] as const;
}

export function NumberField({ label, hint, value, onChange, placeholder }: Base & {
  value: number | undefined;
  onChange: (v: number | undefined) => void;
  placeholder?: string;
}) {
  const parse = (t: string) => (t.trim() === '' ? undefined : Number(t));
  const [text, setText] = useParsedText(value, (v) => (v === undefined ? '' : String(v)), (t, v) => parse(t) === v);
  const parsed = parse(text);
  const problem = parsed !== undefined && !Number.isFinite(parsed) ? 'Not a number.' : null;
  return (
    <Field label={label} hint={hint} problem={problem}>
      {(id, note) => (
        <input
          id={id}
          aria-describedby={note}
          type="text"
          inputMode="decimal"
          value={text}
          placeholder={placeholder}
          onChange={(e) => {
            setText(e.target.value);
            const n = parse(e.target.value);
            if (n === undefined || Number.isFinite(n)) onChange(n);
          }}
        />
      )}
    </Field>
  );
}

export function SelectField({ label, hint, value, options, onChange }: Base & {
  value: string;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
}) {
  const known = options.some((o) => o.value === value);
  return (
    <Field label={label} hint={hint}>
      {(id, note) => (
        <select id={id} aria-describedby={note} value={value} onChange={(e) => onChange(e.target.value)}>
          {!known && <option value={value}>{value}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckField({ label, checked, onChange }: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="jf-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}

const splitList = (t: string) => t.split(',').map((s) => s.trim()).filter(Boolean);

/** A list of names typed as "a, b, c". */
export function ListField({ label, hint, value, onChange, placeholder }: Base & {
  value: string[] | undefined;
  onChange: (v: string[]) => void;
  placeholder?: string;
}) {
  const [text, setText] = useParsedText(value ?? [], (v) => v.join(', '), (t, v) => splitList(t).join(',') === v.join(','));
  return (
    <Field label={label} hint={hint}>
      {(id, note) => (
        <input
          id={id}
          aria-describedby={note}
          type="text"
          value={text}
          placeholder={placeholder}
          onChange={(e) => {
            setText(e.target.value);
            onChange(splitList(e.target.value));
          }}
        />
      )}
    </Field>
  );
}

const pretty = (v: unknown) => (v === undefined ? '' : JSON.stringify(v, null, 2));

/** A JSON value (an object of properties, a segment condition); empty = none. */
export function JsonField({ label, hint, value, onChange, rows = 4, placeholder }: Base & {
  value: unknown;
  onChange: (v: unknown) => void;
  rows?: number;
  placeholder?: string;
}) {
  const [text, setText] = useParsedText(value, pretty, (t, v) => {
    try {
      return JSON.stringify(t.trim() ? JSON.parse(t) : undefined) === JSON.stringify(v);
    } catch {
      return false;
    }
  });
  let problem: string | null = null;
  try {
    if (text.trim()) JSON.parse(text);
  } catch (err) {
    problem = `Not valid JSON: ${(err as Error).message}`;
  }
  return (
    <Field label={label} hint={hint} problem={problem}>
      {(id, note) => (
        <textarea
          id={id}
          aria-describedby={note}
          className="json-editor"
          rows={rows}
          spellCheck={false}
          value={text}
          placeholder={placeholder}
          onChange={(e) => {
            setText(e.target.value);
            try {
              onChange(e.target.value.trim() ? JSON.parse(e.target.value) : undefined);
            } catch {
              // Keep the text; the problem is shown under the field.
            }
          }}
        />
      )}
    </Field>
  );
}

/** Picks the step a slot goes to, or none (the run ends there). */
export function NextSelect({ label = 'Next step', value, stepIds, onChange }: {
  label?: string;
  value: string | undefined;
  stepIds: string[];
  onChange: (v: string | undefined) => void;
}) {
  return (
    <SelectField
      label={label}
      value={value ?? ''}
      options={[{ value: '', label: '— none: the run ends —' }, ...stepIds.map((id) => ({ value: id, label: id }))]}
      onChange={(v) => onChange(v || undefined)}
    />
  );
}

/** Channel names offered as suggestions (any configured channel name is accepted). */
export const CHANNELS_LIST = 'journey-channels';
export function ChannelSuggestions() {
  return (
    <datalist id={CHANNELS_LIST}>
      {['email', 'sms', 'push', 'telegram', 'messenger', 'webhook'].map((c) => (
        <option key={c} value={c} />
      ))}
    </datalist>
  );
}
