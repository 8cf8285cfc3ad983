// ESLint configuration: type-aware rules (typescript-eslint with type information) over the server, tests, bench,
// scripts and the dashboard; plain JavaScript rules over the browser SDK files. `npm run lint` runs it (scripts/lint.mjs).
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // test/structure/fixtures holds files that break the rules on purpose (the lint test proves they are reported).
    ignores: ['node_modules/', 'dist/', 'data/', '.tmp/', 'test/structure/fixtures/'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  {
    rules: {
      // MIME, header and import checks match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A `default:` does not stand in for a missing case: every switch over a union names each member and ends in
      // assertNever (src/lib/never.ts), so a new member is reported at every switch that forgets it.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      // node:test's describe/it/test return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `_`-named bindings and the siblings of a rest pattern are left out on purpose (`const { secret: _, ...rest } = x`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Typed code still meets untyped JSON at a few edges; tsc's strict mode is the check that matters there.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    // Hooks called in the same order on every render. (exhaustive-deps is not on: the dashboard's effects name the
    // values they follow on purpose, e.g. reload when the id changes, not when a callback is recreated.)
    rules: { 'react-hooks/rules-of-hooks': 'error' },
  },
  {
    files: ['**/*.mjs', 'bin/**', 'scripts/**'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/channels/sdk/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, ...globals.serviceworker } },
    // Written for old browsers too: `catch (e)` keeps its binding even when unused.
    rules: { 'no-unused-vars': ['error', { caughtErrors: 'none' }] },
  },
);
