// What PostgreSQL can store (pure): text and JSON without the NUL character, no lone UTF-16 surrogate (replaced by
// U+FFFD, as any UTF-8 encoder does: a page title cut in the middle of an emoji is still a page view), and times
// within the years 1–9999. Checked per message at ingest, so one such message is refused by name, not its batch.

const SUSPECT = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export interface Unstorable {
  field: string;
  reason: string;
}

const NUL_REASON = 'contains the character U+0000 (NUL), which cannot be stored: remove it';

/** The text as it will be stored; null when it holds a NUL. */
export function storableText(s: string): string | null {
  if (!SUSPECT.test(s)) return s;
  if (s.includes('\u0000')) return null;
  return s.replace(LONE_SURROGATE, '\ufffd');
}

/** A text field as stored, or why it cannot be. */
export function checkText(s: string | null, field: string): { value: string | null } | Unstorable {
  if (s === null) return { value: null };
  const v = storableText(s);
  return v === null ? { field, reason: NUL_REASON } : { value: v };
}

/**
 * A JSON value as stored, or the path of the first key or string that cannot be. Objects and arrays are copied only
 * when something in them changes (almost never), so the common case costs one regular-expression test per string.
 */
export function checkJson(value: unknown, field: string): { value: unknown } | Unstorable {
  if (typeof value === 'string') {
    const v = storableText(value);
    return v === null ? { field, reason: NUL_REASON } : { value: v };
  }
  if (value === null || typeof value !== 'object') return { value };
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const r = checkJson(value[i], `${field}.${i}`);
      if ('field' in r) return r;
      if (r.value !== value[i]) (out ??= [...value])[i] = r.value;
    }
    return { value: out ?? value };
  }
  let out: Record<string, unknown> | null = null;
  for (const [key, item] of Object.entries(value)) {
    const k = storableText(key);
    if (k === null)
      return {
        field: field ? `${field}.${key.replaceAll('\u0000', '\\u0000')}` : key,
        reason: `the key ${NUL_REASON}`,
      };
    const r = checkJson(item, field ? `${field}.${k}` : k);
    if ('field' in r) return r;
    if (k !== key || r.value !== item) {
      out ??= { ...(value as Record<string, unknown>) };
      if (k !== key) delete out[key];
      out[k] = r.value;
    }
  }
  return { value: out ?? value };
}

/** PostgreSQL keeps times of any year, but ISO text outside 0001–9999 (`+010000-…`) is not a time it reads back. */
export function storableTime(d: Date): boolean {
  const year = d.getUTCFullYear();
  return Number.isFinite(d.getTime()) && year >= 1 && year <= 9999;
}
