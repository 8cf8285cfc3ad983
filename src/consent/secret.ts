// The key that signs a workspace's consent links. With RETAIN_LINK_SECRET set (every API process the same value), the
// key is HMAC-SHA256(RETAIN_LINK_SECRET, "retain-links:" + workspace id); otherwise it is HMAC-SHA256(a random
// 32-byte secret made for the workspace on first use and kept in link_secrets, "retain-links:" + workspace id).
// Either way each workspace has its own key, so a link signed for one never verifies for another. Changing the
// secret (or deleting the row) invalidates every link already sent.
//
// The stored secret is encrypted like channel credentials (AES-256-GCM with RETAIN_SECRET_KEY or the data folder's
// secret.key, bound to its workspace): a copy of the database alone cannot forge links or hook tokens. Rows from
// before migration 025 are plain: read as they are, and encrypted in place on first read and when Retain starts.
import { createHmac, randomBytes } from 'node:crypto';
import type { Queryable } from '../store/index.ts';
import { loadConfig } from '../config.ts';
import { decryptJson, defaultSecretKey, encryptJson, SecretKeyError, type SecretKey } from '../channels/index.ts';

const derive = (secret: string, ws: string) => createHmac('sha256', secret).update(`retain-links:${ws}`).digest();

/** Encrypted values look like "v1:<key id>:…"; a plain secret is base64url, which has no ":". */
const isSealed = (stored: string) => stored.startsWith('v1:');
const contextOf = (ws: string) => `link-secret/${ws}`;

/** The stored form of a workspace's link secret. */
export const sealLinkSecret = (secret: string, ws: string, key: SecretKey): string =>
  encryptJson(secret, key, contextOf(ws));

function openLinkSecret(stored: string, ws: string, key: SecretKey): string {
  if (!isSealed(stored)) return stored;
  try {
    return decryptJson(stored, key, contextOf(ws)) as string;
  } catch (err) {
    if (!(err instanceof SecretKeyError)) throw err;
    throw new SecretKeyError(
      `The link secret of workspace ${ws} cannot be decrypted with the secret key from ${key.source}: set RETAIN_SECRET_KEY (or restore secret.key ` +
        'in the data folder) to the key it was saved with, the same in every Retain process. (Deleting its row in link_secrets makes a new ' +
        'secret, but every unsubscribe, preference, confirmation and tracking link already sent stops working, and so do the hook URLs.)',
    );
  }
}

/** Reads the stored secret of a workspace. */
async function storedSecret(db: Queryable, ws: string): Promise<string | undefined> {
  return (await db.query<{ secret: string }>('SELECT secret FROM link_secrets WHERE workspace_id = $1', [ws]))[0]
    ?.secret;
}

/** Replaces a plain secret with its encrypted form, unless another process did first. */
async function sealInPlace(db: Queryable, ws: string, plain: string, key: SecretKey): Promise<void> {
  await db.query('UPDATE link_secrets SET secret = $3 WHERE workspace_id = $1 AND secret = $2', [
    ws,
    plain,
    sealLinkSecret(plain, ws, key),
  ]);
}

export async function linkSecret(db: Queryable, ws: string, key: SecretKey = defaultSecretKey()): Promise<Buffer> {
  const fromEnv = loadConfig().linkSecret;
  if (fromEnv) return derive(fromEnv, ws);
  let stored = await storedSecret(db, ws);
  if (!stored) {
    // first use: whichever process inserts first wins, and every process then reads the same secret
    const made = sealLinkSecret(randomBytes(32).toString('base64url'), ws, key);
    await db.query(
      'INSERT INTO link_secrets (workspace_id, secret) VALUES ($1, $2) ON CONFLICT (workspace_id) DO NOTHING',
      [ws, made],
    );
    stored = (await storedSecret(db, ws))!;
  }
  const secret = openLinkSecret(stored, ws, key);
  if (!isSealed(stored)) await sealInPlace(db, ws, stored, key);
  return derive(secret, ws);
}

/** Encrypts every link secret still stored in plain (rows from before migration 025); run at start. How many it did. */
export async function sealLinkSecrets(db: Queryable, key?: SecretKey): Promise<number> {
  const plain = await db.query<{ workspace_id: string; secret: string }>(
    "SELECT workspace_id, secret FROM link_secrets WHERE secret NOT LIKE 'v1:%'",
  );
  if (plain.length === 0) return 0; // the secret key is not even loaded
  const k = key ?? defaultSecretKey();
  for (const row of plain) await sealInPlace(db, row.workspace_id, row.secret, k);
  return plain.length;
}
