// The dashboard's browser bundle holds no server code: it is built (vite, into a temporary folder) and the modules
// that went into it are read. None may be Vite's stand-in for a node module (`__vite-browser-external`), a node:
// builtin or a server package, and every module from src/ must be a declared pure entry (scripts/pure-entries.json).
// A page importing a module that uses node:crypto is built the same way, to show the check finds what it looks for.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORK = mkdtempSync(join(tmpdir(), 'retain-bundle-'));
after(() => rmSync(WORK, { recursive: true, force: true }));

const PURE = new Set<string>(JSON.parse(readFileSync(join(ROOT, 'scripts/pure-entries.json'), 'utf8')).files);
const SERVER_PACKAGES =
  /\/node_modules\/(pg|pg-[^/]+|@electric-sql\/pglite|fastify|@fastify\/[^/]+|pino|nodemailer|web-push|mjml)\//;
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Builds with `config` and returns what in the bundle is server code: each offending module, as a short name. */
async function serverModules(config: InlineConfig): Promise<string[]> {
  const ids: string[] = [];
  await build({
    ...config,
    logLevel: 'silent',
    build: { outDir: mkdtempSync(join(WORK, 'out-')), emptyOutDir: true },
    plugins: [
      ...(config.plugins ?? []),
      {
        name: 'bundled-modules',
        generateBundle(_options, bundle) {
          for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk') ids.push(...chunk.moduleIds);
        },
      },
    ],
  });
  const found = new Set<string>();
  for (const raw of ids) {
    const id = raw.replace(/^\0/, '').split('?')[0]!;
    const rel = relative(ROOT, id);
    if (id.includes('__vite-browser-external')) found.add('__vite-browser-external');
    else if (BUILTINS.has(id)) found.add(id);
    else if (SERVER_PACKAGES.test(id)) found.add(id.replace(/^.*\/node_modules\//, ''));
    else if (rel.startsWith('src/') && !PURE.has(rel) && !/^src\/[^/]+\/pure\.ts$/.test(rel)) found.add(rel);
  }
  assert.ok(
    ids.some((id) => id.includes('/src/') || id.includes('/web/') || id.includes(WORK)),
    'the build bundled nothing',
  );
  return [...found].sort();
}

/** A one-script page importing `use` from `modulePath` (in the repository), as the dashboard imports src/. */
function plantedPage(modulePath: string, use: string): InlineConfig {
  const root = mkdtempSync(join(WORK, 'page-'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><html><body><script type="module" src="./main.ts"></script></body></html>\n',
  );
  writeFileSync(
    join(root, 'main.ts'),
    `import { ${use} } from ${JSON.stringify(join(ROOT, modulePath))};\ndocument.body.textContent = String(${use});\n`,
  );
  return { configFile: false, root };
}

const cases: { name: string; config: () => InlineConfig; server: string[] }[] = [
  { name: 'the dashboard', config: () => ({ configFile: join(ROOT, 'web/vite.config.ts') }), server: [] },
  {
    name: 'a page importing identity, which uses node:crypto',
    config: () => plantedPage('src/identity/index.ts', 'identityHash'),
    server: ['__vite-browser-external', 'src/identity/index.ts', 'src/identity/normalize.ts'],
  },
];

describe('the browser bundle', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.server.length ? 'server code found' : 'no server code'}`, async () => {
      assert.deepEqual(await serverModules(c.config()), c.server);
    });
  }
});
