// Labelled form inputs for the journey editor: text, number, duration (number + unit), select, checkbox, comma list,
// property rows, JSON and next-step pickers. Number, list and JSON inputs keep the text being typed and pass on only
// what parses. A field given the `path` of its value (relative to its step or the definition) shows the problem the
// check found there, in words, under it.
import { createContext, useContext, useEffect, useId, useState, type ReactNode } from 'react';
import { t } from '../../i18n';

/** The problem at a field's path (relative to the step or definition the form edits), if any. */
export const FieldProblems = createContext<(path: string) => string | null>(() => null);

export interface Base {
  label: string;
  hint?: ReactNode;
  /** Where the value sits, e.g. "duration" or "channel.fixed": a problem found there is shown under the field. */
  path?: string;
}

/** A label, the input (given its id and the id of its note), and a note under it: the problem, else the hint. */
export function Field({
  label,
  hint,
  path,
  problem: own,
  children,
}: Base & { problem?: string | null; children: (id: string, noteId?: string) => ReactNode }) {
  const id = useId();
  const found = useContext(FieldProblems);
  const problem = own ?? (path ? found(path) : null);
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

export function TextField({
  label,
  hint,
  path,
  value,
  onChange,
  placeholder,
  list,
  onBlur,
}: Base & {
  value: string | undefined;
  onChange: (v: string) => void;
  placeholder?: string;
  list?: string;
  onBlur?: () => void;
}) {
  return (
    <Field label={label} hint={hint} path={path}>
      {(id, note) => (
        <input
          id={id}
          aria-describedby={note}
          type="text"
          value={value ?? ''}
          placeholder={placeholder}
          list={list}
          onChange={(e) => onChange(e.target.value)}
          onBlur={onBlur}
        />
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

export function NumberField({
  label,
  hint,
  path,
  value,
  onChange,
  placeholder,
}: Base & {
  value: number | undefined;
  onChange: (v: number | undefined) => void;
  placeholder?: string;
}) {
  const parse = (t: string) => (t.trim() === '' ? undefined : Number(t));
  const [text, setText] = useParsedText(
    value,
    (v) => (v === undefined ? '' : String(v)),
    (t, v) => parse(t) === v,
  );
  const parsed = parse(text);
  const problem = parsed !== undefined && !Number.isFinite(parsed) ? t('fields.notNumber') : null;
  return (
    <Field label={label} hint={hint} path={path} problem={problem}>
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

export function SelectField({
  label,
  hint,
  path,
  value,
  options,
  onChange,
}: Base & {
  value: string;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
}) {
  const known = options.some((o) => o.value === value);
  return (
    <Field label={label} hint={hint} path={path}>
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

export function CheckField({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
}) {
  return (
    <label className="jf-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}

const splitList = (t: string) =>
  t
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A list of names typed as "a, b, c". */
export function ListField({
  label,
  hint,
  path,
  value,
  onChange,
  placeholder,
}: Base & {
  value: string[] | undefined;
  onChange: (v: string[]) => void;
  placeholder?: string;
}) {
  const [text, setText] = useParsedText(
    value ?? [],
    (v) => v.join(', '),
    (t, v) => splitList(t).join(',') === v.join(','),
  );
  return (
    <Field label={label} hint={hint} path={path}>
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
export function JsonField({
  label,
  hint,
  value,
  onChange,
  rows = 4,
  placeholder,
}: Base & {
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
    problem = t('builder.notJson', { error: (err as Error).message });
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
export function NextSelect({
  label = t('fields.nextStep'),
  value,
  stepIds,
  onChange,
}: {
  label?: string;
  value: string | undefined;
  stepIds: string[];
  onChange: (v: string | undefined) => void;
}) {
  return (
    <SelectField
      label={label}
      value={value ?? ''}
      options={[{ value: '', label: t('fields.noneEnds') }, ...stepIds.map((id) => ({ value: id, label: id }))]}
      onChange={(v) => onChange(v || undefined)}
    />
  );
}

export { LISTS } from './Vocabulary';
export { DurationField, describeDuration } from './DurationField';
export { RowsField } from './RowsField';
