// Journey editor page (#/journeys/new, #/journeys/<id>): settings, the canvas with its palette and side form (or the JSON),
// live validation, Save / Activate / Pause / Archive, live per-step counts and a customer's runs.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { apiGet, apiPath, apiSend } from '../api';
import { journeyHref } from '../router';
import type { SegmentsResponse } from '../types';
import {
  addStep,
  removeStep,
  renameStep,
  replaceStep,
  stepIndexOfPath,
  TRIGGER_NODE,
  withPositions,
} from '../journeys/graph';
import type { DefinitionError, Journey, JourneyDef, StepType } from '../journeys/types';
import { useJourneyStats } from '../journeys/useJourneyStats';
import { useValidation } from '../journeys/useValidation';
import { notReadyProblems } from '../journeys/refusal';
import { JourneyCanvas } from '../components/journeys/JourneyCanvas';
import { JourneySettings } from '../components/journeys/JourneySettings';
import { JourneyToolbar } from '../components/journeys/JourneyToolbar';
import { StepPalette } from '../components/journeys/StepPalette';
import { StepForm } from '../components/journeys/StepForm';
import { TriggerForm } from '../components/journeys/TriggerForm';
import { DefinitionJson } from '../components/journeys/DefinitionJson';
import { ProblemList, ValidationPanel } from '../components/journeys/ValidationPanel';
import { CustomerRuns } from '../components/journeys/CustomerRuns';
import { VocabularyLists } from '../components/journeys/Vocabulary';
import { useVocabulary } from '../journeys/useVocabulary';
import { validForDefault } from '../../../src/journeys/validity.ts';
import '../journeys.css';
import { t } from '../i18n';

const BLANK: JourneyDef = {
  purpose: 'marketing',
  trigger: { type: 'event', event: '' },
  entry: { mode: 'every' },
  start: '',
  steps: [],
};
const snapshot = (name: string, def: JourneyDef) => JSON.stringify({ name, def });
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function JourneyEditor({ id }: { id: string | null }) {
  const [journey, setJourney] = useState<Journey | null>(null);
  const [name, setName] = useState('');
  const [definition, setDefinition] = useState<JourneyDef>(BLANK);
  const [saved, setSaved] = useState(snapshot('', BLANK));
  const [selected, setSelected] = useState<string | null>(null);
  const [tab, setTab] = useState<'canvas' | 'json'>('canvas');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** What the server named when it refused to let the journey go live (activate, or save an active one). */
  const [refusal, setRefusal] = useState<DefinitionError[] | null>(null);
  /** Bumped to check the draft against the workspace again (after an activation attempt). */
  const [round, setRound] = useState(0);
  const [segments, setSegments] = useState<{ id: string; name: string }[]>([]);
  /** The journey whose data is on screen (set on load and on create, so creating does not reload). */
  const shown = useRef<string | null>(null);

  const adopt = useCallback((j: Journey) => {
    shown.current = j.id;
    setJourney(j);
    setName(j.name);
    setDefinition(j.definition);
    setSaved(snapshot(j.name, j.definition));
  }, []);

  useEffect(() => {
    if (id === shown.current) return;
    let live = true;
    shown.current = id;
    setSelected(null);
    setNotice(null);
    setError(null);
    if (id === null) {
      setJourney(null);
      setName('');
      setDefinition(BLANK);
      setSaved(snapshot('', BLANK));
    } else {
      apiGet<Journey>(apiPath(`/journeys/${encodeURIComponent(id)}`))
        .then((j) => live && adopt(j))
        .catch((err) => live && setError(messageOf(err)));
    }
    return () => {
      live = false;
    };
  }, [id, adopt]);

  useEffect(() => {
    apiGet<SegmentsResponse>(apiPath('/segments'))
      .then((r) => setSegments(r.segments.filter((s) => s.status === 'active')))
      .catch(() => undefined);
  }, []);

  const vocabulary = useVocabulary(
    definition.trigger.type === 'event' ? definition.trigger.event || undefined : undefined,
  );
  // a new journey is checked once the marketer has done something: a blank one does not open with errors; a saved one
  // once it has loaded (not the blank page shown while it loads)
  const touched = id === null ? snapshot(name, definition) !== snapshot('', BLANK) : journey?.id === id;
  const validation = useValidation(definition, round, touched);
  const stats = useJourneyStats(journey?.id ?? null);
  // the definition's errors, else what would refuse its activation: both shown by the steps they belong to
  const errors = useMemo(
    (): DefinitionError[] =>
      validation.state === 'invalid' ? validation.errors : validation.state === 'ok' ? validation.warnings : [],
    [validation],
  );
  const dirty = snapshot(name, definition) !== saved;

  /** Node id each problem belongs to: its step, else the trigger (journey-wide problems too). */
  const errorNode = useCallback(
    (e: DefinitionError) => {
      const i = stepIndexOfPath(e.path);
      return i !== null && definition.steps[i] ? definition.steps[i].id : TRIGGER_NODE;
    },
    [definition],
  );
  const problems = useMemo(() => {
    const m = new Map<string, number>();
    for (const e of errors) m.set(errorNode(e), (m.get(errorNode(e)) ?? 0) + 1);
    return m;
  }, [errors, errorNode]);

  const update = useCallback((fn: (def: JourneyDef) => JourneyDef) => setDefinition(fn), []);
  const step = selected && selected !== TRIGGER_NODE ? definition.steps.find((s) => s.id === selected) : undefined;
  const stepIds = definition.steps.map((s) => s.id);

  function add(type: StepType) {
    const r = addStep(definition, type, step?.id ?? null);
    setDefinition(r.def);
    setSelected(r.id);
  }

  /** Runs an action; a refusal to go live shows `refused` and its problems. Never rejects (called with `void`). */
  async function run(what: () => Promise<string>, refused: string) {
    setBusy(true);
    setNotice(null);
    setError(null);
    setRefusal(null);
    try {
      setNotice(await what());
    } catch (err) {
      const problems = notReadyProblems(err);
      setRefusal(problems);
      setError(problems ? refused : messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const save = () =>
    run(async () => {
      const def = withPositions(definition);
      if (!journey) {
        const created = await apiSend<Journey>('POST', apiPath('/journeys'), { name, definition: def });
        adopt(created);
        window.location.hash = journeyHref(created.id);
        return t('editor.savedDraft', { name: created.name });
      }
      const updated = await apiSend<Journey>('PUT', apiPath(`/journeys/${encodeURIComponent(journey.id)}`), {
        name,
        definition: def,
      });
      adopt(updated);
      return updated.version !== journey.version
        ? t('editor.savedVersion', { version: updated.version })
        : t('editor.saved');
    }, t('editor.notSaved'));

  const act = (action: 'activate' | 'pause' | 'archive') =>
    run(async () => {
      if (action === 'activate') setRound((n) => n + 1); // the steps show what the workspace has now
      const j = await apiSend<Journey>('POST', apiPath(`/journeys/${encodeURIComponent(journey!.id)}/${action}`));
      setJourney(j);
      return action === 'activate'
        ? t('editor.activated', { version: j.activeVersion ?? j.version })
        : action === 'pause'
          ? t('editor.paused')
          : t('editor.archived');
    }, t('editor.notActivated'));

  if (id !== null && !journey) {
    return error ? (
      <>
        <h1>{t('title.journey')}</h1>
        <p className="error" role="alert">
          {error}
        </p>
        <p>
          <a href="#/journeys">{t('editor.back')}</a>
        </p>
      </>
    ) : (
      <p className="muted">{t('common.loading')}</p>
    );
  }

  return (
    <>
      <JourneyToolbar
        journey={journey}
        name={name}
        dirty={dirty}
        valid={validation.state === 'ok'}
        busy={busy}
        onSave={() => void save()}
        onAction={(action) => void act(action)}
      />
      {notice && (
        <p className="notice" role="status" data-testid="journey-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {refusal && <ProblemList problems={refusal} testId="journey-refusal" />}

      <section className="card">
        <JourneySettings name={name} definition={definition} onName={setName} onChange={setDefinition} />
      </section>

      <section className="card journey-editor">
        <div className="card-head">
          <div className="toggle" role="tablist" aria-label={t('editor.view')}>
            {(['canvas', 'json'] as const).map((v) => (
              <button
                key={v}
                type="button"
                role="tab"
                aria-selected={tab === v}
                className={tab === v ? 'on' : undefined}
                onClick={() => setTab(v)}
              >
                {v === 'canvas' ? t('editor.canvas') : t('editor.advanced')}
              </button>
            ))}
          </div>
          {stats && (
            <p className="muted journey-totals" data-testid="journey-totals">
              {t('editor.totals', {
                entered: stats.entered,
                active: stats.active,
                completed: stats.completed,
                exited: stats.exited,
              })}
            </p>
          )}
        </div>
        {tab === 'json' ? (
          <DefinitionJson definition={definition} onChange={setDefinition} />
        ) : (
          <>
            <StepPalette onAdd={add} />
            <div className="journey-workspace">
              <JourneyCanvas
                definition={definition}
                selected={selected}
                stats={stats}
                problems={problems}
                onSelect={setSelected}
                update={update}
              />
              <aside className="journey-side" aria-label={t('editor.selected')}>
                {selected === TRIGGER_NODE ? (
                  <TriggerForm
                    trigger={definition.trigger}
                    start={definition.start}
                    stepIds={stepIds}
                    errors={errors.filter((e) => errorNode(e) === TRIGGER_NODE)}
                    onChange={(trigger) => setDefinition((d) => ({ ...d, trigger }))}
                    onStart={(start) => setDefinition((d) => ({ ...d, start }))}
                  />
                ) : step ? (
                  <StepForm
                    key={step.id}
                    step={step}
                    at={`$.steps[${definition.steps.indexOf(step)}]`}
                    stepIds={stepIds}
                    validForDefault={validForDefault(definition.purpose ?? 'marketing', definition.trigger.type)}
                    errors={errors.filter((e) => errorNode(e) === step.id)}
                    onChange={(s) => setDefinition((d) => replaceStep(d, step.id, s))}
                    onRename={(to) => {
                      setDefinition((d) => renameStep(d, step.id, to));
                      setSelected(to);
                    }}
                    onDelete={() => {
                      setDefinition((d) => removeStep(d, step.id));
                      setSelected(null);
                    }}
                  />
                ) : (
                  <p className="muted">{t('editor.selectHint')}</p>
                )}
              </aside>
            </div>
          </>
        )}
        <ValidationPanel validation={validation} />
      </section>

      {journey && <CustomerRuns journeyId={journey.id} />}

      <VocabularyLists vocabulary={vocabulary} segments={segments} />
    </>
  );
}
