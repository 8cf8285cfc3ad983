// The link secret at rest (issue 11.7): encrypted like channel credentials, plain rows from before migration 025 are
// encrypted at start or on first read, and the links and hook tokens made before keep verifying.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { linkSecret, sealLinkSecrets } from '../../src/consent/secret.ts';
import { readLink, signLink } from '../../src/consent/tokens.ts';
import { hookToken, isHookToken } from '../../src/consent/hooks.ts';
import { signToken } from '../../src/consent/links.ts';
import { decryptJson, defaultSecretKey, keyFromSetting } from '../../src/channels/secrets.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const PLAIN = 'a-plain-secret-from-before-migration-025-xyz';

/** The link key as Retain derived it from a plain secret before 025 (what links already sent were signed with). */
const keyFromPlain = (plain: string, ws: string) => createHmac('sha256', plain).update(`retain-links:${ws}`).digest();

describe(`the link secret at rest (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  const stored = async (ws: string) =>
    (await t.db.query<{ secret: string }>('SELECT secret FROM link_secrets WHERE workspace_id = $1', [ws]))[0]?.secret;
  const newWorkspace = async () => (await createWorkspace(t.db, 'another')).id;

  it('a new secret is stored encrypted, bound to its workspace, and the links signed with it verify', async () => {
    const ws = await newWorkspace();
    const token = await signLink(t.db, { k: 'preferences', ws, c: 'c-1' });
    const value = (await stored(ws))!;
    assert.match(value, /^v1:/);
    const plain = decryptJson(value, defaultSecretKey(), `link-secret/${ws}`) as string;
    assert.match(plain, /^[A-Za-z0-9_-]{43}$/, 'the secret itself: 32 random bytes');
    assert.ok(!value.includes(plain), 'the stored value is not the plaintext');
    assert.throws(
      () => decryptJson(value, defaultSecretKey(), 'link-secret/another-workspace'),
      'copied to another row it does not decrypt',
    );
    assert.deepEqual(await readLink(t.db, token, 'preferences', NOW), {
      ok: true,
      payload: { k: 'preferences', ws, c: 'c-1' },
    });
  });

  it('plain secrets from before are encrypted at start; links and hook tokens made from them still verify', async () => {
    const ws = await newWorkspace();
    await t.db.query('INSERT INTO link_secrets (workspace_id, secret) VALUES ($1, $2)', [ws, PLAIN]);
    const sentBefore = signToken(keyFromPlain(PLAIN, ws), { k: 'unsubscribe', ws, c: 'c-9', ch: 'email' });
    const hookBefore = createHmac('sha256', keyFromPlain(PLAIN, ws))
      .update('retain-provider-hooks')
      .digest('base64url');

    assert.ok((await sealLinkSecrets(t.db)) >= 1);
    const value = (await stored(ws))!;
    assert.match(value, /^v1:/);
    assert.ok(!value.includes(PLAIN));
    assert.equal(await sealLinkSecrets(t.db), 0, 'nothing left to encrypt');

    assert.deepEqual(await readLink(t.db, sentBefore, 'unsubscribe', NOW), {
      ok: true,
      payload: { k: 'unsubscribe', ws, c: 'c-9', ch: 'email' },
    });
    assert.equal(await hookToken(t.db, ws), hookBefore);
    assert.ok(await isHookToken(t.db, ws, hookBefore));
  });

  it('a plain row met before the start-up pass is read as it is, then encrypted in place', async () => {
    const ws = await newWorkspace();
    await t.db.query('INSERT INTO link_secrets (workspace_id, secret) VALUES ($1, $2)', [ws, PLAIN]);
    assert.deepEqual(await linkSecret(t.db, ws), keyFromPlain(PLAIN, ws));
    assert.match((await stored(ws))!, /^v1:/);
    assert.deepEqual(await linkSecret(t.db, ws), keyFromPlain(PLAIN, ws), 'the same key from the encrypted row');
  });

  it('another secret key cannot read it, and the error says how to recover', async () => {
    const ws = await newWorkspace();
    await linkSecret(t.db, ws);
    const other = keyFromSetting('a different passphrase for this test');
    await assert.rejects(
      linkSecret(t.db, ws, other),
      /link secret of workspace .* RETAIN_SECRET_KEY .* the key it was saved with/s,
    );
  });
});
