// The keys a sample of JSON objects carries (pure): each key (nested ones as "a.b") with how often it appears and a
// few distinct sample values, for the editor's pickers of event properties and traits.

export interface KeySummary {
  key: string;
  /** In how many of the sampled objects it appears. */
  seen: number;
  samples: (string | number | boolean)[];
}

const MAX_SAMPLES = 5;
const MAX_DEPTH = 3;

/** The keys of `objects`, most common first (then by name), at most `limit`, each with up to 5 distinct scalar samples. */
export function summarizeKeys(objects: readonly unknown[], limit: number): KeySummary[] {
  const byKey = new Map<string, { seen: number; samples: Map<string, string | number | boolean> }>();
  const visit = (o: Record<string, unknown>, prefix: string, depth: number, seenHere: Set<string>) => {
    for (const [k, v] of Object.entries(o)) {
      const key = prefix + k;
      if (v && typeof v === 'object' && !Array.isArray(v) && depth < MAX_DEPTH) {
        visit(v as Record<string, unknown>, `${key}.`, depth + 1, seenHere);
        continue;
      }
      let entry = byKey.get(key);
      if (!entry) byKey.set(key, (entry = { seen: 0, samples: new Map() }));
      if (!seenHere.has(key)) {
        seenHere.add(key);
        entry.seen++;
      }
      const scalar =
        typeof v === 'string' ? v.slice(0, 100) : typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
      if (scalar !== undefined && entry.samples.size < MAX_SAMPLES) entry.samples.set(JSON.stringify(scalar), scalar);
    }
  };
  for (const o of objects)
    if (o && typeof o === 'object' && !Array.isArray(o)) visit(o as Record<string, unknown>, '', 1, new Set());
  return [...byKey.entries()]
    .map(([key, e]) => ({ key, seen: e.seen, samples: [...e.samples.values()] }))
    .sort((a, b) => b.seen - a.seen || a.key.localeCompare(b.key))
    .slice(0, limit);
}
