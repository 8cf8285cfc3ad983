// Workspaces: create a tenant with its public, server and admin keys, and resolve a presented key to its workspace.
import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../store/index.ts';
import { hashKey, type KeyKind } from './keys.ts';
import { insertKey } from './key-store.ts';

export interface CreatedWorkspace {
  id: string;
  name: string;
  /** For web pages: events with limits, sign-ups under double opt-in, push subscriptions. */
  publicKey: string;
  /** Secret, for your backend: full ingest. */
  serverKey: string;
  /** The server key, under the name the write key had (callers written before the public key existed). */
  writeKey: string;
  adminKey: string;
}

export async function createWorkspace(db: Db, name: string): Promise<CreatedWorkspace> {
  const id = `ws_${randomBytes(8).toString('hex')}`;
  const keys = await db.transaction(async (tx) => {
    await tx.query('INSERT INTO workspaces (id, name) VALUES ($1, $2)', [id, name]);
    return {
      publicKey: await insertKey(tx, id, 'public'),
      serverKey: await insertKey(tx, id, 'server'),
      adminKey: await insertKey(tx, id, 'admin'),
    };
  });
  return { id, name, ...keys, writeKey: keys.serverKey };
}

export async function listWorkspaces(db: Db): Promise<{ id: string; name: string }[]> {
  return db.query<{ id: string; name: string }>('SELECT id, name FROM workspaces ORDER BY created_at');
}

/** A workspace's name (what pages sign with when no sender name is set), or undefined for an unknown id. */
export async function workspaceName(db: Queryable, id: string): Promise<string | undefined> {
  return (await db.query<{ name: string }>('SELECT name FROM workspaces WHERE id = $1', [id]))[0]?.name;
}

export interface KeyOwner {
  workspaceId: string;
  workspaceName: string;
  kind: KeyKind;
  keyHash: string;
}

export async function findKey(db: Db, key: string): Promise<KeyOwner | null> {
  const keyHash = hashKey(key);
  const rows = await db.query<{ workspace_id: string; name: string; kind: KeyKind }>(
    `SELECT k.workspace_id, w.name, k.kind FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id
      WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
    [keyHash],
  );
  const row = rows[0];
  return row ? { workspaceId: row.workspace_id, workspaceName: row.name, kind: row.kind, keyHash } : null;
}
