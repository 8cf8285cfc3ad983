// Properties as form rows ("cartId" equals "c1", "coupon" = "CART10"): a key (suggested from a datalist) and a value,
// instead of a JSON object. Values that are not plain (a per-customer pick) stay as they are, edited in Advanced.
import { useContext, useEffect, useState } from 'react';
import type { Scalar } from '../../journeys/types';
import { FieldProblems, type Base } from './fields';
import { t } from '../../i18n';

type Row = { key: string; value: string };
const toRows = (o: Record<string, unknown> | undefined): Row[] =>
  Object.entries(o ?? {}).map(([key, v]) => ({
    key,
    value: v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v),
  }));
/** A typed value: numbers and true/false as such, the rest as text. */
const scalarOf = (t: string): Scalar =>
  t === 'true' ? true : t === 'false' ? false : t.trim() !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
const isPlain = (v: unknown) => v === null || typeof v !== 'object';

function fromRows(rs: Row[], emptyIsNull = false): Record<string, Scalar | null> {
  const out: Record<string, Scalar | null> = {};
  for (const r of rs) if (r.key.trim()) out[r.key.trim()] = emptyIsNull && r.value === '' ? null : scalarOf(r.value);
  return out;
}

/** `emptyIsNull`: an empty value is null (an update step's "remove this trait"), shown as empty. */
export function RowsField({
  label,
  hint,
  path,
  value,
  onChange,
  keys,
  verb = 'equals',
  keyPlaceholder,
  valuePlaceholder,
  emptyIsNull = false,
}: Base & {
  value: Record<string, unknown> | undefined;
  onChange: (v: Record<string, Scalar> | undefined) => void;
  emptyIsNull?: boolean;
  keys?: string;
  verb?: string;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
}) {
  const found = useContext(FieldProblems);
  const problem = path ? found(path) : null;
  const plainOf = (v: Record<string, unknown> | undefined) =>
    Object.fromEntries(Object.entries(v ?? {}).filter(([, x]) => isPlain(x)));
  const [rows, setRows] = useState<Row[]>(() => toRows(plainOf(value)));
  useEffect(() => {
    setRows((r) =>
      JSON.stringify(fromRows(r, emptyIsNull)) === JSON.stringify(plainOf(value)) ? r : toRows(plainOf(value)),
    );
  }, [value]);
  const picked = Object.entries(value ?? {}).filter(([, v]) => !isPlain(v));
  const set = (rs: Row[]) => {
    setRows(rs);
    const all = { ...Object.fromEntries(picked), ...fromRows(rs, emptyIsNull) } as Record<string, Scalar>;
    onChange(Object.keys(all).length ? all : undefined);
  };
  return (
    <fieldset className="jf-group jf-rows">
      <legend>{label}</legend>
      {picked.map(([k]) => (
        <p key={k} className="muted">
          {k}: chosen per customer (edit it in Advanced)
        </p>
      ))}
      {rows.map((r, i) => (
        <div key={i} className="jf-row">
          <input
            aria-label={t('rows.key', { label, n: i + 1 })}
            type="text"
            list={keys}
            placeholder={keyPlaceholder}
            value={r.key}
            onChange={(e) => set(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
          />
          <span className="muted">{verb}</span>
          <input
            aria-label={t('rows.value', { label, n: i + 1 })}
            type="text"
            placeholder={valuePlaceholder}
            value={r.value}
            onChange={(e) => set(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
          />
          <button
            type="button"
            className="button secondary small"
            aria-label={t('rows.remove', { label, n: i + 1 })}
            onClick={() => set(rows.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button secondary small"
        onClick={() => setRows([...rows, { key: '', value: '' }])}
      >
        {t('rows.add')}
      </button>
      {problem ? <small className="jf-problem">{problem}</small> : hint && <small className="muted">{hint}</small>}
    </fieldset>
  );
}
