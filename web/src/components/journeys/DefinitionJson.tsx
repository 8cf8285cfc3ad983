// The JSON tab: the whole definition as text; edits that parse into a trigger and a list of steps replace the draft.
import { useState } from 'react';
import type { JourneyDef } from '../../journeys/types';
import { t } from '../../i18n';

/** Why `v` cannot be drawn as a journey (the server's validation reports everything else). */
function shapeProblem(v: unknown): string | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return t('json.object');
  const d = v as Record<string, unknown>;
  if (!d.trigger || typeof d.trigger !== 'object') return t('json.trigger');
  if (!Array.isArray(d.steps)) return t('json.steps');
  const bad = d.steps.findIndex(
    (s) =>
      !s ||
      typeof s !== 'object' ||
      typeof (s as { id?: unknown }).id !== 'string' ||
      typeof (s as { type?: unknown }).type !== 'string',
  );
  if (bad >= 0) return t('json.step', { index: bad });
  return null;
}

export function DefinitionJson({
  definition,
  onChange,
}: {
  definition: JourneyDef;
  onChange: (def: JourneyDef) => void;
}) {
  const [text, setText] = useState(() => JSON.stringify(definition, null, 2));
  const [problem, setProblem] = useState<string | null>(null);

  function edit(value: string) {
    setText(value);
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (err) {
      setProblem(t('builder.notJson', { error: (err as Error).message }));
      return;
    }
    const shape = shapeProblem(parsed);
    setProblem(shape);
    if (!shape) onChange(parsed as JourneyDef);
  }

  return (
    <div className="journey-json">
      <label className="field">
        <span>{t('json.label')}</span>
        <textarea
          className="json-editor"
          rows={24}
          spellCheck={false}
          value={text}
          onChange={(e) => edit(e.target.value)}
        />
      </label>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
