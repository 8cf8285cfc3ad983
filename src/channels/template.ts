// Placeholders in a configured request ({{to}}, {{text}}, {{key}}, {{secrets.NAME}}) and a JSON path reader (pure).

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

/** The placeholder names a text uses that `known` does not allow. */
export function unknownPlaceholders(text: string, known: (name: string) => boolean): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !known(name));
}

/** Replaces each {{name}} with encode(values[name]); an unknown name is left as it is. */
export function fill(text: string, values: Record<string, string>, encode: (v: string) => string = (v) => v): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (name in values ? encode(values[name]!) : whole));
}

/** Fills every string inside a JSON value (keys stay as they are), so values are escaped by JSON.stringify, not by us. */
export function fillJson(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') return fill(value, values);
  if (Array.isArray(value)) return value.map((v) => fillJson(v, values));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v, values)]));
  return value;
}

/** Every string in a JSON value with its path, e.g. ["body.to", "{{to}}"]. */
export function stringsIn(value: unknown, path: (string | number)[] = []): [(string | number)[], string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsIn(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringsIn(v, [...path, k]));
  return [];
}

/** Reads "messages[0].id" (or "$.messages[0].id") from a parsed JSON answer. */
export function valueAt(root: unknown, path: string): unknown {
  const steps = path
    .replace(/^\$\.?/, '')
    .split(/\.|\[(\d+)\]/)
    .filter((s) => s !== undefined && s !== '');
  let at: unknown = root;
  for (const step of steps) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[step];
  }
  return at;
}
