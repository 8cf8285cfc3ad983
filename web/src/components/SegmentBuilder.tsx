// Segment builder: condition rows (or a JSON editor), all/any at the top, a live count with a sample, and Save.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError, apiPath, apiSend } from '../api';
import { customerHref } from '../router';
import {
  AGGREGATES,
  KINDS,
  NUMBER_SCORES,
  POINT_BALANCES,
  SCORE_HINTS,
  TEXT_SCORES,
  TIER_FIELDS,
  changeRow,
  definitionToRows,
  inputsFor,
  newRow,
  opsFor,
  prettyDefinition,
  rowOfPath,
  rowsToDefinition,
  type Combinator,
  type Kind,
  type Option,
  type Row,
} from '../segmentRows';
import type { SegmentPreview } from '../types';
import '../segments.css';
import { t } from '../i18n';

const DEBOUNCE_MS = 300;
const SAMPLE_SIZE = 5;

interface Props {
  /** Segments a condition may refer to (id and name). */
  segments: Option[];
  initial?: { name: string; definition: unknown };
  saveLabel: string;
  onSave: (name: string, definition: unknown) => Promise<void>;
  onCancel?: () => void;
}

type Preview =
  | { state: 'idle'; message: string }
  | { state: 'loading'; last: SegmentPreview | null }
  | { state: 'done'; result: SegmentPreview }
  | { state: 'error'; message: string; errors: { path: string; message: string }[] };

const plural = (n: number) => t('builder.matches', { count: n });

export function SegmentBuilder({ segments, initial, saveLabel, onSave, onCancel }: Props) {
  const start = useMemo(() => (initial ? definitionToRows(initial.definition) : null), [initial]);
  const [name, setName] = useState(initial?.name ?? '');
  const [mode, setMode] = useState<'rows' | 'json'>(initial && !start ? 'json' : 'rows');
  const [combinator, setCombinator] = useState<Combinator>(start?.combinator ?? 'and');
  const [rows, setRows] = useState<Row[]>(start?.rows ?? [newRow('aggregate')]);
  const [json, setJson] = useState(() => (initial ? prettyDefinition(initial.definition) : ''));
  const [note, setNote] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview>({ state: 'idle', message: '' });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const requestId = useRef(0);

  // What would be saved: from the rows, or the JSON text; with what is missing before it can be counted.
  const current = useMemo((): { definition: unknown; problem: string | null; rowProblems: Map<number, string> } => {
    if (mode === 'json') {
      if (!json.trim()) return { definition: null, problem: t('builder.writeDefinition'), rowProblems: new Map() };
      try {
        return { definition: JSON.parse(json), problem: null, rowProblems: new Map() };
      } catch (err) {
        return {
          definition: null,
          problem: t('builder.notJson', { error: (err as Error).message }),
          rowProblems: new Map(),
        };
      }
    }
    const { definition, problems } = rowsToDefinition(rows, combinator);
    const rowProblems = new Map(problems.map((p) => [p.row, p.message]));
    const first = problems[0];
    return {
      definition,
      problem: first ? t('builder.conditionProblem', { n: first.row + 1, problem: first.message }) : null,
      rowProblems,
    };
  }, [mode, json, rows, combinator]);
  const key = current.problem ? null : JSON.stringify(current.definition);

  // The live count: a debounced preview of every change; answers to older requests are dropped.
  useEffect(() => {
    const id = ++requestId.current;
    if (key === null) {
      setPreview({ state: 'idle', message: current.problem ?? '' });
      return;
    }
    setPreview((p) => ({
      state: 'loading',
      last: p.state === 'done' ? p.result : p.state === 'loading' ? p.last : null,
    }));
    const timer = window.setTimeout(() => {
      apiSend<SegmentPreview>('POST', apiPath('/segments/preview'), {
        definition: JSON.parse(key),
        sampleSize: SAMPLE_SIZE,
      })
        .then((result) => id === requestId.current && setPreview({ state: 'done', result }))
        .catch((err: Error) => {
          if (id !== requestId.current) return;
          const errors =
            err instanceof ApiError
              ? ((err.body as { errors?: { path: string; message: string }[] } | null)?.errors ?? [])
              : [];
          setPreview({ state: 'error', message: err.message, errors });
        });
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
    // current.problem only matters when key is null, and then it is part of what changed.
  }, [key, current.problem]);

  // Server-side errors of the definition, shown under the row they point at.
  const serverRowErrors = useMemo(() => {
    const m = new Map<number, string>();
    if (mode !== 'rows' || preview.state !== 'error') return m;
    for (const e of preview.errors) {
      const r = rowOfPath(e.path, rows.length);
      if (r !== null && !m.has(r)) m.set(r, e.message);
    }
    return m;
  }, [mode, preview, rows.length]);

  const update = (i: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? changeRow(r, patch, segments) : r)));

  function toJson() {
    setJson(prettyDefinition(current.definition));
    setNote(null);
    setMode('json');
  }

  function toRows() {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      setNote(t('builder.jsonNoParse'));
      return;
    }
    const back = definitionToRows(parsed);
    if (!back) {
      setNote(t('builder.needsJson'));
      return;
    }
    setRows(back.rows);
    setCombinator(back.combinator);
    setNote(null);
    setMode('rows');
  }

  // Never rejects (a failure becomes the form's error), so the form calls it with `void`.
  async function save(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setSaveError(null);
    try {
      await onSave(name.trim(), current.definition);
    } catch (err) {
      setSaveError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  const canSave = !saving && name.trim() !== '' && current.problem === null && preview.state !== 'error';

  return (
    <form className="builder" onSubmit={(e) => void save(e)} data-testid="segment-builder">
      <label className="field builder-name">
        {t('common.name')}
        <input
          type="text"
          name="segmentName"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder={t('builder.namePlaceholder')}
          maxLength={200}
        />
      </label>

      <div className="builder-bar">
        {mode === 'rows' ? (
          <div className="builder-combinator">
            {t('builder.customersWhoMatch')}
            <div className="toggle" role="group" aria-label={t('builder.matchAllOrAny')}>
              {(['and', 'or'] as const).map((c) => (
                <button
                  key={c}
                  type="button"
                  className={combinator === c ? 'on' : undefined}
                  aria-pressed={combinator === c}
                  onClick={() => setCombinator(c)}
                >
                  {c === 'and' ? t('builder.all') : t('builder.any')}
                </button>
              ))}
            </div>
            {t('builder.ofTheseConditions')}
          </div>
        ) : (
          <div className="muted">{t('builder.jsonHint')}</div>
        )}
        <div className="toggle" role="group" aria-label={t('builder.editor')}>
          <button
            type="button"
            className={mode === 'rows' ? 'on' : undefined}
            aria-pressed={mode === 'rows'}
            onClick={() => mode !== 'rows' && toRows()}
          >
            {t('builder.rows')}
          </button>
          <button
            type="button"
            className={mode === 'json' ? 'on' : undefined}
            aria-pressed={mode === 'json'}
            onClick={() => mode !== 'json' && toJson()}
          >
            JSON
          </button>
        </div>
      </div>
      {note && <p className="note">{note}</p>}

      {mode === 'rows' ? (
        <div className="conditions">
          {rows.map((row, i) => (
            <ConditionRow
              key={i}
              index={i}
              row={row}
              segments={segments}
              problem={serverRowErrors.get(i) ?? null}
              onChange={(patch) => update(i, patch)}
              onRemove={rows.length > 1 ? () => setRows((rs) => rs.filter((_, j) => j !== i)) : undefined}
            />
          ))}
          <button
            type="button"
            className="button secondary add-condition"
            onClick={() => setRows((rs) => [...rs, newRow('aggregate', segments)])}
          >
            {t('builder.addCondition')}
          </button>
        </div>
      ) : (
        <textarea
          className="json-editor"
          name="definitionJson"
          aria-label={t('builder.definitionJson')}
          spellCheck={false}
          value={json}
          onChange={(e) => setJson(e.target.value)}
          rows={Math.min(24, Math.max(8, json.split('\n').length + 1))}
        />
      )}

      <div className="live" aria-live="polite">
        <LiveCount preview={preview} />
      </div>

      {saveError && (
        <p className="error" role="alert">
          {saveError}
        </p>
      )}
      <div className="builder-actions">
        <button type="submit" className="button" disabled={!canSave}>
          {saving ? t('common.saving') : saveLabel}
        </button>
        {onCancel && (
          <button type="button" className="button secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

function LiveCount({ preview }: { preview: Preview }) {
  if (preview.state === 'idle') {
    return (
      <p className="live-count muted" data-testid="live-count">
        {preview.message || t('builder.completeConditions')}
      </p>
    );
  }
  if (preview.state === 'error') {
    return (
      <p className="live-count error" data-testid="live-count" role="alert">
        {preview.message}
      </p>
    );
  }
  const result = preview.state === 'done' ? preview.result : preview.last;
  return (
    <>
      <p
        className={`live-count${preview.state === 'loading' ? ' counting' : ''}`}
        data-testid="live-count"
        aria-busy={preview.state === 'loading'}
      >
        {result ? plural(result.count) : t('builder.counting')}
      </p>
      {result && result.sample.length > 0 && (
        <p className="sample muted" data-testid="live-sample">
          {t('builder.forExample')}{' '}
          {result.sample.map((c, i) => (
            <span key={c.id}>
              {i > 0 && ', '}
              <a href={customerHref(c.id)}>{c.userId ?? c.email ?? t('builder.customerN', { id: c.id })}</a>
            </span>
          ))}
          {result.count > result.sample.length && ', …'}
        </p>
      )}
    </>
  );
}

interface RowProps {
  index: number;
  row: Row;
  segments: Option[];
  problem: string | null;
  onChange: (patch: Partial<Row>) => void;
  onRemove?: () => void;
}

function Select({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: Option[];
  onChange: (v: string) => void;
}) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

function Text({
  label,
  value,
  onChange,
  placeholder,
  size = 'm',
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  size?: 's' | 'm';
}) {
  return (
    <input
      type="text"
      className={`cond-input ${size}`}
      aria-label={label}
      value={value}
      placeholder={placeholder}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export function ConditionRow({ index, row, segments, problem, onChange, onRemove }: RowProps) {
  const n = index + 1;
  const need = inputsFor(row);
  const ops = opsFor(row);
  const fieldLabel = t('builder.cond.field', { n });
  let field;
  switch (row.kind) {
    case 'aggregate':
      field = (
        <Select label={fieldLabel} value={row.field} options={AGGREGATES} onChange={(v) => onChange({ field: v })} />
      );
      break;
    case 'score':
      field = (
        <select aria-label={fieldLabel} value={row.field} onChange={(e) => onChange({ field: e.target.value })}>
          <optgroup label={t('builder.numbers')}>
            {NUMBER_SCORES.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('builder.labels')}>
            {TEXT_SCORES.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </optgroup>
        </select>
      );
      break;
    case 'segment':
      field = segments.length ? (
        <Select
          label={fieldLabel}
          value={row.field}
          options={[...(row.field ? [] : [{ value: '', label: t('builder.choose') }]), ...segments]}
          onChange={(v) => onChange({ field: v })}
        />
      ) : (
        <span className="muted">{t('builder.noOtherSegments')}</span>
      );
      break;
    case 'trait':
      field = (
        <Text
          label={fieldLabel}
          value={row.field}
          onChange={(v) => onChange({ field: v })}
          placeholder={t('builder.traitPlaceholder')}
        />
      );
      break;
    case 'event':
      field = (
        <Text
          label={fieldLabel}
          value={row.field}
          onChange={(v) => onChange({ field: v })}
          placeholder={t('builder.eventPlaceholder')}
        />
      );
      break;
    case 'consent':
      field = (
        <Text
          label={fieldLabel}
          value={row.field}
          onChange={(v) => onChange({ field: v })}
          placeholder={t('builder.channelPlaceholder')}
          size="s"
        />
      );
      break;
    case 'points':
      field = (
        <Select
          label={fieldLabel}
          value={row.field}
          options={POINT_BALANCES}
          onChange={(v) => onChange({ field: v })}
        />
      );
      break;
    case 'tier':
      field = (
        <Select label={fieldLabel} value={row.field} options={TIER_FIELDS} onChange={(v) => onChange({ field: v })} />
      );
      break;
  }
  const valueHint =
    row.kind === 'score'
      ? SCORE_HINTS[row.field]?.()
      : need.value === 'list'
        ? 'a, b, c'
        : need.value === 'date'
          ? '2026-03-01'
          : t('builder.value');
  const opLabel = row.kind === 'consent' ? t('builder.cond.purpose', { n }) : t('builder.cond.operator', { n });

  return (
    <div className={`condition${problem ? ' has-problem' : ''}`} data-testid="condition-row">
      <div className="condition-inputs">
        <Select
          label={t('builder.cond.kind', { n })}
          value={row.kind}
          options={KINDS}
          onChange={(v) => onChange({ kind: v as Kind })}
        />
        {row.kind === 'consent' && <span className="word">{t('builder.grantedFor')}</span>}
        {row.kind !== 'consent' && row.kind !== 'segment' && field}
        <Select label={opLabel} value={row.op} options={ops} onChange={(v) => onChange({ op: v })} />
        {(row.kind === 'consent' || row.kind === 'segment') && field}
        {need.value && (
          <Text
            label={t('builder.cond.value', { n })}
            value={row.value}
            onChange={(v) => onChange({ value: v })}
            placeholder={valueHint}
            size={need.value === 'number' ? 's' : 'm'}
          />
        )}
        {need.between && (
          <>
            <span className="word">{t('builder.and')}</span>
            <Text
              label={t('builder.cond.upperValue', { n })}
              value={row.value2}
              onChange={(v) => onChange({ value2: v })}
              placeholder={t('builder.value')}
              size="s"
            />
          </>
        )}
        {need.count && (
          <>
            <Text
              label={t('builder.cond.times', { n })}
              value={row.count}
              onChange={(v) => onChange({ count: v })}
              placeholder="1"
              size="s"
            />
            <span className="word">{t('builder.times')}</span>
          </>
        )}
        {need.days && (
          <>
            {need.days === 'optional' && <span className="word">{t('builder.inTheLast')}</span>}
            <Text
              label={t('builder.cond.days', { n })}
              value={row.days}
              onChange={(v) => onChange({ days: v })}
              placeholder={need.days === 'optional' ? t('builder.allTime') : t('builder.days')}
              size="s"
            />
            <span className="word">{t('builder.days')}</span>
          </>
        )}
        {need.where && (
          <>
            <span className="word">{t('builder.where')}</span>
            <Text
              label={t('builder.cond.propertyName', { n })}
              value={row.whereKey}
              onChange={(v) => onChange({ whereKey: v })}
              placeholder={t('builder.property')}
              size="s"
            />
            <span className="word">=</span>
            <Text
              label={t('builder.cond.propertyValue', { n })}
              value={row.whereValue}
              onChange={(v) => onChange({ whereValue: v })}
              placeholder={t('builder.value')}
              size="s"
            />
          </>
        )}
        {onRemove && (
          <button
            type="button"
            className="remove"
            aria-label={t('builder.cond.remove', { n })}
            title={t('common.remove')}
            onClick={onRemove}
          >
            ×
          </button>
        )}
      </div>
      {problem && <p className="condition-problem">{problem}</p>}
    </div>
  );
}
