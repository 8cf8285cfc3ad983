// The `retain` command, as an operator runs it: create a workspace, see its keys, and the keys work.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { openDb } from '../../src/store/db.ts';
import { findKey } from '../../src/workspaces/workspaces.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/retain.mjs', import.meta.url).pathname;

describe(`retain workspace (${backend})`, () => {
  let t: TestDb;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    t = await freshDb();
    dir = await mkdtemp(join(tmpdir(), 'retain-cli-'));
    if (t.url) {
      env = { ...process.env, DATABASE_URL: t.url };
    } else {
      await t.close(); // PGlite: the CLI opens its own data folder
      env = { ...process.env, DATABASE_URL: '', RETAIN_DATA_DIR: join(dir, 'data') };
    }
  });
  after(async () => {
    if (t.url) await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('create prints a public, a server and an admin key that authenticate as such', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'workspace', 'create', 'Corner Shop'], { env });
    assert.match(stdout, /Workspace "Corner Shop" \(ws_[0-9a-f]+\)/);
    const pub = stdout.match(/public key.*?(rk_pub_\S+)/)![1]!;
    const server = stdout.match(/server key.*?(rk_server_\S+)/)![1]!;
    const admin = stdout.match(/admin key.*?(rk_admin_\S+)/)![1]!;
    const { stdout: list } = await run(process.execPath, [BIN, 'workspace', 'list'], { env });
    assert.match(list, /Corner Shop/);
    const db = await openDb({ url: env.DATABASE_URL, dataDir: env.RETAIN_DATA_DIR });
    try {
      assert.equal((await findKey(db, pub))?.kind, 'public');
      assert.equal((await findKey(db, server))?.kind, 'server');
      assert.equal((await findKey(db, admin))?.kind, 'admin');
      assert.equal(await findKey(db, admin + 'x'), null);
    } finally {
      await db.close();
    }
  });

  it('an unknown command explains the usage and fails', async () => {
    await assert.rejects(
      run(process.execPath, [BIN, 'frobnicate'], { env }),
      (err: { code: number; stderr: string }) => {
        assert.equal(err.code, 2);
        assert.match(err.stderr, /Unknown command "frobnicate"[\s\S]*workspace create NAME/);
        return true;
      },
    );
  });
});

describe('the embedded data folder serves one process', () => {
  it('a second process is refused with what to do, and the folder is free again once the first closes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retain-lock-'));
    try {
      const first = await openDb({ dataDir: join(dir, 'data') });
      const env = { ...process.env, DATABASE_URL: '', RETAIN_DATA_DIR: join(dir, 'data') };
      await assert.rejects(run(process.execPath, [BIN, 'workspace', 'list'], { env }), (err: { stderr: string }) => {
        assert.match(
          err.stderr,
          /in use by another Retain process \(pid \d+\)[\s\S]*stop that one first, or run on PostgreSQL/,
        );
        return true;
      });
      await first.close();
      const { stdout } = await run(process.execPath, [BIN, 'workspace', 'create', 'After'], { env });
      assert.match(stdout, /Workspace "After"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
