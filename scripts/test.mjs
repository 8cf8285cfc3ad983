#!/usr/bin/env node
// The test command: runs every test/**/*.test.ts on PGlite, then again on PostgreSQL when TEST_DATABASE_URL is set.
// Browser tests (test/e2e) run once, on PGlite. Extra arguments filter files by substring (and skip the type and
// layer checks and the lint).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? find(path) : name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

const all = find(join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
const browser = all.filter((f) => f.startsWith('test/e2e/'));
const backendTests = all.filter((f) => !browser.includes(f));

function run(label, files, env) {
  if (files.length === 0) return 0;
  console.log(`\n=== ${label}: ${files.length} test files ===`);
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-force-exit', ...files],
    {
      cwd: root,
      stdio: 'inherit',
      // Channel credentials are encrypted with this key in tests, so no test writes a key file into ./data. Providers are
      // local receivers on 127.0.0.1, which outgoing requests may reach only when allowed (test/net proves the refusals).
      // RETAIN_SHARED_DATA=none: the product under test never reads ../shared (a user's machine has none).
      env: {
        RETAIN_SECRET_KEY: 'retain-test-suite-secret-key',
        RETAIN_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
        ...process.env,
        RETAIN_SHARED_DATA: 'none',
        ...env,
      },
    },
  );
  return res.status ?? 1;
}

// A whole run (as CI's) starts with both type checks: server, tests, bench and scripts; and the dashboard. Then the
// layer check (scripts/depcheck.mjs: no cycle between capabilities, none imported but through its index.ts, the
// dashboard only through pure entries), then the linter (scripts/lint.mjs: ESLint with type information, knip, Biome's
// format check).
if (filters.length === 0) {
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  for (const project of ['.', 'web']) {
    if (spawnSync(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: root, stdio: 'inherit' }).status !== 0)
      process.exit(1);
  }
  if (spawnSync(process.execPath, [join(root, 'scripts/depcheck.mjs')], { cwd: root, stdio: 'inherit' }).status !== 0)
    process.exit(1);
  if (spawnSync(process.execPath, [join(root, 'scripts/lint.mjs')], { cwd: root, stdio: 'inherit' }).status !== 0)
    process.exit(1);
}

const pgUrl = process.env.TEST_DATABASE_URL;
let failed = 0;
failed |= run('PGlite', [...backendTests, ...browser], { TEST_DATABASE_URL: '' });
if (pgUrl)
  failed |= run(`PostgreSQL (${pgUrl.replace(/\/\/[^@]*@/, '//')})`, backendTests, { TEST_DATABASE_URL: pgUrl });
else console.log('\nTEST_DATABASE_URL is not set: the PostgreSQL half was not run (CI always runs it).');
process.exit(failed ? 1 : 0);
