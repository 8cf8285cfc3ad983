// A workspace's keys in the database: made (shown once, stored as SHA-256), listed by id and prefix, revoked.
import type { Queryable } from '../store/index.ts';
import { hashKey, keyId, newKey, type KeyKind } from './keys.ts';

export interface ListedKey {
  id: string;
  kind: KeyKind;
  /** The key's first characters, to tell keys apart (never enough to use one). */
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Makes a key of this kind for the workspace, stores its hash and answers the key itself (the only time it is seen). */
export async function insertKey(tx: Queryable, ws: string, kind: KeyKind): Promise<string> {
  const key = newKey(kind);
  await tx.query('INSERT INTO api_keys (key_hash, workspace_id, kind, prefix) VALUES ($1, $2, $3, $4)', [
    hashKey(key),
    ws,
    kind,
    key.slice(0, 12),
  ]);
  return key;
}

/** The workspace's keys, revoked ones too, oldest first. */
export async function listKeys(db: Queryable, ws: string): Promise<ListedKey[]> {
  const rows = await db.query<{
    key_hash: string;
    kind: KeyKind;
    prefix: string;
    created_at: Date;
    revoked_at: Date | null;
  }>(
    'SELECT key_hash, kind, prefix, created_at, revoked_at FROM api_keys WHERE workspace_id = $1 ORDER BY created_at, key_hash',
    [ws],
  );
  return rows.map((r) => ({
    id: keyId(r.key_hash),
    kind: r.kind,
    prefix: r.prefix,
    createdAt: new Date(r.created_at),
    revokedAt: r.revoked_at && new Date(r.revoked_at),
  }));
}

export type Revocation = { revoked: true; key: ListedKey } | { revoked: false; reason: 'not_found' | 'last_admin_key' };

/**
 * Revokes a key by its id (idempotent: a revoked key stays revoked at its first time). The last admin key in force is
 * kept: without it nobody could sign in to the workspace again.
 */
export async function revokeKey(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  ws: string,
  id: string,
  now: Date,
): Promise<Revocation> {
  return db.transaction(async (tx) => {
    // every key of the workspace, locked: two admins revoking each other's key at once cannot both succeed
    const keys = await tx.query<{ key_hash: string; kind: KeyKind; revoked_at: Date | null }>(
      'SELECT key_hash, kind, revoked_at FROM api_keys WHERE workspace_id = $1 ORDER BY key_hash FOR UPDATE',
      [ws],
    );
    const target = keys.find((k) => keyId(k.key_hash) === id);
    if (!target) return { revoked: false, reason: 'not_found' };
    if (
      target.kind === 'admin' &&
      !target.revoked_at &&
      keys.filter((k) => k.kind === 'admin' && !k.revoked_at).length === 1
    ) {
      return { revoked: false, reason: 'last_admin_key' };
    }
    await tx.query(
      'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3) WHERE workspace_id = $1 AND key_hash = $2',
      [ws, target.key_hash, now.toISOString()],
    );
    const key = (await listKeys(tx, ws)).find((k) => k.id === id)!;
    return { revoked: true, key };
  });
}
