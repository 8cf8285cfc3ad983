// useValidation: checks the draft definition with POST /journeys/validate, debounced; older answers are dropped. A valid
// draft comes with its warnings: what would refuse its activation in this workspace (a missing template, a channel
// without a provider, a missing segment). Checked again when `round` changes and when the window regains focus (the
// marketer may have added the template or provider in another tab).
import { useEffect, useRef, useState } from 'react';
import { ApiError, apiPath, apiSend } from '../api';
import type { DefinitionError, JourneyDef } from './types';

const DEBOUNCE_MS = 300;

export type Validation =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'ok'; warnings: DefinitionError[] }
  | { state: 'invalid'; errors: DefinitionError[] }
  | { state: 'failed'; message: string };

/** With `enabled` false (a new journey nobody has touched yet) nothing is checked and the state is idle. */
export function useValidation(definition: JourneyDef, round = 0, enabled = true): Validation {
  const [result, setResult] = useState<Validation>(enabled ? { state: 'checking' } : { state: 'idle' });
  const [focused, setFocused] = useState(0);
  const request = useRef(0);
  const checked = useRef<string | null>(null);
  const body = JSON.stringify({ definition });

  useEffect(() => {
    const again = () => setFocused((n) => n + 1);
    window.addEventListener('focus', again);
    return () => window.removeEventListener('focus', again);
  }, []);

  useEffect(() => {
    const id = ++request.current;
    if (!enabled) {
      checked.current = null;
      setResult({ state: 'idle' });
      return;
    }
    if (checked.current !== body) setResult({ state: 'checking' }); // a re-check of the same draft keeps what is shown
    checked.current = body;
    const timer = window.setTimeout(() => {
      apiSend<{ ok: true; warnings?: DefinitionError[] }>('POST', apiPath('/journeys/validate'), JSON.parse(body))
        .then((r) => id === request.current && setResult({ state: 'ok', warnings: r.warnings ?? [] }))
        .catch((err: Error) => {
          if (id !== request.current) return;
          const errors =
            err instanceof ApiError ? (err.body as { errors?: DefinitionError[] } | null)?.errors : undefined;
          setResult(errors?.length ? { state: 'invalid', errors } : { state: 'failed', message: err.message });
        });
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [body, round, focused, enabled]);

  return result;
}
