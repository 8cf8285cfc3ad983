// The probes and the dashboard's catch-all: /healthz and /readyz answer JSON (never the dashboard's page), /readyz says
// 503 while a migration is missing, and an unknown API path is a 404 in JSON while the dashboard's own paths get its page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { serve, type Served } from './server.ts';

describe(`/healthz, /readyz and unknown paths with the dashboard served (${backend})`, () => {
  let t: TestDb;
  let s: Served;
  let webDir: string;
  before(async () => {
    t = await freshDb();
    webDir = mkdtempSync(join(tmpdir(), 'retain-web-'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Retain dashboard</title>');
    s = await serve({ webDir }, t);
  });
  after(async () => {
    await s.close();
    await t.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('/healthz answers {"status":"ok"} as JSON without a key', async () => {
    const res = await s.call('GET', '/healthz');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^application\/json/);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('/readyz answers ready with the database kind once every migration is applied', async () => {
    const res = await s.call('GET', '/readyz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ready', database: backend });
  });

  it('/readyz answers 503 naming a migration that is not applied, and ready again after `migrate`', async () => {
    await t.db.query("DELETE FROM schema_migrations WHERE name = '001_core.sql'");
    const res = await s.call('GET', '/readyz');
    assert.equal(res.status, 503);
    assert.equal(res.body.status, 'unavailable');
    assert.deepEqual(res.body.pending, ['001_core.sql']);
    assert.match(res.body.message, /migrations not applied: 001_core\.sql; run `retain migrate`/);
    await t.db.query("INSERT INTO schema_migrations (name) VALUES ('001_core.sql')");
    assert.equal((await s.call('GET', '/readyz')).status, 200);
    assert.deepEqual(await migrate(t.db), []);
  });

  it("an unknown /api or /v1 path is a 404 in JSON, with or without a key; the dashboard's own paths get its page", async () => {
    for (const path of ['/api/v1/nothing-here', '/api', '/v1/nothing', '/api/v2/customers']) {
      for (const key of [undefined, s.adminKey]) {
        const res = await s.call('GET', path, { key });
        assert.equal(res.status, 404, `${path} ${key ? 'with' : 'without'} a key`);
        assert.equal(res.body.error, 'not_found');
        assert.match(res.body.message, /The API is described at \/docs/);
      }
    }
    const page = await s.call('GET', '/customers/42');
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Retain dashboard<\/title>/);
  });
});
