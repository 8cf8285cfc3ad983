// Channel credentials at rest: AES-256-GCM with a key from RETAIN_SECRET_KEY or a secret.key file in the data folder.
import { DomainError } from '../lib/index.ts';
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';

export interface SecretKey {
  readonly bytes: Buffer;
  /** A short fingerprint stored with each value, so that a wrong key is told apart from damaged data. */
  readonly id: string;
  /** Where the key came from, for error messages: "RETAIN_SECRET_KEY" or the key file's path. */
  readonly source: string;
}

const VERSION = 'v1';
/** Fixed: a passphrase must give the same key in every process and on every machine. */
const APP_SALT = 'retain/channel-credentials/v1';
const MIN_PASSPHRASE = 12;

/**
 * The secret key cannot be had (500: the operator's setting or key file), or stored credentials cannot be read with it
 * (409: save the settings again, or restore the key they were saved with).
 */
export class SecretKeyError extends DomainError {
  constructor(message: string, status = 500) {
    super('secret_key', status, message);
  }
}

function keyOf(bytes: Buffer, source: string): SecretKey {
  const id = createHash('sha256').update('retain-key-id:').update(bytes).digest('hex').slice(0, 8);
  return { bytes, id, source };
}

/** RETAIN_SECRET_KEY: 32 bytes in base64 are used as they are; any other text is a passphrase stretched with scrypt. */
export function keyFromSetting(value: string, source = 'RETAIN_SECRET_KEY'): SecretKey {
  const text = value.trim();
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const raw = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (raw.length === 32) return keyOf(raw, source);
  }
  if (text.length < MIN_PASSPHRASE) {
    throw new SecretKeyError(
      `${source} is too short: use a passphrase of ${MIN_PASSPHRASE} characters or more, or 32 random bytes in base64 (openssl rand -base64 32).`,
    );
  }
  return keyOf(scryptSync(text, APP_SALT, 32), source);
}

/** The key file in the data folder, created (mode 0600) with 32 random bytes on first use; a racing process reads the winner's. */
export function keyFromFile(dataDir: string): SecretKey {
  const file = join(dataDir, 'secret.key');
  mkdirSync(dataDir, { recursive: true });
  // Written whole to a private file, then linked into place: the link fails if another process got there first.
  if (!existsSync(file)) {
    const draft = `${file}.${process.pid}.tmp`;
    writeFileSync(draft, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    try {
      linkSync(draft, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(draft, { force: true });
    }
  }
  const raw = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (raw.length !== 32)
    throw new SecretKeyError(
      `${file} is damaged (it must hold 32 bytes in base64). Restore it from a backup, or set RETAIN_SECRET_KEY.`,
    );
  return keyOf(raw, file);
}

/** RETAIN_SECRET_KEY when set, else `<dataDir>/secret.key`. */
export function loadSecretKey(opts: { env?: NodeJS.ProcessEnv; dataDir: string }): SecretKey {
  const { secretKey } = loadConfig(opts.env);
  return secretKey ? keyFromSetting(secretKey) : keyFromFile(opts.dataDir);
}

let cached: { setting: string; key: SecretKey } | null = null;

/** This process's key, from the environment and the configured data folder (RETAIN_DATA_DIR); read once. */
export function defaultSecretKey(): SecretKey {
  const config = loadConfig();
  const setting = `${config.secretKey ?? ''}\u0000${config.dataDir}`;
  if (cached?.setting !== setting) cached = { setting, key: loadSecretKey({ dataDir: config.dataDir }) };
  return cached.key;
}

/**
 * Encrypts a JSON value: "v1:<key id>:<iv>:<tag>:<ciphertext>" (base64url). `context` (say "workspace/channel") is
 * authenticated too, so a value copied to another row does not decrypt.
 */
export function encryptJson(value: unknown, key: SecretKey, context = ''): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(Buffer.from(context));
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [
    VERSION,
    key.id,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    data.toString('base64url'),
  ].join(':');
}

export function decryptJson(stored: string, key: SecretKey, context = ''): unknown {
  const [version, id, iv, tag, data] = stored.split(':');
  if (version !== VERSION || !id || !iv || !tag || data === undefined) {
    throw new SecretKeyError(
      'The stored credentials are not in a format this Retain can read: save the channel settings again.',
      409,
    );
  }
  if (id !== key.id) {
    throw new SecretKeyError(
      `The channel credentials were encrypted with another secret key (id ${id}; the key from ${key.source} has id ${key.id}). ` +
        'Set RETAIN_SECRET_KEY (or restore secret.key in the data folder) to the key they were saved with, the same in every ' +
        'Retain process; or save the channel settings again.',
      409,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    return JSON.parse(text);
  } catch {
    throw new SecretKeyError(
      `The stored channel credentials are damaged or were moved from another row (they fail authentication with the key from ${key.source}): save the channel settings again.`,
      409,
    );
  }
}
