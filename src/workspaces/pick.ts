// Which workspace a command works on when none is named: the rule (pure) and its query.
import type { Db } from '../store/index.ts';

export interface WorkspaceInfo {
  id: string;
  name: string;
  /** Whether it holds any customer. */
  hasCustomers: boolean;
}

export type Picked = { id: string; name: string; why: 'named' | 'only' | 'only-with-customers' | 'first-created' };

/**
 * The rule, on the workspaces in creation order: --workspace (its id or its exact name) wins; else the only workspace;
 * else the only one holding customers; else, when all are empty, the first created (the one `npm start` made). Several
 * workspaces with customers and none named is an error: importing into the wrong shop cannot be undone.
 */
export function chooseWorkspace(all: WorkspaceInfo[], named: string | undefined): Picked {
  if (named) {
    const hit = all.find((w) => w.id === named) ?? all.filter((w) => w.name === named).at(0);
    if (!hit) throw new Error(`--workspace ${named}: no workspace has that id or name (see \`retain workspace list\`)`);
    if (hit.id !== named && all.filter((w) => w.name === named).length > 1)
      throw new Error(
        `--workspace ${named}: several workspaces have that name; give the id (see \`retain workspace list\`)`,
      );
    return { id: hit.id, name: hit.name, why: 'named' };
  }
  if (all.length === 0)
    throw new Error('no workspace yet: create one with `retain workspace create NAME` (or run `retain start` once)');
  if (all.length === 1) return { ...pick(all[0]!), why: 'only' };
  const withCustomers = all.filter((w) => w.hasCustomers);
  if (withCustomers.length === 1) return { ...pick(withCustomers[0]!), why: 'only-with-customers' };
  if (withCustomers.length === 0) return { ...pick(all[0]!), why: 'first-created' };
  const names = withCustomers.map((w) => `"${w.name}" (${w.id})`).join(', ');
  throw new Error(
    `${withCustomers.length} workspaces hold customers: ${names}; choose one with --workspace ID or NAME`,
  );
}

const pick = (w: WorkspaceInfo) => ({ id: w.id, name: w.name });

/** What the command prints when it chose by itself. */
export function pickedLine(p: Picked): string | null {
  const why = {
    named: null,
    only: 'the only one',
    'only-with-customers': 'the only one holding customers',
    'first-created': 'the first created; all are empty',
  }[p.why];
  return why ? `using workspace "${p.name}" (${p.id}), ${why}; pass --workspace to choose` : null;
}

/** Workspaces in creation order, and whether each holds a customer (one index probe each, not a count). */
export async function workspacesInOrder(db: Db): Promise<WorkspaceInfo[]> {
  const rows = await db.query<{ id: string; name: string; has_customers: boolean }>(
    `SELECT w.id, w.name, EXISTS (SELECT 1 FROM customers c WHERE c.workspace_id = w.id) AS has_customers
       FROM workspaces w ORDER BY w.created_at, w.id`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, hasCustomers: r.has_customers }));
}

/** Picks the workspace and tells `log` which one when it was not named. */
export async function pickWorkspace(db: Db, named: string | undefined, log: (line: string) => void): Promise<string> {
  const picked = chooseWorkspace(await workspacesInOrder(db), named);
  const line = pickedLine(picked);
  if (line) log(line);
  return picked.id;
}
