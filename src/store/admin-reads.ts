// Expensive admin reads (segment previews, customer search, analytics): each in a read-only transaction under a
// statement_timeout, on PostgreSQL on its own small pool (so ingest always has connections), and at most a few at a time
// per workspace in this process, so that one workspace's burst of previews waits behind itself.
import type { Db, Queryable } from './db.ts';

export interface AdminReadLimits {
  /** statement_timeout of each statement of an admin read, ms (PostgreSQL; PGlite has no timer to enforce it). */
  timeoutMs: number;
  /** Admin reads one workspace may run at once in this process. */
  perWorkspace: number;
}

/** An admin read cancelled by its statement_timeout. */
export class AdminReadTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The read was cancelled after ${timeoutMs} ms.`);
    this.name = 'AdminReadTimeout';
  }
}

/** More admin reads of one workspace than may run or wait at once. */
export class AdminReadsBusy extends Error {
  constructor(readonly running: number) {
    super(`${running} reads of this workspace are running and more are waiting.`);
    this.name = 'AdminReadsBusy';
  }
}

/** Reads that may wait for their turn, per read that may run: beyond that a read is refused at once. */
const WAITING_PER_RUNNING = 4;

/** PostgreSQL's query_canceled: the statement_timeout fired. */
const QUERY_CANCELED = '57014';

interface Turns {
  running: number;
  waiting: (() => void)[];
}

export interface AdminReads {
  /** Runs `read` within the limits; throws AdminReadTimeout or AdminReadsBusy. */
  run<T>(db: Db, workspace: string, read: (q: Queryable) => Promise<T>): Promise<T>;
}

/**
 * The limits of one process. The per-workspace count is a local safeguard, held in this process's memory: it
 * coordinates nothing between processes (each process has its own cap; the database's statement_timeout and the
 * separate pool are what hold everywhere).
 */
export function adminReads(limits: AdminReadLimits): AdminReads {
  const turns = new Map<string, Turns>();

  const enter = async (workspace: string): Promise<void> => {
    const t = turns.get(workspace) ?? { running: 0, waiting: [] };
    turns.set(workspace, t);
    if (t.running < limits.perWorkspace) {
      t.running++;
      return;
    }
    if (t.waiting.length >= limits.perWorkspace * WAITING_PER_RUNNING) throw new AdminReadsBusy(t.running);
    await new Promise<void>((resolve) => t.waiting.push(resolve)); // the leaving read hands its turn over
  };
  const leave = (workspace: string): void => {
    const t = turns.get(workspace)!;
    const next = t.waiting.shift();
    if (next) return next();
    t.running--;
    if (!t.running) turns.delete(workspace);
  };

  return {
    async run(db, workspace, read) {
      await enter(workspace);
      try {
        return await inReadOnly(db, limits.timeoutMs, read);
      } catch (err) {
        if ((err as { code?: string }).code === QUERY_CANCELED) throw new AdminReadTimeout(limits.timeoutMs);
        throw err;
      } finally {
        leave(workspace);
      }
    },
  };
}

/** The backend's read-only transaction with a timeout, or a plain transaction where a Db has none (test doubles). */
function inReadOnly<T>(db: Db, timeoutMs: number, read: (q: Queryable) => Promise<T>): Promise<T> {
  return db.readOnly ? db.readOnly(timeoutMs, read) : db.transaction(read);
}
