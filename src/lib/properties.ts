// Event properties (pure): the value at a dotted path and the equality filter that triggers, branches and loyalty bonuses share.

/** The value at a dotted path ("cart.id") of an event's properties, or undefined. */
export function propertyAt(properties: unknown, path: string): unknown {
  let v: unknown = properties;
  for (const part of path.split('.')) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Every property of the filter equals the event's (numbers and their string forms compare equal: "42" = 42). */
export function matchesWhere(
  properties: unknown,
  where: Record<string, string | number | boolean> | undefined,
): boolean {
  if (!where) return true;
  return Object.entries(where).every(([path, expected]) => {
    const v = propertyAt(properties, path);
    return v === expected || (v !== undefined && v !== null && typeof v !== 'object' && String(v) === String(expected));
  });
}
