// API keys: kinds, generation and hashing (pure); keys are shown once and stored only as SHA-256.
//   public  rk_pub_…     a web page's key: events (track, page, screen, identify, group, batch) with limits, a sign-up
//                        under double opt-in, a Web Push subscription; it cannot change who a customer is
//   server  rk_server_…  secret, for your backend: everything under /v1 (the write keys rk_write_… of old are these)
//   admin   rk_admin_…   everything, /api included (the dashboard's sign-in)
import { createHash, randomBytes } from 'node:crypto';

export const KEY_KINDS = ['public', 'server', 'admin'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

const PREFIX: Record<KeyKind, string> = { public: 'rk_pub_', server: 'rk_server_', admin: 'rk_admin_' };

export function newKey(kind: KeyKind): string {
  return `${PREFIX[kind]}${randomBytes(24).toString('base64url')}`;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** What a route needs: any key (`public`), a secret key (`server`: server or admin), or the admin key. */
export type KeyNeed = KeyKind;

const RANK: Record<KeyKind, number> = { public: 0, server: 1, admin: 2 };

/** Whether a key of this kind may call a route that needs `need`: each kind may do what the ones below it may. */
export const keyAllows = (kind: KeyKind, need: KeyNeed): boolean => RANK[kind] >= RANK[need];

/** The id a key is listed and revoked by: the start of its hash (the key itself is never stored). */
export const keyId = (keyHash: string): string => keyHash.slice(0, 16);
