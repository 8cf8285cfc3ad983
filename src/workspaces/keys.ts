// API keys: generation and hashing (pure); keys are shown once and stored only as SHA-256.
import { createHash, randomBytes } from 'node:crypto';

export type KeyKind = 'write' | 'admin';

export function newKey(kind: KeyKind): string {
  return `${kind === 'write' ? 'rk_write_' : 'rk_admin_'}${randomBytes(24).toString('base64url')}`;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
