// Credentials at rest: AES-256-GCM round trip, a wrong key or damaged data explained, the key from env or a 0600 key file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { decryptJson, encryptJson, keyFromSetting, loadSecretKey, SecretKeyError } from '../../src/channels/secrets.ts';

const CONFIG = { host: 'smtp.example.com', auth: { user: 'shop', pass: 'hunter2-very-secret' } };

describe('channel credentials encryption', () => {
  const rawKey = keyFromSetting(randomBytes(32).toString('base64'));
  const passphrase = keyFromSetting('correct horse battery staple');

  it('round trip with a 32-byte base64 key and with a passphrase; the text shows nothing and differs every time', () => {
    for (const key of [rawKey, passphrase]) {
      const a = encryptJson(CONFIG, key, 'ws1/email');
      const b = encryptJson(CONFIG, key, 'ws1/email');
      assert.match(a, /^v1:[0-9a-f]{8}:[\w-]+:[\w-]+:[\w-]+$/);
      assert.notEqual(a, b, 'a fresh IV each time');
      assert.ok(!a.includes('hunter2') && !Buffer.from(a.split(':')[4]!, 'base64url').toString().includes('hunter2'));
      assert.deepEqual(decryptJson(a, key, 'ws1/email'), CONFIG);
    }
  });

  it('a passphrase gives the same key in every process (fixed salt)', () => {
    assert.equal(keyFromSetting('correct horse battery staple').id, passphrase.id);
    assert.notEqual(keyFromSetting('correct horse battery stable').id, passphrase.id);
  });

  it('a wrong key: the error names the setting to check and both key ids', () => {
    const stored = encryptJson(CONFIG, rawKey, 'ws1/email');
    assert.throws(
      () => decryptJson(stored, passphrase, 'ws1/email'),
      (err: Error) => {
        assert.ok(err instanceof SecretKeyError);
        assert.match(err.message, /encrypted with another secret key/);
        assert.match(
          err.message,
          new RegExp(`id ${rawKey.id}; the key from RETAIN_SECRET_KEY has id ${passphrase.id}`),
        );
        assert.match(err.message, /Set RETAIN_SECRET_KEY/);
        return true;
      },
    );
  });

  const damage: [string, (s: string) => string, string][] = [
    ['changed ciphertext', (s) => s.slice(0, -2) + (s.endsWith('AA') ? 'BB' : 'AA'), 'ws1/email'],
    ['copied to another workspace', (s) => s, 'ws2/email'],
    ['copied to another channel', (s) => s, 'ws1/sms'],
  ];
  for (const [name, change, context] of damage) {
    it(`${name}: refused as damaged`, () => {
      const stored = change(encryptJson(CONFIG, rawKey, 'ws1/email'));
      assert.throws(() => decryptJson(stored, rawKey, context), /damaged or were moved/);
    });
  }

  it('not something Retain wrote', () => assert.throws(() => decryptJson('{"host":"x"}', rawKey), /not in a format/));

  it('a too short passphrase is refused with what to use instead', () => {
    assert.throws(() => keyFromSetting('secret'), /RETAIN_SECRET_KEY is too short: .*openssl rand -base64 32/);
  });

  it('without RETAIN_SECRET_KEY: secret.key is created in the data folder (0600) and reused; the setting wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-key-'));
    try {
      const first = loadSecretKey({ env: {}, dataDir: join(dir, 'data') });
      const file = join(dir, 'data', 'secret.key');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(first.source, file);
      assert.equal(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').length, 32);
      assert.equal(loadSecretKey({ env: {}, dataDir: join(dir, 'data') }).id, first.id);
      assert.equal(
        loadSecretKey({ env: { RETAIN_SECRET_KEY: 'correct horse battery staple' }, dataDir: join(dir, 'data') }).id,
        passphrase.id,
      );
      writeFileSync(file, 'short\n');
      assert.throws(
        () => loadSecretKey({ env: {}, dataDir: join(dir, 'data') }),
        /secret\.key is damaged .*set RETAIN_SECRET_KEY/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
