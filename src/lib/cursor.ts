// Pagination cursors: every keyset-paged list of the API hands out one opaque format (base64url of a JSON list of the
// last row's sort key) and reads it back here, refusing one that is not the shape its list hands out.
import { DomainError } from './errors.ts';

/** The last row's sort key, as a cursor carries it. */
export type CursorParts = (string | number)[];

/** A cursor for the page after the row whose sort key is `parts`. */
export const encodeCursor = (parts: CursorParts): string => Buffer.from(JSON.stringify(parts)).toString('base64url');

/** The parts of a cursor, or null when there is none or it is not a cursor of this format. */
export function decodeCursor(cursor: string | undefined): CursorParts | null {
  if (!cursor) return null;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(parts) ? parts : null;
  } catch {
    return null;
  }
}

/**
 * The parts of the cursor a client passed back (null when none), when `valid` says they are the shape its list hands
 * out; anything else is refused (400 invalid_cursor) rather than restarting the list or reaching the database as a bad cast.
 */
export function readCursor(raw: string | undefined, valid: (parts: unknown[]) => boolean): CursorParts | null {
  const parts = decodeCursor(raw);
  if (raw && (!parts || !valid(parts)))
    throw new DomainError('invalid_cursor', 400, 'cursor: pass back the nextCursor of the previous page unchanged', {
      field: 'cursor',
    });
  return parts;
}
