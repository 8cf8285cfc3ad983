// A duration field as a number and a unit ("1 hour", "3 days"), stored as the ISO 8601 duration the definition keeps.
import { useEffect, useState } from 'react';
import { amountOf, describeDuration, DURATION_UNITS, isoOf, type DurationUnit } from '../../journeys/duration';
import { Field, type Base } from './fields';
import { t } from '../../i18n';

export { describeDuration };

/** Optional fields may be left empty (`placeholder`: the default, an ISO duration, shown as its number and unit). */
export function DurationField({
  label,
  hint,
  path,
  value,
  onChange,
  placeholder,
  optional,
}: Base & {
  value: string | undefined;
  onChange: (v: string | undefined) => void;
  placeholder?: string;
  optional?: boolean;
}) {
  const amount = amountOf(value);
  const fallback = amountOf(placeholder);
  const [text, setText] = useState(() => (amount ? String(amount.n) : ''));
  const [unit, setUnit] = useState<DurationUnit>(amount?.unit ?? fallback?.unit ?? 'hours');
  useEffect(() => {
    const a = amountOf(value);
    if (a && (a.n !== Number(text) || a.unit !== unit)) {
      setText(String(a.n));
      setUnit(a.unit);
    }
    // the text follows the value only when it changed from elsewhere
  }, [value]);
  const n = text.trim() === '' ? undefined : Number(text);
  const problem =
    n !== undefined && !(Number.isInteger(n) && n > 0)
      ? t('duration.wholeAbove0')
      : n === undefined && !optional
        ? t('duration.howLong')
        : null;
  const emit = (t: string, u: DurationUnit) => {
    const x = t.trim() === '' ? undefined : Number(t);
    if (x === undefined) onChange(optional ? undefined : value);
    else if (Number.isInteger(x) && x > 0) onChange(isoOf({ n: x, unit: u }));
  };
  const unknown = value !== undefined && value !== '' && !amount;
  return (
    <Field
      label={label}
      hint={unknown ? `${hint ? `${hint} · ` : ''}${t('duration.setInAdvanced', { value })}` : hint}
      path={path}
      problem={problem}
    >
      {(id, note) => (
        <span className="jf-duration">
          <input
            id={id}
            aria-describedby={note}
            type="text"
            inputMode="numeric"
            value={text}
            placeholder={fallback ? String(fallback.n) : undefined}
            onChange={(e) => {
              setText(e.target.value);
              emit(e.target.value, unit);
            }}
          />
          <select
            aria-label={t('duration.unitOf', { label })}
            value={unit}
            onChange={(e) => {
              setUnit(e.target.value as DurationUnit);
              emit(text, e.target.value as DurationUnit);
            }}
          >
            {DURATION_UNITS.map((u) => (
              <option key={u.value} value={u.value}>
                {u.label}
              </option>
            ))}
          </select>
        </span>
      )}
    </Field>
  );
}
