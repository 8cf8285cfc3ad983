// A provider form's values (pure): read from the saved (masked) settings, turned back into settings to send, and the
// API's refusals placed next to their fields.
import { MASK, type FormField, type ProviderForm } from './types.ts';
import { insideProblem, notJson, problemWords } from './words.ts';

/** What each field holds on screen, by path: text as typed, checkboxes as booleans. Secrets start empty. */
export type Values = Record<string, string | boolean>;
type Json = Record<string, unknown>;

function get(config: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((at, k) => (at && typeof at === 'object' ? (at as Json)[k] : undefined), config);
}

function set(config: Json, path: string, value: unknown): void {
  const steps = path.split('.');
  let at = config;
  for (const step of steps.slice(0, -1)) {
    if (!at[step] || typeof at[step] !== 'object') at[step] = {};
    at = at[step] as Json;
  }
  at[steps.at(-1)!] = value;
}

/** Removes a setting, and the objects left empty above it. */
function unset(config: Json, path: string): void {
  const steps = path.split('.');
  const parents: Json[] = [config];
  for (const step of steps.slice(0, -1)) {
    const next = parents.at(-1)![step];
    if (!next || typeof next !== 'object') return;
    parents.push(next as Json);
  }
  delete parents.at(-1)![steps.at(-1)!];
  for (let i = parents.length - 1; i > 0; i--)
    if (Object.keys(parents[i]!).length === 0) delete parents[i - 1]![steps[i - 1]!];
}

/** The form's values from saved settings (null: a new channel). */
export function valuesFrom(form: ProviderForm, config: Json | null): Values {
  const values: Values = {};
  for (const f of form.fields) {
    const v = config ? get(config, f.path) : undefined;
    if (f.kind === 'boolean') values[f.path] = v === true;
    else if (f.kind === 'secret') values[f.path] = '';
    else if (f.kind === 'json') values[f.path] = v === undefined ? '' : JSON.stringify(v, null, 2);
    else values[f.path] = v === undefined || v === null ? '' : String(v);
  }
  return values;
}

/** The secret fields that have a saved value (shown as "set — leave empty to keep"). */
export function savedSecrets(form: ProviderForm, config: Json | null): Set<string> {
  return new Set(
    form.fields.filter((f) => f.kind === 'secret' && config && get(config, f.path) !== undefined).map((f) => f.path),
  );
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * The settings to send: the saved ones (masked; what the form does not show is kept) with each field put in. An empty
 * secret that is saved goes as MASK (keep it); other empty fields are left out (the provider's default applies). A
 * number that is not one goes as typed, for the API to name the field. `errors`: JSON fields that do not parse.
 */
export function configFrom(
  form: ProviderForm,
  values: Values,
  saved: Json | null,
  secrets: Set<string>,
): { config: Json; errors: Record<string, string> } {
  const config = structuredClone(saved ?? {}) as Json;
  const errors: Record<string, string> = {};
  for (const f of form.fields) unset(config, f.path);
  for (const f of form.fields) {
    const raw = values[f.path];
    if (f.kind === 'boolean') {
      if (raw === true) set(config, f.path, true);
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (f.kind === 'secret') {
      if (text) set(config, f.path, f.multiline ? String(raw) : text);
      else if (secrets.has(f.path)) set(config, f.path, MASK);
      continue;
    }
    if (!text) continue;
    if (f.kind === 'number') set(config, f.path, NUMBER.test(text) ? Number(text) : text);
    else if (f.kind === 'json') {
      try {
        set(config, f.path, JSON.parse(text));
      } catch {
        errors[f.path] = notJson();
      }
    } else set(config, f.path, text);
  }
  return { config, errors };
}

/** One problem as the API names it: the field's path, its English words, and its stable code with values. */
export interface Issue {
  field: string;
  reason: string;
  code?: string;
  values?: Record<string, string | number>;
}

/**
 * The API's issues by form field ("config.auth.pass" → "auth.pass", a setting inside a JSON field → that field,
 * "to" stays "to"), each in the dashboard's language; the rest (settings the form does not show) in `other`.
 */
export function placeIssues(
  fields: FormField[],
  issues: Issue[],
): { byField: Record<string, string>; other: string[] } {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const issue of issues) {
    const path = issue.field.replace(/^config\./, '');
    const field =
      issue.field === 'to' ? { path: 'to' } : fields.find((f) => f.path === path || path.startsWith(`${f.path}.`));
    const words = problemWords(issue);
    if (!field) other.push(`${issue.field}: ${words}`);
    else {
      const said = field.path === path ? words : insideProblem(path.slice(field.path.length + 1), words);
      byField[field.path] = byField[field.path] ? `${byField[field.path]}; ${said}` : said;
    }
  }
  return { byField, other };
}
