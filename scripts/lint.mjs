#!/usr/bin/env node
// The lint command (`npm run lint`): ESLint with type information (one lane per TypeScript project: the server's and
// the dashboard's), knip (unused files, exports and dependencies) and Biome's format check, run side by side; exits
// non-zero when any of them reports something. `--no-cache` lints every file afresh (see docs/architecture.md).
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (pkg, path) => join(root, 'node_modules', pkg, path);
const cache = !process.argv.includes('--no-cache');

// ESLint's cache keys each file by its own content: a file is linted again when it changes, not when a file whose
// types it uses does. CI starts from a fresh clone (no cache), so there every file is linted.
const eslint = (lane, paths) => [
  bin('eslint', 'bin/eslint.js'),
  '--max-warnings=0',
  ...(cache ? ['--cache', '--cache-strategy=content', `--cache-location=node_modules/.cache/eslint/${lane}`] : []),
  ...paths,
];

const lanes = [
  {
    name: 'eslint (server, tests, bench, scripts)',
    args: eslint('server', ['src', 'test', 'bench', 'scripts', 'bin', '*.mjs']),
  },
  { name: 'eslint (dashboard)', args: eslint('web', ['web']) },
  { name: 'knip (unused files, exports, dependencies)', args: [bin('knip', 'bin/knip.js'), '--no-progress'] },
  {
    name: 'biome format (check)',
    args: [bin('@biomejs/biome', 'bin/biome'), 'format', '--reporter=summary', '--colors=off', '.'],
    hint: '`npm run format` formats these files',
  },
];

function run({ name, args, hint }) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => resolve({ name, code, out, hint, seconds: (Date.now() - started) / 1000 }));
  });
}

const results = await Promise.all(lanes.map(run));
for (const { name, code, out, hint, seconds } of results) {
  console.log(`\n=== ${name}: ${code === 0 ? 'clean' : 'FINDINGS'} (${seconds.toFixed(1)} s) ===`);
  if (out.trim()) console.log(out.trimEnd());
  if (code !== 0 && hint) console.log(hint);
}
const failed = results.filter((r) => r.code !== 0);
console.log(failed.length ? `\nlint: ${failed.map((r) => r.name).join(', ')} reported findings` : '\nlint: clean');
process.exit(failed.length ? 1 : 0);
