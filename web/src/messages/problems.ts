// Template problems out of an API error: the `errors` (or `problems`) list of a 400 invalid_template or 422 template_error.
import { ApiError } from '../api';
import type { TemplateProblem } from './types';

export function problemsOf(err: unknown): TemplateProblem[] | null {
  if (!(err instanceof ApiError) || !err.body || typeof err.body !== 'object') return null;
  const body = err.body as { errors?: unknown; problems?: unknown };
  const list = Array.isArray(body.errors) ? body.errors : Array.isArray(body.problems) ? body.problems : null;
  return list && list.length ? (list as TemplateProblem[]) : null;
}

export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
