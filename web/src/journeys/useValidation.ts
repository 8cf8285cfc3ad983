// useValidation: checks the draft definition with POST /journeys/validate, debounced; older answers are dropped.
import { useEffect, useRef, useState } from 'react';
import { ApiError, apiPath, apiSend } from '../api';
import type { DefinitionError, JourneyDef } from './types';

const DEBOUNCE_MS = 300;

export type Validation =
  | { state: 'checking' }
  | { state: 'ok' }
  | { state: 'invalid'; errors: DefinitionError[] }
  | { state: 'failed'; message: string };

export function useValidation(definition: JourneyDef): Validation {
  const [result, setResult] = useState<Validation>({ state: 'checking' });
  const request = useRef(0);
  const body = JSON.stringify({ definition });

  useEffect(() => {
    const id = ++request.current;
    setResult({ state: 'checking' });
    const timer = window.setTimeout(() => {
      apiSend<{ ok: true }>('POST', apiPath('/journeys/validate'), JSON.parse(body))
        .then(() => id === request.current && setResult({ state: 'ok' }))
        .catch((err: Error) => {
          if (id !== request.current) return;
          const errors = err instanceof ApiError ? (err.body as { errors?: DefinitionError[] } | null)?.errors : undefined;
          setResult(errors?.length ? { state: 'invalid', errors } : { state: 'failed', message: err.message });
        });
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [body]);

  return result;
}
