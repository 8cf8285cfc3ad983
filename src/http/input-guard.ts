// The input guard (pure): request bodies, query strings and route parameters checked before validation, so that bad
// input is a 400 naming the field, never a 500: no NUL character (PostgreSQL cannot store it, and no name or search
// needs it) and no nesting past MAX_DEPTH (recursive validators would run out of stack). Walks without recursion.
import { fieldName, MAX_DEPTH, TOO_DEEP_REASON } from '../ingest/index.ts';

export interface InputProblem {
  field: string;
  reason: string;
}

const NUL = '\u0000';
const NUL_REASON = 'contains the character U+0000 (NUL), which is not allowed: remove it';

interface Frame {
  value: unknown;
  depth: number;
  path: readonly string[];
}

/** Shown in a field name instead of the NUL itself. */
const visible = (key: string) => key.replaceAll(NUL, '\\u0000');

/** The first NUL (in a key or a text) or too-deep nesting in a parsed input, by field path ("" for the input itself). */
export function inputProblem(value: unknown): InputProblem | null {
  const stack: Frame[] = [{ value, depth: 0, path: [] }];
  while (stack.length > 0) {
    const { value: v, depth, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes(NUL)) return { field: fieldName(path), reason: NUL_REASON };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) return { field: fieldName(path), reason: TOO_DEEP_REASON };
    const entries = Array.isArray(v) ? v.entries() : Object.entries(v);
    for (const [key, child] of entries) {
      const name = String(key);
      if (name.includes(NUL)) return { field: fieldName([...path, visible(name)]), reason: `the key ${NUL_REASON}` };
      stack.push({ value: child, depth: depth + 1, path: [...path, name] });
    }
  }
  return null;
}
