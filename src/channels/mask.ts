// Masking credentials (pure): the API shows "••••" for each secret setting, and "••••" sent back keeps the stored value.

export const MASK = '••••';

type Json = Record<string, unknown>;

/** The concrete paths a pattern like "headers.*" or "auth.pass" names in this config. */
function expand(config: unknown, pattern: string): string[][] {
  let paths: string[][] = [[]];
  for (const step of pattern.split('.')) {
    paths = paths.flatMap((p) => {
      const at = get(config, p);
      if (!at || typeof at !== 'object') return [];
      return step === '*' ? Object.keys(at).map((k) => [...p, k]) : step in at ? [[...p, step]] : [];
    });
  }
  return paths;
}

function get(config: unknown, path: string[]): unknown {
  let at = config;
  for (const step of path) at = at && typeof at === 'object' ? (at as Json)[step] : undefined;
  return at;
}

function set(config: Json, path: string[], value: unknown): void {
  let at = config;
  for (const step of path.slice(0, -1)) at = at[step] as Json;
  at[path.at(-1)!] = value;
}

/** A copy of config with every secret replaced by MASK. */
export function maskSecrets<T>(config: T, secrets: string[]): T {
  const copy = structuredClone(config) as Json;
  for (const pattern of secrets)
    for (const path of expand(copy, pattern)) if (get(copy, path) !== undefined) set(copy, path, MASK);
  return copy as T;
}

/**
 * Puts the stored value back where the caller sent MASK (a form that shows and re-sends masked settings); `missing`
 * names the fields sent as MASK that have no stored value to keep.
 */
export function unmask(incoming: unknown, stored: unknown, secrets: string[]): { config: unknown; missing: string[] } {
  if (!incoming || typeof incoming !== 'object') return { config: incoming, missing: [] };
  const copy = structuredClone(incoming) as Json;
  const missing: string[] = [];
  for (const pattern of secrets) {
    for (const path of expand(copy, pattern)) {
      if (get(copy, path) !== MASK) continue;
      const kept = get(stored, path);
      if (typeof kept === 'string') set(copy, path, kept);
      else missing.push(path.join('.'));
    }
  }
  return { config: copy, missing };
}
