// The layer check (npm run depcheck) on small trees laid out like Retain's, each with one thing planted: a clean tree
// passes, and a cycle between capabilities, an import into another capability's insides, a dashboard import of a
// server barrel, and a pure entry that reaches node or the database each fail, naming their rule. The real tree is
// checked by a whole `npm test` run (scripts/test.mjs).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Inside the checkout so that packages (pg, fastify) resolve to node_modules as they do in the real tree.
const WORK = mkdtempSync(join(ROOT, 'test/structure/.layers-'));
after(() => rmSync(WORK, { recursive: true, force: true }));

/** A clean tree: store ← customers ← segments, each through its index.ts; a pure leaf the dashboard imports. */
const CLEAN: Record<string, string> = {
  'src/store/db.ts': "import pg from 'pg';\nexport const open = () => new pg.Pool();\n",
  'src/store/index.ts': "export { open } from './db.ts';\n",
  'src/customers/find.ts': "import { open } from '../store/index.ts';\nexport const find = () => open();\n",
  'src/customers/index.ts': "export { find } from './find.ts';\n",
  'src/segments/run.ts':
    "import { find } from '../customers/index.ts';\nimport { LABELS } from '../scores/index.ts';\nexport const run = () => [find(), LABELS];\n",
  'src/segments/index.ts': "export { run } from './run.ts';\n",
  'src/scores/labels.ts': "export const LABELS = ['a', 'b'];\n",
  'src/scores/index.ts': "export { LABELS } from './labels.ts';\n",
  'src/customers/words.ts':
    "import { LABELS } from '../scores/index.ts';\nexport const WORDS = LABELS.map((l) => l.toUpperCase());\n",
  'src/customers/pure.ts': "export { WORDS } from './words.ts';\n",
  'web/src/main.ts':
    "import { LABELS } from '../../src/scores/labels.ts';\nimport { WORDS } from '../../src/customers/pure.ts';\nimport type { run } from '../../src/segments/index.ts';\nexport const shown: unknown[] = [LABELS, WORDS] satisfies unknown[];\nexport type Run = typeof run;\n",
};
const PURE = ['src/scores/labels.ts', 'src/scores/index.ts', 'src/customers/words.ts'];

const cases: { name: string; plant: Record<string, string>; pure?: string[]; rules: string[] }[] = [
  { name: 'a clean tree', plant: {}, rules: [] },
  {
    name: 'a cycle between capabilities (store imports customers back)',
    plant: {
      'src/store/db.ts':
        "import pg from 'pg';\nimport { find } from '../customers/index.ts';\nexport const open = () => [new pg.Pool(), find];\n",
    },
    rules: ['no-capability-cycle'],
  },
  {
    name: 'a cycle through a third capability (customers imports segments)',
    plant: {
      'src/customers/find.ts':
        "import { open } from '../store/index.ts';\nimport { run } from '../segments/index.ts';\nexport const find = () => [open(), run];\n",
    },
    rules: ['no-capability-cycle'],
  },
  {
    name: "an import into another capability's insides",
    plant: {
      'src/segments/run.ts': "import { find } from '../customers/find.ts';\nexport const run = () => find();\n",
    },
    rules: ['no-capability-insides'],
  },
  {
    name: 'the dashboard importing a server barrel',
    plant: { 'web/src/main.ts': "import { find } from '../../src/customers/index.ts';\nexport const shown = find;\n" },
    rules: ['web-imports-pure-entries'],
  },
  {
    name: 'a pure entry importing a node: builtin',
    plant: {
      'src/scores/labels.ts':
        "import { createHash } from 'node:crypto';\nexport const LABELS = [createHash('sha256').digest('hex')];\n",
    },
    rules: ['pure-reaches-no-builtin'],
  },
  {
    name: 'a pure entry importing the database driver',
    plant: { 'src/scores/labels.ts': "import pg from 'pg';\nexport const LABELS = [String(pg.Pool)];\n" },
    rules: ['pure-reaches-no-server'],
  },
  {
    name: 'a pure entry importing a module that is not one',
    plant: { 'src/customers/words.ts': "import { find } from './find.ts';\nexport const WORDS = [find];\n" },
    rules: ['pure-imports-pure'],
  },
];

/** Lays out the clean tree with the planted files, runs the checker on it; its exit code and the rules it names. */
function check(name: string, plant: Record<string, string>, pure: string[]) {
  const dir = join(WORK, name.replace(/[^a-z]+/gi, '-'));
  for (const [file, text] of Object.entries({ ...CLEAN, ...plant })) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  writeFileSync(join(dir, 'scripts/pure-entries.json'), JSON.stringify({ files: pure }));
  copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  const res = spawnSync(process.execPath, [join(ROOT, 'scripts/depcheck.mjs'), '--root', dir], { encoding: 'utf8' });
  const out = `${res.stdout}${res.stderr}`;
  const rules = [...new Set([...out.matchAll(/error ([a-z-]+):/g)].map((m) => m[1]))].sort();
  return { status: res.status, rules, out };
}

describe('the layer check', () => {
  for (const c of cases) {
    it(`${c.rules.length ? 'refuses' : 'passes'} ${c.name}`, () => {
      const r = check(c.name, c.plant, c.pure ?? PURE);
      assert.deepEqual(r.rules, c.rules, r.out);
      assert.equal(r.status === 0, c.rules.length === 0, r.out);
    });
  }
});
