// A journey the server would not let go live (409 not_ready: a template, provider or segment it needs is missing).
import { ApiError } from '../api';
import type { DefinitionError } from './types';

/** The problems of a not_ready answer, by path, or null for any other error. */
export function notReadyProblems(err: unknown): DefinitionError[] | null {
  if (!(err instanceof ApiError) || err.code !== 'not_ready') return null;
  const errors = (err.body as { errors?: DefinitionError[] } | null)?.errors;
  return errors?.length ? errors : null;
}
