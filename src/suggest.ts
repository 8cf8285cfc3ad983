// Did-you-mean (pure): the known names nearest to a misspelt one, for errors that say what was probably meant.

/** Levenshtein distance: insertions, deletions and substitutions of one character. */
export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/**
 * The candidates within `maxDistance` edits of `word` (case ignored), nearest first, at most `limit`. The default
 * distance grows with the word: 1 for short words, 2 from 5 characters, 3 from 9, so "id" does not suggest "ip".
 */
export function nearest(
  word: string,
  candidates: Iterable<string>,
  { maxDistance, limit = 3 }: { maxDistance?: number; limit?: number } = {},
): string[] {
  const lower = word.toLowerCase();
  const max = maxDistance ?? (lower.length >= 9 ? 3 : lower.length >= 5 ? 2 : 1);
  return [...new Set(candidates)]
    .map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) }))
    .filter(({ c, d }) => d <= max && c !== word)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, limit)
    .map(({ c }) => c);
}

/** " (did you mean "a" or "b"?)", or "" when nothing is near. */
export function didYouMean(names: string[]): string {
  return names.length ? ` (did you mean ${names.map((n) => `"${n}"`).join(' or ')}?)` : '';
}
