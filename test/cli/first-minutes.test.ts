// The README's first minutes, as a newcomer types them, on a machine without ../shared (RETAIN_SHARED_DATA=none; the
// CLI runs in an empty folder): start (keys printed, probes answer JSON), the demo shop, then the CDNOW model check in
// a workspace of its own, and the large preset asking to be fetched. Also: no source or test builds a path to ../shared.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/retain.mjs');

describe(`the README's first commands, in order, without ../shared (${backend})`, () => {
  let t: TestDb;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const retain = async (...args: string[]) => {
    const r = await exec(process.execPath, [BIN, ...args], { cwd: dir, env, maxBuffer: 1 << 24 });
    return { out: r.stdout, err: r.stderr };
  };
  before(async () => {
    t = await freshDb();
    dir = await mkdtemp(join(tmpdir(), 'retain-first-'));
    const common = {
      RETAIN_SHARED_DATA: 'none',
      RETAIN_SKIP_DASHBOARD_BUILD: '1',
      LOG_LEVEL: 'warn',
      PORT: '0',
      HOST: '127.0.0.1',
    };
    if (t.url) {
      await t.db.query('DELETE FROM workspaces'); // a new database, as `npm start` meets it
      env = { ...process.env, ...common, DATABASE_URL: t.url, RETAIN_DATA_DIR: join(dir, 'data') };
    } else {
      await t.close();
      env = { ...process.env, ...common, DATABASE_URL: '', RETAIN_DATA_DIR: join(dir, 'data') };
    }
  });
  after(async () => {
    if (t.url) await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("npm start: prints the URL and the first workspace's keys; /healthz and /readyz answer JSON; an unknown API path 404s", async () => {
    const child = spawn(process.execPath, [BIN, 'start'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const poll = setInterval(() => {
          const m = /Retain is running at (http:\/\/\S+) \(dashboard\)/.exec(out);
          if (m && /admin key .*rk_admin_/.test(out)) resolve(m[1]!);
        }, 50);
        child.once('exit', (code) => reject(new Error(`retain start exited (${code}): ${out}`)));
        void exited.finally(() => clearInterval(poll)); // `exited` never rejects
      });
      assert.match(out, /Workspace "Default" \(ws_\w+\)/);
      const health = await fetch(`${url}/healthz`);
      assert.deepEqual(
        [health.status, health.headers.get('content-type')?.split(';')[0], await health.json()],
        [200, 'application/json', { status: 'ok' }],
      );
      const ready = await fetch(`${url}/readyz`);
      assert.deepEqual([ready.status, await ready.json()], [200, { status: 'ready', database: backend }]);
      const unknown = await fetch(`${url}/api/v1/no-such-thing`);
      assert.deepEqual([unknown.status, (await unknown.json()).error], [404, 'not_found']);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('retain demo: fills the only workspace and says which', async () => {
    const { out } = await retain('demo', '--customers', '60');
    assert.match(out, /^using workspace "Default" \(ws_\w+\), the only one; pass --workspace to choose\n/);
    assert.match(out, /demo shop: 60 customers, 29 products, \d+ orders/);
  });

  it('the models check on the shipped CDNOW sample, in a workspace of its own', async () => {
    assert.match((await retain('workspace', 'create', 'CDNOW')).out, /Workspace "CDNOW"/);
    const imported = await retain('import', 'orders', '--preset', 'cdnow', '--workspace', 'CDNOW');
    assert.match(imported.out, /Import complete\.\n {2}lines read +6,919\n {2}accepted +6,919/);
    const fit = await retain('models', 'fit', '--calibration-end', '1997-09-30', '--workspace', 'CDNOW');
    assert.match(
      fit.out,
      /BG\/NBD +r = 0\.2426, α = 4\.41\d+, a = 0\.79\d+, b = 2\.42\d+\n.*log-likelihood -9,582\.43/,
    );
  });

  it('the Online Retail preset asks for `retain data fetch online-retail` first', async () => {
    await assert.rejects(
      retain('import', 'orders', '--preset', 'online-retail', '--workspace', 'CDNOW'),
      (err: Error & { stderr: string }) => {
        assert.match(
          err.stderr,
          /the online-retail data set is not on this machine: run `retain data fetch online-retail` first/,
        );
        return true;
      },
    );
  });
});

describe('nothing reads ../shared', () => {
  it('no file under src, test, bench or scripts builds a path to ../shared except the offline-copy default in src/config.ts', () => {
    const files = (d: string): string[] =>
      readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)]));
    const offenders = ['src', 'test', 'bench', 'scripts']
      .flatMap((d) => files(join(ROOT, d)))
      .filter((f) => /\.(ts|tsx|mjs|js)$/.test(f) && relative(ROOT, f) !== 'src/config.ts')
      .filter((f) => /['"`](\.\.\/)+shared\//.test(readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '')))
      .map((f) => relative(ROOT, f));
    assert.deepEqual(offenders, []);
  });
});
