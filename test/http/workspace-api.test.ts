// The workspace over HTTP: its id, name and default language (GET /api/v1/workspace, also in /api/v1/me), set with
// PATCH: en, pl or ru only, every refusal naming the field and changing nothing; described in the OpenAPI document;
// only an admin key reads or sets it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from './server.ts';

describe(`workspace API: the default language (${backend})`, () => {
  let s: Served;
  const admin = (method: string, path: string, body?: unknown) => s.call(method, path, { key: s.adminKey, body });
  const language = async () => (await admin('GET', '/api/v1/workspace')).body.defaultLocale;

  before(async () => {
    s = await serve();
  });
  after(async () => s.close());

  it('English until set; PATCH sets it, GET and /me read it back; other messaging settings stay', async () => {
    assert.deepEqual((await admin('GET', '/api/v1/workspace')).body, {
      id: s.t.workspaceId,
      name: 'test',
      defaultLocale: 'en',
    });
    await s.t.db.query(
      `UPDATE workspaces SET settings = jsonb_set(settings, '{messaging}', '{"other": 1}') WHERE id = $1`,
      [s.t.workspaceId],
    );
    for (const lang of ['pl', 'ru', 'en', 'pl']) {
      const r = await admin('PATCH', '/api/v1/workspace', { defaultLocale: lang });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, { id: s.t.workspaceId, name: 'test', defaultLocale: lang });
      assert.equal(await language(), lang);
    }
    assert.equal((await admin('GET', '/api/v1/me')).body.workspace.defaultLocale, 'pl');
    const [row] = await s.t.db.query<{ messaging: unknown }>(
      "SELECT settings->'messaging' AS messaging FROM workspaces WHERE id = $1",
      [s.t.workspaceId],
    );
    assert.deepEqual(row!.messaging, { other: 1, defaultLocale: 'pl' });
  });

  const bad: [string, unknown, RegExp][] = [
    ['a language we do not write', { defaultLocale: 'de' }, /^defaultLocale: one of en, pl, ru/],
    ['a locale instead of a language', { defaultLocale: 'pl-PL' }, /^defaultLocale: one of en, pl, ru/],
    ['not text', { defaultLocale: 5 }, /^defaultLocale: one of en, pl, ru/],
    ['null', { defaultLocale: null }, /^defaultLocale: one of en, pl, ru/],
    ['nothing to change', {}, /^Nothing to change: send defaultLocale/],
    ['an unknown setting', { language: 'pl' }, /not a setting: language \(the workspace has defaultLocale\)/],
  ];
  for (const [what, body, message] of bad) {
    it(`refused: ${what}, naming the field; nothing changes`, async () => {
      const r = await admin('PATCH', '/api/v1/workspace', body);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error, 'invalid_request');
      assert.match(r.body.message, message);
      assert.equal(await language(), 'pl');
    });
  }

  it('the OpenAPI document describes the field and its values', async () => {
    const doc = (await s.call('GET', '/docs/json')).body;
    const patch = doc.paths['/api/v1/workspace'].patch;
    const field = patch.requestBody.content['application/json'].schema.properties.defaultLocale;
    assert.deepEqual(field.enum, ['en', 'pl', 'ru']);
    assert.match(field.description, /when their own locale is not en, pl or ru/);
    assert.ok(doc.paths['/api/v1/workspace'].get);
  });

  it('only an admin key', async () => {
    for (const key of [s.writeKey, s.publicKey, undefined]) {
      const r = await s.call('PATCH', '/api/v1/workspace', { key, body: { defaultLocale: 'ru' } });
      assert.ok([401, 403].includes(r.status), String(r.status));
      assert.ok([401, 403].includes((await s.call('GET', '/api/v1/workspace', { key })).status));
    }
    assert.equal(await language(), 'pl');
  });
});
