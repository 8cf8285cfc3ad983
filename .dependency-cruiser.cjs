// The layer rules `npm run depcheck` (scripts/depcheck.mjs) checks, and a whole `npm test` run with it; see
// docs/architecture.md, Layers. A capability is a folder directly under src/; its public surface is its index.ts, and
// pure.ts for what a browser bundle may hold. The pure entries are listed in scripts/pure-entries.json.
const { files: pureFiles } = require('./scripts/pure-entries.json');

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Every pure entry: the listed files and each capability's pure.ts. */
const PURE = [...pureFiles.map((f) => `^${escape(f)}$`), '^src/[^/]+/pure\\.ts$'];
/** What a pure entry must never reach: it would end up in the dashboard's bundle. */
const SERVER_ONLY = [
  '(^|/node_modules/)(pg|pg-[^/]+|@electric-sql/pglite|fastify|@fastify/[^/]+|pino|nodemailer|web-push|mjml)(/|$)',
];
const TYPE_ONLY = ['type-only', 'type-import'];

module.exports = {
  forbidden: [
    {
      name: 'no-capability-cycle',
      severity: 'error',
      comment: 'Capabilities form layers: none imports, directly or through others, one that imports it back.',
      scope: 'folder',
      from: { path: '^src/[^/]+$' },
      to: { circular: true, path: '^src/[^/]+$' },
    },
    {
      name: 'no-capability-insides',
      severity: 'error',
      comment: 'Another capability is imported through its index.ts (or pure.ts), never a file inside it.',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/(index|pure)\\.ts$'] },
    },
    {
      name: 'web-imports-pure-entries',
      severity: 'error',
      comment:
        'The dashboard takes values from src/ only through the pure entries (scripts/pure-entries.json); a server barrel would bundle node: builtins and the database driver.',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: PURE, dependencyTypesNot: TYPE_ONLY },
    },
    {
      name: 'pure-imports-pure',
      severity: 'error',
      comment:
        'A pure entry imports values only from other pure entries (so everything the dashboard bundles is listed).',
      from: { path: PURE },
      to: { path: '^src/', pathNot: PURE, dependencyTypesNot: TYPE_ONLY },
    },
    {
      name: 'pure-reaches-no-server',
      severity: 'error',
      comment: 'A pure entry imports no database driver or server package.',
      from: { path: PURE },
      to: { path: SERVER_ONLY, dependencyTypesNot: TYPE_ONLY },
    },
    {
      name: 'pure-reaches-no-builtin',
      severity: 'error',
      comment: 'A pure entry imports no node: builtin.',
      from: { path: PURE },
      to: { dependencyTypes: ['core'], dependencyTypesNot: TYPE_ONLY },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
