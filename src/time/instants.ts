// Instants as numbers and text (pure): the length of a day in milliseconds, and ISO 8601 UTC text of an instant or of
// its UTC calendar day, defined once for every capability.

/** One day in milliseconds (24 hours: UTC days; local days with their DST changes are rules.ts's). */
export const DAY_MS = 86_400_000;

/** An instant (a Date, ISO text or epoch milliseconds) as ISO 8601 UTC text. */
export const iso = (at: Date | string | number): string => new Date(at).toISOString();

/** The same for a column that may be empty: null for null, undefined or ''. */
export const isoOrNull = (at: Date | string | null | undefined): string | null => (at ? iso(at) : null);

/** The UTC calendar day (YYYY-MM-DD) of an instant. */
export const utcDay = (at: Date | string | number): string => iso(at).slice(0, 10);
