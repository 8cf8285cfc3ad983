// The key that signs a workspace's consent links. With RETAIN_LINK_SECRET set (every API process the same value), the
// key is HMAC-SHA256(RETAIN_LINK_SECRET, "retain-links:" + workspace id); otherwise it is HMAC-SHA256(a random
// 32-byte secret made for the workspace on first use and kept in link_secrets, "retain-links:" + workspace id).
// Either way each workspace has its own key, so a link signed for one never verifies for another. Changing the
// secret (or deleting the row) invalidates every link already sent.
import { createHmac, randomBytes } from 'node:crypto';
import type { Queryable } from '../store/db.ts';

const derive = (secret: string, ws: string) => createHmac('sha256', secret).update(`retain-links:${ws}`).digest();

export async function linkSecret(db: Queryable, ws: string): Promise<Buffer> {
  const fromEnv = process.env.RETAIN_LINK_SECRET;
  if (fromEnv) return derive(fromEnv, ws);
  const read = async () => (await db.query<{ secret: string }>('SELECT secret FROM link_secrets WHERE workspace_id = $1', [ws]))[0]?.secret;
  let secret = await read();
  if (!secret) {
    // first use: whichever process inserts first wins, and every process then reads the same secret
    await db.query('INSERT INTO link_secrets (workspace_id, secret) VALUES ($1, $2) ON CONFLICT (workspace_id) DO NOTHING', [ws, randomBytes(32).toString('base64url')]);
    secret = await read();
  }
  return derive(secret!, ws);
}
