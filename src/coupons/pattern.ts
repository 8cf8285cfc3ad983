// Code patterns (pure): `SPRING-####-????` → codes with a digit for each #, a letter for each ? and a letter or digit
// for each *, from an alphabet without look-alikes (no 0/O, 1/I/L); every other character is kept as written.
import { DomainError } from '../lib/index.ts';

/** Digits and letters nobody confuses when reading a code aloud or off a receipt. */
export const DIGITS = '23456789';
export const LETTERS = 'ABCDEFGHJKMNPQRSTUVWXYZ';
const SLOTS: Record<string, string> = { '#': DIGITS, '?': LETTERS, '*': DIGITS + LETTERS };

/** A pattern with at least this many random characters (so that codes cannot be guessed one from another). */
export const MIN_RANDOM_SLOTS = 4;
/** A pool's codes use at most this share of the pattern's possible codes (so drawing more stays quick). */
const MAX_FILL = 0.5;

/** How many distinct codes the pattern can make. */
export function patternCapacity(pattern: string): number {
  return [...pattern].reduce((n, ch) => n * (SLOTS[ch]?.length ?? 1), 1);
}

/** Refuses a pattern that is too short, has too few random places, or cannot make `count` more codes. */
export function checkPattern(pattern: string, count: number, existing = 0): void {
  if (!/^[A-Z0-9#?*_-]{4,40}$/.test(pattern)) {
    throw new DomainError(
      'invalid_request',
      400,
      'A pattern is 4 to 40 capital letters, digits, "-", "_", and # (a digit), ? (a letter) or * (either), such as SPRING-####-????',
      { field: 'pattern' },
    );
  }
  const slots = [...pattern].filter((ch) => ch in SLOTS).length;
  if (slots < MIN_RANDOM_SLOTS)
    throw new DomainError(
      'invalid_request',
      400,
      `A pattern needs at least ${MIN_RANDOM_SLOTS} of #, ? or * so that codes cannot be guessed`,
      { field: 'pattern' },
    );
  const room = Math.floor(patternCapacity(pattern) * MAX_FILL) - existing;
  if (count > room) {
    throw new DomainError(
      'invalid_request',
      400,
      `The pattern makes too few codes for ${count} more (room for ${Math.max(0, room)}): add #, ? or * to it`,
      { field: 'count' },
    );
  }
}

/** One code of the pattern; `random(n)` answers a whole number in [0, n). */
export function codeOf(pattern: string, random: (n: number) => number): string {
  let out = '';
  for (const ch of pattern) {
    const alphabet = SLOTS[ch];
    out += alphabet ? alphabet[random(alphabet.length)] : ch;
  }
  return out;
}

/** `count` distinct codes of the pattern, none of them in `taken`. */
export function drawCodes(
  pattern: string,
  count: number,
  random: (n: number) => number,
  taken: ReadonlySet<string> = new Set(),
): string[] {
  const out = new Set<string>();
  while (out.size < count) {
    const code = codeOf(pattern, random);
    if (!taken.has(code)) out.add(code);
  }
  return [...out];
}
