// The shape of a JSON message (pure, without recursion): how deeply it nests and whether it holds a key that could
// change the prototype of the objects that hold it. Checked first, so that a message nested thousands of levels deep
// is refused by field before anything that recurses over it (the storable check, hashing) can run out of stack, and
// one message with a "__proto__" key is refused alone rather than its whole batch.

/** The most levels of objects and arrays a message (itself the first level) or an admin request body may nest. */
export const MAX_DEPTH = 64;

/** Longer field paths are shortened in answers (a path 65 levels deep can be long). */
const MAX_FIELD_CHARS = 200;

export const TOO_DEEP_REASON = `nests objects or arrays more than ${MAX_DEPTH} levels deep: flatten it`;
const PROTO_REASON =
  'is a key that could change the prototype of the object holding it ("__proto__", or "constructor" holding "prototype"): rename it';

interface Frame {
  value: object;
  depth: number;
  key: string;
  parent: Frame | null;
}

const pathOf = (frame: Frame): string[] => {
  const keys: string[] = [];
  for (let f: Frame | null = frame; f?.parent; f = f.parent) keys.push(f.key);
  return keys.reverse();
};

/** A field path as answers name it: keys joined by ".", cut short in the middle when very long. */
export function fieldName(path: readonly string[]): string {
  const name = path.join('.');
  return name.length <= MAX_FIELD_CHARS ? name : `${name.slice(0, MAX_FIELD_CHARS - 60)}…${name.slice(-59)}`;
}

export interface ShapeProblem {
  path: string[];
  reason: string;
}

const isProtoKey = (key: string, child: unknown) =>
  key === '__proto__' ||
  (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype'));

/**
 * The first object or array nested deeper than `max` levels (the value itself is level 1), or the first prototype
 * key, by path; null when there is none. Walks with an explicit stack, so any depth costs memory, not call stack.
 * Almost every message is fine: a lean walk says so, and only a message with a problem is walked again for its path.
 */
export function shapeProblem(value: unknown, max = MAX_DEPTH): ShapeProblem | null {
  if (value === null || typeof value !== 'object' || shapeFine(value, max)) return null;
  return problemPath(value, max);
}

const isContainer = (v: unknown): v is object => v !== null && typeof v === 'object';

/** True when nothing nests deeper than `max` and no key is a prototype key (no paths kept). */
function shapeFine(value: object, max: number): boolean {
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop()!;
    const depth = depths.pop()!;
    if (depth > max) return false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (isContainer(v[i])) {
          values.push(v[i]);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key of Object.keys(v)) {
        const child = (v as Record<string, unknown>)[key];
        if (isProtoKey(key, child)) return false;
        if (isContainer(child)) {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return true;
}

/** The path of the problem shapeFine found. */
function problemPath(value: object, max: number): ShapeProblem | null {
  const stack: Frame[] = [{ value, depth: 1, key: '', parent: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth > max) return { path: pathOf(frame), reason: TOO_DEEP_REASON };
    const entries = Array.isArray(frame.value) ? frame.value.entries() : Object.entries(frame.value);
    for (const [key, child] of entries) {
      if (typeof key === 'string' && isProtoKey(key, child))
        return { path: [...pathOf(frame), key], reason: PROTO_REASON };
      if (child !== null && typeof child === 'object')
        stack.push({ value: child, depth: frame.depth + 1, key: String(key), parent: frame });
    }
  }
  return null;
}
